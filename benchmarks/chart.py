"""Time against data size, full build and daily delta, from the suite's records: benchmarks/scaling.png.

python -m benchmarks.chart     (the suite draws it after each run)
"""

from __future__ import annotations

import json
from pathlib import Path

from benchmarks.records import RESULTS
from simulator.national import NATIONAL_RAW_ROWS

CHART = Path(__file__).with_name("scaling.png")
SERIES = {  # label -> seconds of a suite record
    "full build from raw (trusted zone + dbt build)": lambda r: r["build"]["seconds"],
    "  of which the trusted zone (Spark)": lambda r: r["trusted"]["seconds"],
    "  of which dbt build": lambda r: r["dbt"]["seconds"],
    "daily delta, every stage (0.1% of rows)": lambda r: r["delta_total"]["seconds"],
}


def latest_per_size(path: Path = RESULTS) -> list[dict]:
    """The latest suite record of each size (rows in the raw zone) among those of the newest record's day:
    one day's runs make one series, older ones measured older code."""
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    suite = [r for r in records if r.get("benchmark") == "suite"]
    day = max(r["when"] for r in suite)[:10]
    by_rows = {r["generate"]["rows"]: r for r in suite if r["when"].startswith(day)}
    return [by_rows[rows] for rows in sorted(by_rows)]


def draw(records: list[dict], out: Path = CHART) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(8, 5), dpi=120)
    rows = [r["generate"]["rows"] / 1e6 for r in records]
    for label, seconds in SERIES.items():
        axes.plot(rows, [seconds(r) / 60 for r in records], marker="o", label=label.strip())
    axes.axhline(30, color="grey", linestyle=":", label="goal: national build ≤ 30 min")
    axes.axhline(2, color="grey", linestyle="--", label="goal: daily delta ≤ 2 min")
    axes.axvline(NATIONAL_RAW_ROWS / 1e6, color="black", linewidth=0.8, label="national volume (~70 M raw rows)")
    axes.set(xscale="log", yscale="log", xlabel="rows in the raw zone (millions)", ylabel="minutes")
    axes.set_title(f"secop-redflags on one machine ({records[-1]['machine']})")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(out)
    plt.close(figure)
    return out


def main() -> None:
    print(draw(latest_per_size()))


if __name__ == "__main__":
    main()
