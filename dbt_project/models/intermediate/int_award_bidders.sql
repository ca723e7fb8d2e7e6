{#- The bidder of each award that excessive_unsuccessful_bids evaluates (OCP R025;
    int_universe__excessive_unsuccessful_bids): one row per award whose supplier made a valid offer of
    its portfolio (macro award_bidder_matches), the strongest match ('document', then 'secop_code', then
    'name'), then the lowest bidder key.
    Incremental on the portfolios and awards whose process, contracts or offers changed (macro
    recompute_award_units). -#}
with awards as (
    select * from {{ evaluated_awards('excessive_unsuccessful_bids', changed_awards()) }}
),

matches as (
    {{ award_bidder_matches('awards') }}
),

ranked as (
    select
        award_key,
        portfolio_id,
        bidder_key,
        matched_by,
        row_number() over (
            partition by award_key
            order by case matched_by when 'document' then 1 when 'secop_code' then 2 else 3 end, bidder_key
        ) as bidder_rank
    from matches
)

select award_key, portfolio_id, bidder_key, matched_by
from ranked
where bidder_rank = 1
