{#- The bids of excessive_unsuccessful_bids (OCP R025; int_universe__excessive_unsuccessful_bids): one
    row per (bidder, portfolio) of a process with a known winner. No bid status is published, so the
    outcome is inferred: a bid is a supplier's participation (one or more valid offers, int_valid_offers,
    any currency) in a process with an award whose supplier made one of the process's offers (macro
    award_bidder_matches); `is_won` = 1 when an award of that process went to this bidder, 0 when its
    awards went to others.
    Incremental on the portfolios whose process, contracts or offers changed (macro recompute_award_units
    without an award key: a bid is its portfolio's, recomputed from all the portfolio's awards and offers). -#}
with awards as (
    select * from {{ evaluated_awards('excessive_unsuccessful_bids') }}
    where {{ in_changed_units('awards.portfolio_id') }}
),

offers as (
    select portfolio_id, supplier_key
    from {{ ref('int_valid_offers') }}
    where portfolio_id in (select portfolio_id from awards)
),

won_awards as (
    {{ award_bidder_matches('awards') }}
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
)

select * from bids
