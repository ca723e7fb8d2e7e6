"""`secop-simulator`: generate synthetic SECOP data, or serve a folder of datasets as a Socrata portal."""

from __future__ import annotations

import argparse
import signal
import threading
from pathlib import Path


def generate(args: argparse.Namespace) -> None:
    from simulator.generator import generate_processes

    result = generate_processes(args.rows, Path(args.out), seed=args.seed, mixed=args.mixed)
    print(f"{result.rows:,} rows -> {result.path}")
    print(f"{len(result.repeat_award_groups)} repeat-award groups -> {result.ground_truth_path}")
    if args.processes_only:
        return

    from simulator.datasets import generate_sources, row_counts
    from simulator.truth import RUN_DATE as TRUTH_RUN_DATE
    from simulator.truth import flags_path, load_planted_flags

    counts = row_counts(result.rows, args.scale)
    written = generate_sources(Path(args.out), result.path, seed=args.seed, scale=args.scale, mixed=args.mixed)
    for name, path in written.items():
        print(f"{counts[name]:,} rows -> {path} ({name})")
    flags = load_planted_flags(flags_path(Path(args.out)))
    print(
        f"{sum(map(len, flags.values())):,} {'' if args.mixed else 'planted '}flags of {len(flags)} indicators "
        f"(as of {TRUTH_RUN_DATE}) -> {flags_path(Path(args.out))}"
    )
    for indicator, awards in flags.items():
        print(f"  {indicator:<30}{len(awards):>6} awards")


def serve(args: argparse.Namespace) -> None:
    from simulator.replay.server import serve_directory

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with serve_directory(Path(args.data), port=args.port) as server:
        print(f"serving {args.data} at {server.url} (Ctrl-C to stop)", flush=True)
        if server.files_dir is not None:
            print(f"PACO files of {server.files_dir} at {server.paco_url}", flush=True)
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass


def main() -> None:
    parser = argparse.ArgumentParser(prog="secop-simulator", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    gen = commands.add_parser(
        "generate", help="synthetic SECOP II processes with planted red flags, and every other source to match"
    )
    gen.add_argument("--rows", type=int, default=50_000, help="SECOP II process rows")
    gen.add_argument("--seed", type=int, default=42)
    gen.add_argument("--out", default=".data/simulator")
    gen.add_argument("--scale", type=float, default=1.0, help="multiplies the default rows of the other sources")
    gen.add_argument("--processes-only", action="store_true", help="write only the SECOP II processes")
    gen.add_argument("--mixed", action="store_true", help="a mixed world: boundary populations, firing background")
    gen.set_defaults(handler=generate)
    srv = commands.add_parser(
        "serve", help="serve every <4x4>.parquet|csv of a folder (and its paco/ files) on 127.0.0.1"
    )
    srv.add_argument("--data", default=".data/simulator")
    srv.add_argument("--port", type=int, default=8765)
    srv.set_defaults(handler=serve)
    args = parser.parse_args()
    args.handler(args)


if __name__ == "__main__":
    main()
