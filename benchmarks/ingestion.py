"""Ingestion throughput and memory: our Socrata client + raw batch writer against a bare `requests` loop.

    python -m benchmarks.ingestion --rows 200000 1000000 [--page-size 50000] [--profile]

For each size: generate SECOP II processes once (cached under .data/bench/), serve them with the replay
server in its own process (`python -m simulator.cli serve`), then run, each in a fresh subprocess and
alternating, twice each:

- bare: `requests.Session().get` over exactly the keyset pages our client asks for (same `$select`,
  `$where`, `$order`, `$limit`), `.json()` on each page, then the page is dropped;
- ours: `ingest_source(SECOP_II_PROCESOS, SocrataClient(...), Lake(uri=<temp dir>))`, the full
  ingestion including the parquet files and the control log.

Both children record the URL of every page they request; the run fails if the two sequences differ.
Time is the best of the two runs (both are printed); peak RSS is `VmHWM` read inside each child
(the larger of the two runs). The server shares the machine (its CPU competes with the client's), so
rows per second is end to end, server included. Results are appended to benchmarks/results.jsonl.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from benchmarks.records import append_record, machine, now
from catalogue import SECOP_II_PROCESOS

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".data" / "bench"
PROFILES = Path(__file__).with_name("out")
KEYSET_ORDER = ":updated_at,:id"  # orchestration.socrata.KEYSET_ORDER (not imported: it pulls in Dagster)
RUNS = 2
GOAL_RATIO = 0.80
GOAL_RSS_MIB = 1024
GOAL_RSS_GROWTH = 1.25
MIB = 1024 * 1024


# -- children (one measurement each, in a fresh interpreter) ------------------------------------------


def _record_page_urls() -> list[str]:
    """Remember the URL of every `/resource/` request this process sends (same hook for both sides)."""
    import requests

    urls: list[str] = []
    send = requests.Session.send

    def recording_send(self, request, **kwargs):
        if "/resource/" in request.url:
            urls.append(request.url)
        return send(self, request, **kwargs)

    requests.Session.send = recording_send
    return urls


def _soql_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def bare_loop(url: str, dataset_id: str, page_size: int) -> dict:
    """Walk the keyset pages the way `SocrataClient.pages` does, with nothing but requests + `.json()`."""
    import requests

    resource = f"{url}/resource/{dataset_id}.json"
    rows = pages = size = 0
    after: tuple[str, str] | None = None
    with requests.Session() as session:
        while True:
            params = {"$select": ":*,*", "$order": KEYSET_ORDER, "$limit": str(page_size)}
            if after is not None:
                updated_at, row_id = (_soql_literal(v) for v in after)
                params["$where"] = f"(:updated_at > {updated_at} OR (:updated_at = {updated_at} AND :id > {row_id}))"
            response = session.get(resource, params=params, headers={"Accept": "application/json"}, timeout=120)
            response.raise_for_status()
            page = response.json()
            size += len(response.content)
            if not page:
                break
            pages += 1
            rows += len(page)
            if len(page) < page_size:
                break
            after = (page[-1][":updated_at"], page[-1][":id"])
            del page, response
    return {"rows": rows, "pages": pages, "bytes": size}


def ours(url: str, page_size: int) -> dict:
    from orchestration.ingest import ingest_source
    from orchestration.lake import Lake
    from orchestration.socrata import SocrataClient

    lake_dir = tempfile.mkdtemp(prefix="secop-bench-lake-")
    try:
        client = SocrataClient(base_url=url, page_size=page_size)
        result = ingest_source(SECOP_II_PROCESOS, client, Lake(uri=lake_dir))
        stats = result.stats
        return {"rows": result.rows, "pages": stats.pages, "bytes": stats.bytes, "files": len(result.files)}
    finally:
        shutil.rmtree(lake_dir, ignore_errors=True)


def _peak_rss_mib() -> float:
    """This process's own peak (`VmHWM`). Not `ru_maxrss`: Linux carries it over `exec` from the parent's
    memory at `fork`, so a child of a large process (the suite) would report the parent's size."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024  # kB
    raise RuntimeError("no VmHWM in /proc/self/status")


def child(kind: str, url: str, page_size: int, profile_out: str | None) -> None:
    """One measurement; prints its figures as a JSON line on stdout."""
    if kind == "ours":  # imports are not part of the timed work, but their memory is part of the peak
        import orchestration.ingest  # noqa: F401
    import requests  # noqa: F401

    imported_rss = _peak_rss_mib()
    urls = _record_page_urls()

    def work() -> dict:
        return bare_loop(url, SECOP_II_PROCESOS.dataset_id, page_size) if kind == "bare" else ours(url, page_size)

    profiler = None
    if profile_out:
        import cProfile

        profiler = cProfile.Profile()
    cpu, started = time.process_time(), time.perf_counter()
    figures = profiler.runcall(work) if profiler else work()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    if profiler:
        profiler.dump_stats(profile_out)
    figures |= {
        "seconds": seconds,
        "cpu_seconds": cpu,
        "peak_rss_mib": _peak_rss_mib(),
        "imported_rss_mib": imported_rss,
        "requests": len(urls),
        "urls_sha256": hashlib.sha256("\n".join(urls).encode()).hexdigest(),
    }
    print(json.dumps(figures), flush=True)


