{#- The Tukey fences of the bid gaps (int_bid_gaps), over the population of (portfolio, winning offer)
    pairs, each counted once however many awards it has (macro tukey_fences: lower fence Q1 − 1.5·IQR,
    upper fence Q3 + 1.5·IQR). One row, or none when the population is smaller than
    `bid_gap_min_population`: too few processes for a fence. -#}
{{ tukey_fences(
    '(select distinct portfolio_id, winning_offer_id, gap_ratio from ' ~ ref('int_bid_gaps') ~ ') processes',
    'gap_ratio', ['lower', 'upper'], var('bid_gap_min_population'),
) }}
