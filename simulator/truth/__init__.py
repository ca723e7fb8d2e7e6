"""The planted ground truth of every red-flag indicator, and a reference implementation to check it.

`simulator.datasets.generate_sources` writes `<out_dir>/ground_truth/flags.csv` (header
`indicator_id,award_key`): for each indicator, exactly the awards of the warehouse's award universe
(`int_awards`: a live contract keyed by its `id_contrato`, else an awarded process without any contract
keyed `PROC:<id_del_proceso>`) that its rule flags at the as-of date `RUN_DATE`. `load_planted_flags`
reads it back. A mixed world (simulator.mixed) writes there every flag `compute_flags` finds, and its
planted flags to `ground_truth/planted_flags.csv` (`planted_flags_path`).

`compute_flags` evaluates the rules of the warehouse (the dbt models' contract, thresholds of
dbt_project.yml) on the generated files, independently of how they were generated: it reads the
strings the replay server serves (PACO files through simulator.paco_files), applies the trusted zone's
identifier rules (`spark_jobs.identifiers`: canonical documents, name match keys, placeholders to null;
the latest version of each process; the fiscal bulletin's TR row rule) and its date rules (each catalogued
column's formats and year bounds, as spark_jobs.cleaning reads them), and runs the rules in DuckDB. The
generator plants its cases by construction and refuses to publish data whose computed flags differ from
the planted ones.

`compute_findings` runs the same rules and keeps more than the flagged awards: each indicator's universe (the
awards it evaluated) and each flag's unit, match method, excess amount and key figures (those its dbt evidence
carries); `award_risks` and `indicator_summaries` derive fct_contract_risk's flags and risk scores and
fct_indicator_summary's counts from them.

Modules: `load` (the raw tables of the generated files), `staging` (date macros, typed tables, `awards`),
`rules` (thresholds, universes and each indicator's SQL with its figures), `oracle` (runs them in DuckDB),
`scores` (risk scores and summary counts of the findings), `flags_file` (the CSV).
"""

from simulator.truth.flags_file import differences, flags_path, load_planted_flags, planted_flags_path, write_flags
from simulator.truth.oracle import Findings, award_universe, compute_findings, compute_flags
from simulator.truth.rules import RUN_DATE, Rules
from simulator.truth.scores import AwardRisk, IndicatorSummary, award_risks, indicator_summaries

__all__ = [
    "RUN_DATE",
    "AwardRisk",
    "Findings",
    "IndicatorSummary",
    "Rules",
    "award_risks",
    "award_universe",
    "compute_findings",
    "compute_flags",
    "differences",
    "flags_path",
    "indicator_summaries",
    "load_planted_flags",
    "planted_flags_path",
    "write_flags",
]