def measure(kind: str, url: str, page_size: int, profile_out: Path | None = None) -> dict:
    command = [sys.executable, "-m", "benchmarks.ingestion", "--child", kind, "--url", url]
    command += ["--page-size", str(page_size)]
    if profile_out:
        command += ["--profile-out", str(profile_out)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"{kind} run failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- data and server -----------------------------------------------------------------------------------


def generated_data(rows: int, seed: int, cache: bool) -> Path:
    """A folder holding `<dataset id>.parquet` with `rows` generated rows (generated in a subprocess, so
    that this process stays small and the other sources of `simulator.cli generate` are not served)."""
    folder = CACHE / f"processes-{rows}-seed{seed}" if cache else Path(tempfile.mkdtemp(prefix="secop-bench-data-"))
    if (folder / f"{SECOP_II_PROCESOS.dataset_id}.parquet").exists():
        print(f"data: reusing {folder}", flush=True)
        return folder
    started = time.perf_counter()
    generate = (
        "import sys; from simulator.generator import generate_processes as g; "
        "g(int(sys.argv[1]), sys.argv[2], int(sys.argv[3]))"
    )
    subprocess.run([sys.executable, "-c", generate, str(rows), str(folder), str(seed)], cwd=ROOT, check=True)
    print(f"data: generated {rows:,} rows in {time.perf_counter() - started:.1f} s -> {folder}", flush=True)
    return folder


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _vm_hwm_mib(pid: int) -> float | None:
    """Peak resident memory of a running process (Linux), or None."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    return next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")), None)


class Server:
    """`python -m simulator.cli serve` in its own process, stopped (SIGTERM) on exit."""

    def __init__(self, data: Path, log_path: Path):
        self.data, self.log_path = data, log_path
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.peak_rss_mib: float | None = None

    def __enter__(self) -> Server:
        command = [sys.executable, "-m", "simulator.cli", "serve", "--data", str(self.data), "--port", str(self.port)]
        self.log = self.log_path.open("w")
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        started = time.perf_counter()
        probe = f"{self.url}/api/views/{SECOP_II_PROCESOS.dataset_id}.json"
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"replay server exited with {self.process.returncode}; see {self.log_path}")
            try:
                with urllib.request.urlopen(probe, timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.perf_counter() - started > 600:
                self.__exit__()
                raise RuntimeError(f"replay server did not answer within 600 s; see {self.log_path}")
            time.sleep(0.5)
        print(f"server: pid {self.process.pid} at {self.url}, ready in {time.perf_counter() - started:.1f} s")
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.peak_rss_mib = _vm_hwm_mib(self.process.pid)
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


# -- the benchmark -------------------------------------------------------------------------------------


def _side(runs: list[dict]) -> dict:
    best = min(runs, key=lambda r: r["seconds"])
    return {
        "seconds": round(best["seconds"], 2),
        "rows_per_second": round(best["rows"] / best["seconds"]),
        "cpu_seconds": round(best["cpu_seconds"], 2),
        "runs_seconds": [round(r["seconds"], 2) for r in runs],
        "peak_rss_mib": round(max(r["peak_rss_mib"] for r in runs)),
        "imported_rss_mib": round(max(r["imported_rss_mib"] for r in runs)),
    }


def bench_size(rows: int, page_size: int, seed: int, cache: bool, profile: bool, logdir: Path) -> dict:
    data = generated_data(rows, seed, cache)
    runs: dict[str, list[dict]] = {"bare": [], "ours": []}
    load = [round(os.getloadavg()[0], 2)]  # other work on the machine skews the figures: keep it on record
    with Server(data, logdir / f"server-{rows}.log") as server:
        for attempt in range(1, RUNS + 1):
            for kind in ("bare", "ours"):
                run = measure(kind, server.url, page_size)
                runs[kind].append(run)
                load.append(round(os.getloadavg()[0], 2))
                print(
                    f"{rows:>11,} rows  {kind:<4} run {attempt}: {run['seconds']:7.1f} s "
                    f"{run['rows'] / run['seconds']:>9,.0f} rows/s  cpu {run['cpu_seconds']:6.1f} s  "
                    f"peak RSS {run['peak_rss_mib']:6.0f} MiB (after imports {run['imported_rss_mib']:.0f})  "
                    f"load {load[-1]:.2f}",
                    flush=True,
                )
        if profile:
            PROFILES.mkdir(exist_ok=True)
            profile_out = PROFILES / f"ingestion-{rows}.prof"
            measure("ours", server.url, page_size, profile_out)
            print_profile(profile_out)
    if not cache:
        shutil.rmtree(data, ignore_errors=True)
    every = runs["bare"] + runs["ours"]
    if len({(r["rows"], r["pages"], r["urls_sha256"]) for r in every}) != 1 or every[0]["rows"] != rows:
        raise RuntimeError(f"the runs did not request the same pages / rows: {every}")
    bare, ours_ = _side(runs["bare"]), _side(runs["ours"])
    return {
        "rows": rows,
        "page_size": page_size,
        "pages": every[0]["pages"],
        "requests": every[0]["requests"],
        "megabytes": round(every[0]["bytes"] / MIB),
        "bare": bare,
        "ours": ours_,
        "ours_vs_bare": round(ours_["rows_per_second"] / bare["rows_per_second"], 3),
        "server": {"separate_process": True, "peak_rss_mib": server.peak_rss_mib and round(server.peak_rss_mib)},
        "load_average_1m": load,
    }


def print_profile(path: Path) -> None:
    import pstats

    print(f"\nprofile of ours ({path}): top functions by own time, then by cumulative time")
    stats = pstats.Stats(str(path), stream=sys.stdout).strip_dirs()
    stats.sort_stats("tottime").print_stats(20)
    stats.sort_stats("cumulative").print_stats(25)


def print_table(results: list[dict]) -> None:
    print()
    header = (
        f"{'rows':>11} {'pages':>6} {'bare s':>8} {'bare rows/s':>12} {'ours s':>8} {'ours rows/s':>12} "
        f"{'ours/bare':>10} {'RSS bare':>10} {'RSS ours':>10}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        bare, ours_ = r["bare"], r["ours"]
        print(
            f"{r['rows']:>11,} {r['pages']:>6} {bare['seconds']:>8.1f} {bare['rows_per_second']:>12,} "
            f"{ours_['seconds']:>8.1f} {ours_['rows_per_second']:>12,} {r['ours_vs_bare']:>10.0%} "
            f"{bare['peak_rss_mib']:>6,} MiB {ours_['peak_rss_mib']:>6,} MiB"
        )
    ratios = ", ".join(f"{r['ours_vs_bare']:.0%}" for r in results)
    peak = max(r["ours"]["peak_rss_mib"] for r in results)
    verdicts = [
        f"ours/bare >= {GOAL_RATIO:.0%}: {_verdict(all(r['ours_vs_bare'] >= GOAL_RATIO for r in results))} ({ratios})",
        f"peak RSS <= {GOAL_RSS_MIB:,} MiB: {_verdict(peak <= GOAL_RSS_MIB)} (max {peak:,} MiB)",
    ]
    if len(results) > 1:
        small, large = min(results, key=lambda r: r["rows"]), max(results, key=lambda r: r["rows"])
        growth = large["ours"]["peak_rss_mib"] / small["ours"]["peak_rss_mib"]
        verdicts.append(
            f"RSS flat with rows (<= {GOAL_RSS_GROWTH}x): {_verdict(growth <= GOAL_RSS_GROWTH)} "
            f"({large['rows']:,} / {small['rows']:,} rows = {growth:.2f}x)"
        )
    print("goals: " + "; ".join(verdicts))
    servers = ", ".join(f"{r['server']['peak_rss_mib']:,} MiB at {r['rows']:,} rows" for r in results)
    print(
        f"note: the replay server is a separate process on the same {os.cpu_count()}-cpu machine "
        f"(peak RSS {servers}); its CPU competes with the client's, and both sides include its time."
    )


def _verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--page-size", type=int, default=50_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--no-cache", action="store_true", help="generate into a temp dir, not .data/bench/")
    parser.add_argument("--profile", action="store_true", help="one extra cProfile'd run of ours at the smallest size")
    parser.add_argument("--child", choices=["bare", "ours"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--profile-out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.url, args.page_size, args.profile_out)
        return

    sizes = sorted(args.rows)
    print(f"ingestion benchmark: {', '.join(f'{n:,}' for n in sizes)} rows, pages of {args.page_size:,}", flush=True)
    logdir = Path(tempfile.mkdtemp(prefix="secop-bench-logs-"))
    results = []
    for rows in sizes:
        results.append(bench_size(rows, args.page_size, args.seed, not args.no_cache, args.profile, logdir))
        args.profile = False
    print_table(results)
    for result in results:
        append_record({"when": now(), "benchmark": "ingestion", "machine": machine(), **result})
    shutil.rmtree(logdir, ignore_errors=True)


if __name__ == "__main__":
    main()
