"""Run a Spark job of `spark_jobs/` through Dagster Pipes.

Assets call `LocalSparkRunner.run(context, module, extras)` and never know where Spark runs: locally the
job is a `python -m` subprocess with PySpark `local[*]` (`PipesSubprocessClient`).
"""

from __future__ import annotations

import os
import sys

import dagster as dg

from orchestration.settings import REPO_ROOT


class LocalSparkRunner(dg.ConfigurableResource):
    """PySpark `local[*]` in a subprocess, talking back over Pipes (stdout/temp-file channel)."""

    master: str = "local[*]"
    driver_memory: str = "4g"

    def run(self, context: dg.AssetExecutionContext, module: str, extras: dict) -> list[dg.MaterializeResult]:
        """The job's results: one materialization per asset it reported on."""
        env = {
            **os.environ,
            "SPARK_MASTER": self.master,
            "SPARK_DRIVER_MEMORY": self.driver_memory,
            "SPARK_LOCAL_IP": "127.0.0.1",  # the driver's ports listen on loopback only
        }
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(REPO_ROOT), os.environ.get("PYTHONPATH")]))
        client = dg.PipesSubprocessClient(cwd=str(REPO_ROOT))
        invocation = client.run(context=context, command=[sys.executable, "-m", module], extras=extras, env=env)
        return invocation.get_results()
