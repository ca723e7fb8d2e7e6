"""Near-real-time latency: a contract's publication → its evaluation, and → its alert at the webhook.

Runs a live session (workbench/live_session.py: replay server, warm Spark Connect server,
`dagster-daemon` running the `live_contracts` sensor every `--poll` seconds and launching its runs, the
producer publishing `--contracts` held-back contracts every `--interval` seconds, half of them planted)
and prints p50/p95/max of
- a new contract's publication → its first evaluation (`detected_at` of fct_contract_evaluations);
- publication → alert received by the webhook, every alert;
with where a run spends its time (launch, then each step). Goal of issue 7: p95 ≤ 60 s at a 30 s poll.
Appended to benchmarks/results.jsonl.

    python -m benchmarks.live [--contracts 60] [--interval 5] [--poll 30] [--rows 10000]
"""

from __future__ import annotations

import argparse
from datetime import datetime, timezone
from pathlib import Path

import dagster as dg
import duckdb

from benchmarks.records import append_record, machine, now, spread
from orchestration.live.job import LIVE_JOB
from orchestration.settings import REPO_ROOT, environment
from workbench.live_session import SessionPaths, SessionResult, run_session

WORK = REPO_ROOT / ".data" / "bench" / "live"


def _utc(value: datetime) -> datetime:
    return value.astimezone(timezone.utc) if value.tzinfo else value.replace(tzinfo=timezone.utc)


def evaluation_lags(result: SessionResult) -> tuple[list[float], int]:
    """Seconds from a contract's first publication to its first evaluation, per new contract; and the
    contracts never evaluated. (An update published before the run that would have evaluated the
    version it replaces is evaluated in its place: the trusted zone keeps a contract's latest version.)"""
    with duckdb.connect(str(result.warehouse), read_only=True) as con:
        rows = con.sql("select award_key, min(detected_at) from fct_contract_evaluations group by 1").fetchall()
    detected = {key: _utc(at) for key, at in rows}
    new = [p for p in result.published if not p.is_update]
    lags = [(detected[p.contract_id] - p.published_at).total_seconds() for p in new if p.contract_id in detected]
    return lags, len(new) - len(lags)


def alert_lags(result: SessionResult) -> list[float]:
    return [
        arrived - _utc(datetime.fromisoformat(alert["published_at"])).timestamp() for arrived, alert in result.alerts
    ]


def run_breakdown(dagster_home: Path) -> dict[str, dict]:
    """Per live run: launch (created → started) and each step's seconds, as spreads over the runs."""
    parts: dict[str, list[float]] = {}
    with environment({"DAGSTER_HOME": str(dagster_home)}), dg.DagsterInstance.get() as instance:
        for record in instance.get_run_records(filters=dg.RunsFilter(job_name=LIVE_JOB)):
            if record.start_time and record.end_time:
                parts.setdefault("launch", []).append(record.start_time - record.create_timestamp.timestamp())
                parts.setdefault("run", []).append(record.end_time - record.start_time)
            for step in instance.get_run_step_stats(record.dagster_run.run_id):
                if step.start_time and step.end_time:
                    parts.setdefault(step.step_key, []).append(step.end_time - step.start_time)
    return {name: spread(values) for name, values in parts.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--contracts", type=int, default=60, help="held-back contracts published live (≥ 50)")
    parser.add_argument("--interval", type=float, default=5.0, help="seconds between two publications")
    parser.add_argument("--poll", type=int, default=30, help="the sensor's interval (SECOP_POLL_SECONDS)")
    parser.add_argument("--rows", type=int, default=10_000, help="SECOP II processes of the generated world")
    args = parser.parse_args()

    minutes = (args.contracts * args.interval + 10 * args.poll) / 60 + 5
    result = run_session(WORK, args.rows, args.contracts, args.interval, args.poll, max_minutes=minutes)
    evaluated, missed = evaluation_lags(result)
    delivered = alert_lags(result)
    steps = run_breakdown(SessionPaths(WORK / "session").dagster_home)
    record = {
        "benchmark": "live",
        "when": now(),
        "machine": machine(),
        "contracts": args.contracts,
        "interval_seconds": args.interval,
        "poll_seconds": args.poll,
        "versions_published": len(result.published),
        "contracts_not_evaluated": missed,
        "publication_to_evaluation": spread(evaluated),
        "publication_to_webhook": spread(delivered),
        "runs": steps,
    }
    print(f"\nlive path on {machine()}: {len(result.published)} contract versions published, poll {args.poll} s")
    print(f"{'seconds':<34}{'n':>5}{'p50':>8}{'p95':>8}{'max':>8}")
    for label, figures in (
        ("publication → evaluation", record["publication_to_evaluation"]),
        ("publication → alert at the webhook", record["publication_to_webhook"]),
        *((f"  run: {name}", figures) for name, figures in steps.items()),
    ):
        cells = "".join(f"{figures.get(k, '-'):>8}" for k in ("p50", "p95", "max"))
        print(f"{label:<34}{figures['n']:>5}{cells}")
    worst = max(
        record[name].get("p95", float("inf")) for name in ("publication_to_evaluation", "publication_to_webhook")
    )
    print(
        f"goal p95 ≤ 60 s (evaluation and webhook): {'met' if worst <= 60 else 'NOT met'} ({worst} s); "
        f"contracts never evaluated: {missed}"
    )
    append_record(record)


if __name__ == "__main__":
    main()
