{#- Universe of `excessive_unsuccessful_bids` (OCP R025): the awards won by the frequent bidders, each
    with its bidder's record and the population's fence. No bid status is published, so the outcome of
    a bid is inferred: a supplier's bid is its participation (one or more valid offers,
    int_valid_offers, any currency) in a process with an award whose supplier matched one of the
    process's offers (macro supplier_matched_by); the bid is won when an award of that process went to
    this bidder, lost when the awards went to others. Processes without an award, or whose awards'
    suppliers made none of its offers (the winner's offer is unknown), are left out: no outcome can be
    inferred. Frequent bidders: at least the 75th percentile of bids per bidder (`percentile_cont(0.75)`
    over every bidder). Their win ratios (wins / bids) give the lower Tukey fence Q1 − 1.5·IQR (macro
    tukey_fences), when at least `unsuccessful_bids_min_population` bidders are frequent. -#}
{%- set min_population = var('unsuccessful_bids_min_population') -%}

with awards as (
    select * from {{ ref('int_awards') }}
),

offers as (
    select offer_id, portfolio_id, supplier_key, supplier_document_key, supplier_code, supplier_name_match
    from {{ ref('int_valid_offers') }}
    where portfolio_id in (select portfolio_id from awards)
),

-- Every (award, offer of its portfolio) pair matched to the same supplier.
award_offers as (
    select
        awards.award_key,
        awards.portfolio_id,
        offers.supplier_key as bidder_key,
        {{ supplier_matched_by('awards', 'offers') }} as matched_by
    from awards
    inner join offers on awards.portfolio_id = offers.portfolio_id
),

won_awards as (
    select award_key, portfolio_id, bidder_key, matched_by
    from award_offers
    where matched_by is not null
),

-- One bid per (bidder, process) with a known winner; won when one of its awards matched the bidder.
bids as (
    select
        offers.supplier_key as bidder_key,
        offers.portfolio_id,
        max(case when won_portfolios.bidder_key is not null then 1 else 0 end) as is_won
    from offers
    inner join (select distinct portfolio_id from won_awards) decided on offers.portfolio_id = decided.portfolio_id
    left join (select distinct portfolio_id, bidder_key from won_awards) won_portfolios
        on offers.portfolio_id = won_portfolios.portfolio_id and offers.supplier_key = won_portfolios.bidder_key
    group by offers.supplier_key, offers.portfolio_id
),

bidders as (
    select
        bidder_key,
        count(*) as bids,
        sum(is_won) as wins,
        cast(cast(sum(is_won) as decimal(18, 6)) / count(*) as decimal(18, 6)) as win_ratio
    from bids
    group by bidder_key
),

frequent_bids as (
    select cast(percentile_cont(0.75) within group (order by bids) as decimal(18, 6)) as p75_bids
    from bidders
),

frequent_bidders as (
    select bidders.*, frequent_bids.p75_bids
    from bidders
    cross join frequent_bids
    where bidders.bids >= frequent_bids.p75_bids
),

fences as (
    {{ tukey_fences('frequent_bidders', 'win_ratio', ['lower'], min_population) }}
),

-- Each award won by one bidder: the strongest match, then the lowest bidder key.
award_bidders as (
    select award_key, bidder_key
    from (
        select
            award_key,
            bidder_key,
            row_number() over (
                partition by award_key
                order by case matched_by when 'document' then 1 when 'secop_code' then 2 else 3 end, bidder_key
            ) as bidder_rank
        from (select distinct award_key, bidder_key, matched_by from won_awards) matches
    ) ranked
    where bidder_rank = 1
),

final as (
    select
        {{ award_columns('awards') }},
        frequent_bidders.bidder_key,
        frequent_bidders.bids,
        frequent_bidders.wins,
        frequent_bidders.win_ratio,
        frequent_bidders.p75_bids,
        fences.population,
        fences.q1,
        fences.q3,
        fences.lower_fence
    from awards
    inner join award_bidders on awards.award_key = award_bidders.award_key
    inner join frequent_bidders on award_bidders.bidder_key = frequent_bidders.bidder_key
    cross join fences
)

select * from final
