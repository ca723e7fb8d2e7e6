"""The read API under load: profiles and filtered pages of flags at a warehouse's size, then every flag as CSV.

    python -m benchmarks.api                      (1,000,000 contracts; the warehouse built once and reused)
    python -m benchmarks.api --contracts 100000 --requests 400
    python -m benchmarks.suite                    (`make bench`: a stage over the suite's own warehouse)

Warehouse: the trusted lake of benchmarks.indicators (the demo's world tiled to the size, built once under
`.data/bench/indicators/<contracts>/lake`), built by `dbt build` without tests into
`.data/bench/api-<contracts>/warehouse.duckdb`, again only when dbt's models, macros or seeds change.

The API (`api.app:create_app` over the DuckDB reader) is served by uvicorn on 127.0.0.1 in a process of its
own, so its memory is sampled apart from the load. `--clients` threads (20), each with its own
`requests.Session`, share a fixed list of requests per scenario (every loop bounded), after an untimed
warm-up; inputs are drawn at random from the warehouse: existing supplier and entity documents (canonical
or spelled as people write them), the flags page filtered by indicator, department, date range, minimum risk
and sorted, and lists long enough to page through (every flag or one indicator's, sorted) followed through
their cursor; per scenario p50/p95/max, requests/s, errors
and the CPU time per request of the API and of the clients. Then a year's flags and every flag as CSV
downloads: rows, MB, seconds, MB/s and the API process's resident memory before and at its peak during
each. Prints a table, appends the record to benchmarks/results.jsonl.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO
from urllib.parse import quote

import duckdb
import requests

from api.__main__ import default_workers
from benchmarks.indicators import build_lake, dbt, dbt_env
from benchmarks.memory import MIB, PeakMemory, tree_cpu_seconds, tree_rss_bytes
from benchmarks.records import append_record, machine, now, spread
from orchestration.settings import DBT_PROJECT_DIR, REPO_ROOT
from simulator.national import NATIONAL_CONTRACTS, NATIONAL_ROWS
from spark_jobs.identifiers import DIAN_WEIGHTS, dian_check_digit
from workbench.spark_connect import free_port

BENCH = REPO_ROOT / ".data" / "bench"
API = "/api/v1"
PROFILE_GOAL = 100.0
PAGE_GOAL = 200.0
PAGE_SIZE = 100
WARM_UP_PER_CLIENT = 3  # untimed calls per client before each scenario
CURSOR_PAGES = 4  # pages followed after the first in the cursor scenario
SORTS = ("risk", "date", "value")
ORDERS = ("asc", "desc")
REQUEST_TIMEOUT = 120.0  # seconds: a request slower than this is an error, and nothing waits longer
DBT_INPUTS = ("models", "macros", "seeds", "dbt_project.yml")


# --- the warehouse -----------------------------------------------------------------------------------------


def dbt_fingerprint() -> str:
    """A hash of what dbt builds the marts from: a cached warehouse of other models is built again."""
    digest = hashlib.sha256()
    for name in DBT_INPUTS:
        root = DBT_PROJECT_DIR / name
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(DBT_PROJECT_DIR)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def bench_warehouse(contracts: int) -> Path:
    """The DuckDB warehouse of the tiled lake of `contracts`, built once per lake and dbt project."""
    lake = build_lake(contracts, NATIONAL_ROWS["secop_ii_ofertas"] / NATIONAL_CONTRACTS)
    work = BENCH / f"api-{contracts}"
    manifest = work / "warehouse.json"
    key = {"lake": lake["path"], "world_at": lake["world_at"], "tiling": lake["tiling"], "dbt": dbt_fingerprint()}
    if manifest.exists() and json.loads(manifest.read_text()).get("key") == key:
        return work / "warehouse.duckdb"
    manifest.unlink(missing_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    print(f"building the warehouse of {lake['rows']['secop_ii_contratos']:,} contracts (dbt, no tests)", flush=True)
    env = dbt_env(Path(lake["path"]), work)
    built = dbt("api", ["build", "--exclude-resource-type", "test", "unit_test"], env, fresh=True)
    if built["returncode"] != 0:
        raise SystemExit("dbt build failed: see above")
    manifest.write_text(json.dumps({"key": key, "at": now(), "dbt_seconds": built["seconds"]}, indent=2))
    return work / "warehouse.duckdb"


# --- the server --------------------------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: IO[str]  # its output (uvicorn's warnings and tracebacks)

    @property
    def rss_mib(self) -> int:
        return round(tree_rss_bytes(self.process.pid) / MIB)

    @property
    def cpu_seconds(self) -> float:
        """CPU time the server has used so far (user + system, every worker and thread: DuckDB's included)."""
        return tree_cpu_seconds(self.process.pid)


@contextmanager
def api_server(warehouse: Path, start_timeout: float = 120.0) -> Iterator[Server]:
    """`python -m api` (what `make api` runs) over `warehouse` in its own process; stopped (then killed) on exit."""
    port = free_port()
    command = [sys.executable, "-m", "api", "--port", str(port)]
    environment = {**os.environ, "DBT_TARGET": "local", "SECOP_DUCKDB_PATH": str(warehouse)}
    log = tempfile.TemporaryFile("w+")  # the server's own output, shown only when it fails to start
    process = subprocess.Popen(command, cwd=REPO_ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        deadline = time.monotonic() + start_timeout
        while True:
            if process.poll() is not None:
                log.seek(0)
                raise RuntimeError(f"the API exited with {process.returncode} before answering:\n{log.read()[-3000:]}")
            try:
                if requests.get(f"{server.url}/openapi.json", timeout=5).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError(f"the API did not answer within {start_timeout:.0f} s")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


# --- the inputs --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One request, and how many pages to follow through its `next_cursor` after it."""

    path: str
    params: dict[str, str | int | float] = field(default_factory=dict)
    follow: int = 0


@dataclass(frozen=True)
class Scenario:
    name: str
    calls: list[Call]
    goal_p95_ms: float | None = None


def _column(con: duckdb.DuckDBPyConnection, sql: str, params: list | None = None) -> list:
    return [row[0] for row in con.execute(sql, params or []).fetchall()]


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    found = "select 1 from duckdb_columns() where table_name = ? and column_name = ?"
    return bool(_column(con, found, [table, column]))


def _sample(con: duckdb.DuckDBPyConnection, sql: str, n: int, seed: int) -> list:
    """`n` values of a one-column query, drawn at random (repeatable)."""
    return _column(con, f"select * from ({sql}) using sample reservoir({n} rows) repeatable ({seed})")


def spelled(key: str, rng: random.Random) -> str:
    """A canonical document as people write it: thousands dots, a dash and its check digit, leading zeros or
    spaces (resolved by the API with the cleaning's own rules); keys that are not digits as they are."""
    if not key.isdigit() or len(key) > len(DIAN_WEIGHTS):
        return key
    return rng.choice([f"{int(key):,}".replace(",", "."), f"{key}-{dian_check_digit(key)}", f"00{key}", f" {key} "])


def documents(con: duckdb.DuckDBPyConnection, party: str, n: int, seed: int) -> list[str]:
    """`n` documents of existing `party` (supplier|entity) rows, drawn at random: half canonical, half spelled
    otherwise. (Not the sources' own spellings: the tiled lake marks each raw document with its tile's
    character, which no spelling rule reads as a digit; its canonical keys carry the tile as digits.)"""
    rng = random.Random(seed)
    keys = _sample(con, f"select {party}_key from dim_{party} where {party}_key is not null", n, seed)
    return [key if i % 2 else spelled(key, rng) for i, key in enumerate(keys)]


def flag_filters(con: duckdb.DuckDBPyConnection, n: int, seed: int) -> list[dict[str, str | int | float]]:
    """`n` filter combinations of the flags page, each made from a flag drawn at random (so none is empty):
    some of its indicator, department (spelled as people type it), year(s) and a risk at most its own."""
    rng = random.Random(seed)
    department = "risk.department" if _has_column(con, "fct_contract_risk", "department") else "null"
    drawn = con.execute(
        f"select * from (select flags.indicator_id, {department}, flags.award_date, risk.risk_score"
        " from fct_contract_flags as flags inner join fct_contract_risk as risk on risk.award_key = flags.award_key)"
        f" using sample reservoir({n} rows) repeatable ({seed})"
    ).fetchall()
    filters = []
    for indicator, place, day, risk in (rng.choice(drawn) for _ in range(n)):
        chosen: dict[str, str | int | float] = {"page_size": PAGE_SIZE}
        if rng.random() < 0.6:
            chosen["indicator"] = indicator
        if place and rng.random() < 0.5:
            chosen["department"] = rng.choice([place, place.title(), place.lower()])
        if day and rng.random() < 0.5:
            chosen["date_from"] = f"{day.year - rng.choice([0, 1])}-01-01"
            chosen["date_to"] = f"{day.year}-12-31"
        if risk and rng.random() < 0.4:
            chosen["min_risk"] = float(risk) * rng.choice([0.5, 0.9, 1.0])
        if rng.random() < 0.7:
            chosen["sort"] = rng.choice(SORTS)
            chosen["order"] = rng.choice(ORDERS)
        filters.append(chosen)
    return filters


def paged_filters(con: duckdb.DuckDBPyConnection, n: int, seed: int) -> list[dict[str, str | int | float]]:
    """`n` lists people page through: every flag, or one indicator's among those with a page for each request
    followed, sorted some way. (A filtered page drawn as above may hold every match at once: no cursor.)"""
    rng = random.Random(seed)
    long_enough = "select indicator_id from fct_contract_flags group by 1 having count(*) > ? order by 1"
    indicators = _column(con, long_enough, [PAGE_SIZE * (CURSOR_PAGES + 1)])
    filters = []
    for _ in range(n):
        chosen: dict[str, str | int | float] = {"page_size": PAGE_SIZE}
        chosen["sort"], chosen["order"] = rng.choice(SORTS), rng.choice(ORDERS)
        if indicators and rng.random() < 0.6:
            chosen["indicator"] = rng.choice(indicators)
        filters.append(chosen)
    return filters


def scenarios(warehouse: Path, requests_per_scenario: int, seed: int) -> list[Scenario]:
    n = requests_per_scenario
    with duckdb.connect(str(warehouse), read_only=True) as con:
        suppliers = documents(con, "supplier", n, seed)
        entities = documents(con, "entity", n, seed)
        filters = flag_filters(con, n, seed)
        cursor_filters = paged_filters(con, max(1, n // (CURSOR_PAGES + 1)), seed + 1)
    return [
        Scenario("supplier profile", [Call(f"{API}/suppliers/{quote(d, safe='')}") for d in suppliers], PROFILE_GOAL),
        Scenario("entity profile", [Call(f"{API}/entities/{quote(d, safe='')}") for d in entities], PROFILE_GOAL),
        Scenario(f"flags, filtered page of {PAGE_SIZE}", [Call(f"{API}/flags", f) for f in filters], PAGE_GOAL),
        Scenario(
            f"flags, first page + {CURSOR_PAGES} through the cursor",
            [Call(f"{API}/flags", f, follow=CURSOR_PAGES) for f in cursor_filters],
            PAGE_GOAL,
        ),
    ]


# --- the load ----------------------------------------------------------------------------------------------


@dataclass
class Outcome:
    seconds: float
    status: int  # 0: no answer (connection error or timeout)
    error: str = ""


def next_cursor(body: object) -> str | None:
    return body.get("next_cursor") if isinstance(body, dict) else None


def perform(session: requests.Session, base: str, call: Call) -> list[Outcome]:
    """The call, then up to `call.follow` more pages through the cursor: one outcome per request."""
    outcomes, params = [], dict(call.params)
    for _ in range(call.follow + 1):
        started = time.perf_counter()
        try:
            response = session.get(base + call.path, params=params, timeout=REQUEST_TIMEOUT)
            body = response.json() if response.headers.get("content-type", "").startswith("application/json") else None
        except requests.RequestException as error:
            outcomes.append(Outcome(time.perf_counter() - started, 0, type(error).__name__))
            break
        seconds = time.perf_counter() - started
        error = "" if response.ok else f"{response.status_code} {call.path}: {response.text[:200]}"
        outcomes.append(Outcome(seconds, response.status_code, error))
        cursor = next_cursor(body) if response.ok else None
        if not cursor:
            break
        params = {**call.params, "cursor": cursor}
    return outcomes


def load(base: str, calls: list[Call], clients: int) -> tuple[list[Outcome], float]:
    """Every call once, by `clients` threads with a session each; the outcomes and the wall seconds."""
    pending = iter(calls)
    lock = threading.Lock()

    def client() -> list[Outcome]:
        done: list[Outcome] = []
        with requests.Session() as session:
            while True:
                with lock:
                    call = next(pending, None)
                if call is None:
                    return done
                done += perform(session, base, call)

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        results = [pool.submit(client) for _ in range(clients)]
        outcomes = [outcome for future in results for outcome in future.result()]
    return outcomes, time.perf_counter() - started


def run_scenario(server: Server, scenario: Scenario, warm_up: Scenario, clients: int) -> dict:
    """The scenario's calls after an untimed warm-up (`warm_up`: calls of the same kind drawn apart, so that
    every worker has read each table once and none of the timed rows is cached by it); latency, rate,
    errors, and the CPU milliseconds per request of the server and of this process (the clients)."""
    load(server.url, warm_up.calls, clients)
    server_cpu, client_cpu = server.cpu_seconds, time.process_time()
    outcomes, seconds = load(server.url, scenario.calls, clients)
    server_cpu, client_cpu = server.cpu_seconds - server_cpu, time.process_time() - client_cpu
    ok = [1000 * o.seconds for o in outcomes if 200 <= o.status < 300]
    errors = [o for o in outcomes if not 200 <= o.status < 300]
    figures = {
        "requests": len(outcomes),
        "seconds": round(seconds, 2),
        "requests_per_second": round(len(outcomes) / seconds, 1),
        "errors": len(errors),
        "latency_ms": spread(ok),
        "goal_p95_ms": scenario.goal_p95_ms,
        "server_cpu_ms_per_request": round(1000 * server_cpu / len(outcomes), 1),
        "client_cpu_ms_per_request": round(1000 * client_cpu / len(outcomes), 1),
    }
    if errors:
        figures["first_errors"] = sorted({o.error for o in errors})[:3]
    return figures


# --- the download ------------------------------------------------------------------------------------------


def download_csv(server: Server, params: dict[str, str] | None = None) -> dict:
    """The flags (`params`: filters) as one CSV download, counted by parsing it as it arrives; the API's memory
    before and at its peak during the download."""
    before = server.rss_mib
    received = 0
    started = time.perf_counter()
    query = {"format": "csv", **(params or {})}
    with PeakMemory(root=server.process.pid, interval=0.05) as peak:
        with requests.get(f"{server.url}{API}/flags", params=query, stream=True, timeout=REQUEST_TIMEOUT) as got:
            got.raise_for_status()
            counted = _Counted(got.iter_content(1 << 20))
            rows = sum(1 for _ in csv.reader(io.TextIOWrapper(counted, encoding="utf-8-sig", newline=""))) - 1
            received = counted.bytes
    seconds = time.perf_counter() - started
    return {
        "rows": rows,
        "megabytes": round(received / 1e6, 1),
        "seconds": round(seconds, 2),
        "megabytes_per_second": round(received / 1e6 / seconds, 1),
        "rss_before_mib": before,
        "rss_peak_mib": peak.mib,
    }


class _Counted(io.RawIOBase):
    """A readable stream over byte chunks that counts the bytes read."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks, self.pending, self.bytes = chunks, b"", 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self.pending:
            self.pending = next(self.chunks, b"")
            if not self.pending:
                return 0
        size = min(len(buffer), len(self.pending))
        buffer[:size], self.pending = self.pending[:size], self.pending[size:]
        self.bytes += size
        return size


# --- the whole benchmark -----------------------------------------------------------------------------------


def bench(warehouse: Path, requests_per_scenario: int = 300, clients: int = 20, seed: int = 42) -> dict:
    """Every scenario then the download against the API (`python -m api`, its default workers) over `warehouse`;
    the figures."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        contracts = con.execute("select count(*) from fct_contract_risk").fetchone()[0]
        flags = con.execute("select count(*) from fct_contract_flags").fetchone()[0]
        year = con.execute(  # the year whose flags come closest to a tenth of all
            "select year(award_date) from fct_contract_flags where award_date is not null"
            " group by 1 order by abs(count(*) - ?), 1 limit 1",
            [flags / 10],
        ).fetchone()[0]
    plan = scenarios(warehouse, requests_per_scenario, seed)
    warm_ups = {scenario.name: scenario for scenario in scenarios(warehouse, WARM_UP_PER_CLIENT * clients, seed + 1)}
    load_before = round(os.getloadavg()[0], 2)
    figures: dict = {"awards": contracts, "flags": flags, "clients": clients, "load_before": load_before}
    figures["api_workers"] = default_workers()
    figures["scenarios"] = {}
    with api_server(warehouse) as server:
        figures["rss_idle_mib"] = server.rss_mib
        with PeakMemory(root=server.process.pid) as peak:
            for scenario in plan:
                result = run_scenario(server, scenario, warm_ups[scenario.name], clients)
                figures["scenarios"][scenario.name] = result
                print(f"  {scenario.name}: {result}", flush=True)
        figures["rss_load_peak_mib"] = peak.mib
        # a tenth of the flags first: memory that grows with the rows would show as a larger rise below
        figures["download_csv_tenth"] = download_csv(server, {"date_from": f"{year}-01-01", "date_to": f"{year}-12-31"})
        print(f"  flags of {year} as CSV: {figures['download_csv_tenth']}", flush=True)
        figures["download_csv"] = download_csv(server)
        print(f"  every flag as CSV: {figures['download_csv']}", flush=True)
    return figures


def print_table(figures: dict) -> None:
    print(
        f"\nread API ({figures['api_workers']} worker processes): {figures['awards']:,} awards, "
        f"{figures['flags']:,} flags, {figures['clients']} clients "
        f"(1-minute load average before: {figures['load_before']:.1f})"
    )
    header = (
        "scenario",
        "requests",
        "p50 ms",
        "p95 ms",
        "max ms",
        "req/s",
        "errors",
        "CPU ms/req API+client",
        "goal p95",
    )
    lines = [header]
    for name, s in figures["scenarios"].items():
        latency, goal = s["latency_ms"], s["goal_p95_ms"]
        met = "" if goal is None or "p95" not in latency else ("met" if latency["p95"] <= goal else "MISSED")
        lines.append(
            (
                name,
                str(s["requests"]),
                *(str(latency.get(k, "")) for k in ("p50", "p95", "max")),
                str(s["requests_per_second"]),
                str(s["errors"]),
                f"{s['server_cpu_ms_per_request']} + {s['client_cpu_ms_per_request']}",
                f"{goal:.0f} ms {met}" if goal else "",
            )
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    for line in lines:
        cells = zip(line, widths, strict=True)
        print("  ".join(v.ljust(w) if i == 0 else v.rjust(w) for i, (v, w) in enumerate(cells)))
    for label, d in (("the flags of a year", figures["download_csv_tenth"]), ("every flag", figures["download_csv"])):
        print(
            f"{label} as CSV: {d['rows']:,} rows, {d['megabytes']} MB in {d['seconds']} s "
            f"({d['megabytes_per_second']} MB/s); API RSS {d['rss_before_mib']} MiB before, {d['rss_peak_mib']} MiB "
            "at its peak during the download"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=300, help="requests per scenario")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    warehouse = bench_warehouse(args.contracts)
    figures = bench(warehouse, args.requests, args.clients, args.seed)
    print_table(figures)
    append_record({"benchmark": "api", "when": now(), "machine": machine(), "contracts": args.contracts} | figures)


if __name__ == "__main__":
    main()
