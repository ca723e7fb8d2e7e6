"""A warm local Spark Connect server, so that small Spark runs skip the cost of starting Spark.

The live alert path cleans a handful of new contracts per micro-batch with the same trusted-zone job as
the batch ETL (`spark_jobs.clean_source`, run by `LocalSparkRunner`). A fresh local SparkSession costs
30-45 s a run; as a client of a Spark Connect server that is already up (`LocalSparkRunner(remote=url)`,
or `SECOP_SPARK_REMOTE=url`) the same job code takes a few seconds. `spark_connect_server()` starts one
as a child process listening on 127.0.0.1 only and yields its `sc://` URL; `python -m
workbench.spark_connect [--port N]` keeps one running beside `dagster dev` until Ctrl-C. The server
runs on this machine because the job reaches the lake's files directly: the lake is a local folder.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import pyspark

from catalogue import SECOP_II_CONTRATOS, Source
from catalogue.lake_layout import spark_layout
from orchestration.settings import REPO_ROOT, repo_python_path
from orchestration.spark import job_environment

SERVER_CLASS = "org.apache.spark.sql.connect.service.SparkConnectServer"
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex((HOST, port)) == 0


def server_command(port: int, master: str, driver_memory: str) -> list[str]:
    """pyspark's own `spark-submit` running the Connect server class (its jar ships in `pyspark/jars`)."""
    conf = {
        "spark.connect.grpc.binding.address": HOST,
        "spark.connect.grpc.binding.port": str(port),
        "spark.port.maxRetries": "0",  # the port asked for or a failure, never the next one up
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.session.timeZone": "UTC",
    }
    command = [str(Path(pyspark.__file__).parent / "bin" / "spark-submit"), "--class", SERVER_CLASS]
    command += ["--name", "secop-redflags Spark Connect", "--master", master, "--driver-memory", driver_memory]
    for key, value in conf.items():
        command += ["--conf", f"{key}={value}"]
    return command


def _server_env() -> dict[str, str]:
    """What a Spark server sees of this environment (no secret: orchestration.spark.job_environment), with
    pyspark's Spark, loopback only, not a Connect client."""
    env = job_environment(os.environ)
    env.update(
        SPARK_HOME=str(Path(pyspark.__file__).parent),
        SPARK_LOCAL_IP=HOST,
        SPARK_CONNECT_MODE="0",  # as pyspark's sbin/start-connect-server.sh: a classic Spark driver
        PYSPARK_PYTHON=env.get("PYSPARK_PYTHON", sys.executable),
    )
    return env


def _answers(url: str) -> bool:
    """Whether a Connect client runs a query there (a session of its own, not the process's default)."""
    from pyspark.sql.connect.session import SparkSession as ConnectSession

    session = ConnectSession(connection=url)
    try:
        return session.range(1).count() == 1
    finally:
        session.stop()


def warm_up(url: str, specs: list[dict], timeout: float = 300) -> None:
    """The trusted job on one synthetic row of each source of `specs` (spark_jobs/warm_up.py), in a client
    process of its own: the first real run on a new server otherwise pays 10-30 s of planning and code
    generation."""
    env = {**job_environment(os.environ), "SPARK_REMOTE": url, "PYTHONPATH": repo_python_path()}
    command = [sys.executable, "-m", "spark_jobs.warm_up", json.dumps({"specs": specs, "layout": spark_layout()})]
    done = subprocess.run(command, env=env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise RuntimeError(f"Spark Connect warm-up failed ({done.returncode}):\n{done.stderr[-4000:]}")


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def _stop(process: subprocess.Popen, wait_seconds: float = 30) -> None:
    """SIGTERM to the server's process group (spark-submit and its JVM), SIGKILL if it lingers."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(wait_seconds)
            return
        except subprocess.TimeoutExpired:
            continue


@contextmanager
def spark_connect_server(
    port: int | None = None,
    master: str = "local[2]",
    driver_memory: str = "2g",
    log_path: Path | None = None,
    timeout: float = 120,
    warm_sources: tuple[Source, ...] = (SECOP_II_CONTRATOS,),
) -> Iterator[str]:
    """A local Spark Connect server for the duration of the block; yields its `sc://127.0.0.1:<port>` URL.

    Waits (at most `timeout` seconds) until a client runs a query there, then warms it up with the trusted
    job of `warm_sources` (`warm_up`; the live path's contracts by default).
    The server's output goes to `log_path`, or to a file in a temporary folder, and its end is quoted
    if it dies or never answers.
    """
    port = port or free_port()
    url = f"sc://{HOST}:{port}"
    with ExitStack() as stack:
        if log_path is None:
            log_path = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="spark-connect-"))) / "server.log"
        log = stack.enter_context(open(log_path, "wb"))
        process = subprocess.Popen(
            server_command(port, master, driver_memory),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=_server_env(),
            start_new_session=True,  # its own process group, stopped as a whole
        )
        stack.callback(_stop, process)
        deadline = time.monotonic() + timeout
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"Spark Connect server exited with {process.returncode}:\n{_tail(log_path)}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"Spark Connect server not ready at {url} after {timeout:.0f} s:\n{_tail(log_path)}")
            if _listening(port) and _answers(url):
                break
            time.sleep(0.5)
        warm_up(url, [source.cleaning_spec() for source in warm_sources])
        yield url


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run a local Spark Connect server until Ctrl-C or SIGTERM.")
    parser.add_argument("--port", type=int, default=15002, help="default: 15002, Spark Connect's usual port")
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--driver-memory", default="2g")
    parser.add_argument("--log", type=Path, help="server log file (default: a temporary file)")
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # unwinds the server's context: it stops too
    started = time.monotonic()
    with spark_connect_server(args.port, args.master, args.driver_memory, args.log) as url:
        print(f"Spark Connect server ready in {time.monotonic() - started:.0f} s at {url}", flush=True)
        print(f"  export SECOP_SPARK_REMOTE={url}   # Ctrl-C stops it", flush=True)
        try:
            while _listening(args.port):
                time.sleep(5)
        except KeyboardInterrupt:
            return
    sys.exit("Spark Connect server stopped on its own")


if __name__ == "__main__":
    main()
