"""The local Spark job's process sees only the variables it needs: a real `python -m` subprocess through the
local runner (`tests/pipes_jobs/environment.py` reports what it sees), with secrets planted in this process."""

import uuid

import dagster as dg
import pytest

from orchestration.spark import LocalSparkRunner, SparkRunner

pytestmark = pytest.mark.timeout(120)

SECRETS = (
    "SECOP_APP_TOKEN",
    "SECOP_ALERT_WEBHOOK_URL",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "REDSHIFT_PASSWORD",
    "SOME_UNRELATED_SECRET",
)


class ProbeConfig(dg.Config):
    module: str
    planted: str


@dg.asset(key=["trusted", "environment_probe"])
def environment_probe(context: dg.AssetExecutionContext, spark: SparkRunner, config: ProbeConfig):
    yield from spark.run(context, config.module, {"planted": config.planted})


def run_probe(
    runner: SparkRunner, planted: str, module: str = "tests.pipes_jobs.environment"
) -> dg.ExecuteInProcessResult:
    config = {"ops": {"trusted__environment_probe": {"config": {"module": module, "planted": planted}}}}
    return dg.materialize([environment_probe], resources={"spark": runner}, run_config=config, raise_on_error=False)


def test_the_job_process_gets_no_secret_of_the_orchestrator(monkeypatch):
    planted = f"planted-{uuid.uuid4().hex}"
    for name in SECRETS:
        monkeypatch.setenv(name, f"https://user:{planted}@example.invalid/{name}")
    monkeypatch.setenv("SPARK_REMOTE", f"sc://{planted}:15002")  # the runner decides where Spark runs
    monkeypatch.setenv("SPARK_SHUFFLE_PARTITIONS", "3")  # read by the job
    monkeypatch.setenv("LC_ALL", "C.UTF-8")

    result = run_probe(LocalSparkRunner(master="local[1]", driver_memory="1g"), planted)

    assert result.success
    [event] = result.asset_materializations_for_node("trusted__environment_probe")
    seen = {key: value.value for key, value in event.metadata.items()}
    assert seen["holding_planted"] == []  # no variable of the job holds a planted value
    assert not set(SECRETS) & set(seen["names"])
    assert {"PATH", "LC_ALL", "PYTHONPATH", "DAGSTER_PIPES_CONTEXT", "DAGSTER_PIPES_MESSAGES"} <= set(seen["names"])
    assert seen["spark"] == {
        "SPARK_LOCAL_IP": "127.0.0.1",
        "SPARK_MASTER": "local[1]",
        "SPARK_DRIVER_MEMORY": "1g",
        "SPARK_SHUFFLE_PARTITIONS": "3",
    }


def test_a_spark_connect_client_is_told_the_runners_server_only(monkeypatch):
    monkeypatch.setenv("SPARK_REMOTE", "sc://elsewhere:15002")
    monkeypatch.setenv("REDSHIFT_PASSWORD", "planted")
    env = LocalSparkRunner(remote="sc://127.0.0.1:15002").environment()
    assert env["SPARK_REMOTE"] == "sc://127.0.0.1:15002"
    assert not {"SPARK_MASTER", "SPARK_DRIVER_MEMORY", "REDSHIFT_PASSWORD"} & env.keys()
    assert "SPARK_REMOTE" not in LocalSparkRunner().environment()


def test_a_job_that_fails_fails_the_step_naming_the_job():
    result = run_probe(LocalSparkRunner(), "unused", module="tests.pipes_jobs.no_such_job")
    assert not result.success
    [failure] = [e for e in result.all_events if e.is_step_failure]
    assert "Spark job tests.pipes_jobs.no_such_job exited with code 1" in failure.step_failure_data.error.message
