{#- Universe of `excessive_unsuccessful_bids` (OCP R025): the awards won by the frequent bidders, each
    with its bidder's record and the population's fence. No bid status is published, so the outcome of
    a bid is inferred: a supplier's bid is its participation (one or more valid offers,
    int_valid_offers, any currency) in a process with an award whose supplier matched one of the
    process's offers (macro supplier_matched_by); the bid is won when an award of that process went to
    this bidder, lost when the awards went to others. Processes without an award, or whose awards'
    suppliers made none of its offers (the winner's offer is unknown), are left out: no outcome can be
    inferred. Frequent bidders: at least the 75th percentile of bids per bidder (`percentile_cont(0.75)`
    over every bidder). Their win ratios (wins / bids) give the lower Tukey fence Q1 − 1.5·IQR (macro
    tukey_fences), when at least `unsuccessful_bids_min_population` bidders are frequent.
    The bids (int_bids) and each award's bidder (int_award_bidders) are incremental tables; the bidders'
    records, the percentile and the fence change with every bid, so they are recomputed over int_bids. -#}
{%- set min_population = var('unsuccessful_bids_min_population') -%}

with awards as (
    select * from {{ evaluated_awards('excessive_unsuccessful_bids') }}
),

bidders as (
    select
        bidder_key,
        count(*) as bids,
        sum(is_won) as wins,
        cast(cast(sum(is_won) as decimal(18, 6)) / count(*) as decimal(18, 6)) as win_ratio
    from {{ ref('int_bids') }}
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
    inner join {{ ref('int_award_bidders') }} as award_bidders on awards.award_key = award_bidders.award_key
    inner join frequent_bidders on award_bidders.bidder_key = frequent_bidders.bidder_key
    cross join fences
)

select * from final
