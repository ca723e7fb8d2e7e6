"""The AWS Spark path against a moto server on 127.0.0.1 (conftest `moto_s3`): EMR on EC2, EMR Serverless,
the code upload and the Glue registration.

moto runs no Spark: an EMR step stays RUNNING for ever, so the EMR test checks what we submit and that a
run that waits too long stops its cluster; an EMR Serverless job run succeeds at once, so that test runs
the uploaded entry script locally with the bootstrap parameters the client sent, writing its Pipes
messages to the moto bucket, and the client reads them back as it would on AWS. The job is the tiny
`tests/pipes_jobs/report.py` (Spark itself is covered by the cleaning and end-to-end tests).
"""

import copy
import io
import json
import os
import re
import subprocess
import sys
import uuid
import zipfile

import boto3
import dagster as dg
import pytest
from dagster._core.pipes import utils as pipes_utils
from dagster_pipes import PipesMappingParamsLoader, decode_param, encode_param
from pyspark.sql import types as T

from orchestration.settings import REPO_ROOT, Settings
from orchestration.spark import (
    EmrServerlessSparkRunner,
    EmrSparkRunner,
    SparkRunner,
    package_job_code,
    split_s3_uri,
)
from spark_jobs.glue import hive_columns, hive_type, register_trusted_table
from spark_jobs.pipes_channel import wants_s3

pytestmark = pytest.mark.timeout(180)

JOB = "tests.pipes_jobs.report"
ROLE_ARN = "arn:aws:iam::123456789012:role/secop-emr-job"


@pytest.fixture
def aws(moto_s3, monkeypatch) -> str:
    """Every boto3 client of this process and its children on the moto server (S3 through our variable)."""
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_s3)
    monkeypatch.setenv("SECOP_S3_ENDPOINT_URL", moto_s3)
    return moto_s3


@pytest.fixture
def boto_events():
    """Register botocore event handlers on the default session (inherited by clients created afterwards)."""
    if boto3.DEFAULT_SESSION is None:
        boto3.setup_default_session()
    events = boto3.DEFAULT_SESSION.events
    registered = []

    def register(event: str, handler) -> None:
        events.register(event, handler)
        registered.append((event, handler))

    yield register
    for event, handler in registered:
        events.unregister(event, handler)


@dg.asset(key=["trusted", "probe"])
def probe(context: dg.AssetExecutionContext, spark: SparkRunner):
    yield from spark.run(context, JOB, {"lake_root": "s3://lake/probe"})


def prefix() -> str:
    return f"s3://lake/{uuid.uuid4().hex}/emr"


def read_s3(endpoint: str, uri: str) -> bytes:
    bucket, key = split_s3_uri(uri)
    return boto3.client("s3", endpoint_url=endpoint).get_object(Bucket=bucket, Key=key)["Body"].read()


def test_job_code_is_deterministic_and_uploaded_once(aws, boto_events):
    code = package_job_code()
    assert code.sha256 == package_job_code().sha256
    names = zipfile.ZipFile(io.BytesIO(code.zip_bytes)).namelist()
    assert {"spark_jobs/clean_source.py", "spark_jobs/pipes_channel.py", "spark_jobs/glue.py"} <= set(names)
    assert "dagster_pipes/__init__.py" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]

    puts = []
    boto_events("before-parameter-build.s3.PutObject", lambda params, **_: puts.append(params["Key"]))
    runner = EmrSparkRunner(s3_prefix=prefix(), s3_endpoint_url=aws)
    s3 = boto3.client("s3", endpoint_url=aws)
    first = runner.upload_code(s3, code)
    assert first.zip_uri == f"{runner.s3_prefix}/code/{code.sha256}/secop_jobs.zip"
    assert first.entry_uri == f"{runner.s3_prefix}/code/{code.sha256}/entry.py"
    assert len(puts) == 2 and puts[-1].endswith("entry.py")  # the entry script last: it marks completeness
    assert runner.upload_code(s3, code) == first
    assert len(puts) == 2  # same content hash: nothing uploaded again
    assert read_s3(aws, first.zip_uri) == code.zip_bytes


def test_emr_submits_a_transient_cluster_with_the_uploaded_code_and_stops_it_when_it_waits_too_long(
    aws, boto_events, monkeypatch
):
    # moto never finishes the step; the run gives up after max_wait_seconds. The Pipes readers would then
    # wait a minute for logs and messages that never come: shorten those waits for the test.
    monkeypatch.setattr(pipes_utils, "WAIT_FOR_LOGS_TIMEOUT", 1)
    monkeypatch.setattr(pipes_utils, "WAIT_FOR_LOGS_AFTER_EXECUTION_INTERVAL", 1)
    requests, contexts = [], []

    def capture(params, **_):
        requests.append(copy.deepcopy(params))
        env = next(c for c in params["Configurations"] if c["Classification"] == "spark-env")
        context_params = decode_param(env["Configurations"][0]["Properties"]["DAGSTER_PIPES_CONTEXT"])
        contexts.append(context_params)
        contexts.append(json.loads(read_s3(aws, f"s3://{context_params['bucket']}/{context_params['key']}")))

    boto_events("before-parameter-build.emr.RunJobFlow", capture)
    runner = EmrSparkRunner(
        s3_prefix=prefix(),
        s3_endpoint_url=aws,
        release_label="emr-7.5.0",
        instance_type="m5.2xlarge",
        instance_count=4,
        service_role="secop-emr-service",
        instance_profile="secop-emr-ec2",
        python="python3.11",
        glue_database="secop_test",
        poll_seconds=1,
        max_wait_seconds=2,
    )
    with pytest.raises(dg.Failure, match="did not finish within 2 s"):
        dg.materialize([probe], resources={"spark": runner})

    [request] = requests
    code = package_job_code()
    zip_uri = f"{runner.s3_prefix}/code/{code.sha256}/secop_jobs.zip"
    entry_uri = f"{runner.s3_prefix}/code/{code.sha256}/entry.py"
    assert request["ReleaseLabel"] == "emr-7.5.0"
    assert request["Applications"] == [{"Name": "Spark"}]
    assert request["LogUri"] == f"{runner.s3_prefix}/logs/emr/"
    assert (request["ServiceRole"], request["JobFlowRole"]) == ("secop-emr-service", "secop-emr-ec2")
    instances = request["Instances"]
    assert instances["KeepJobFlowAliveWhenNoSteps"] is False
    assert [(g["InstanceRole"], g["InstanceType"], g["InstanceCount"]) for g in instances["InstanceGroups"]] == [
        ("MASTER", "m5.2xlarge", 1),
        ("CORE", "m5.2xlarge", 3),
    ]
    [step] = request["Steps"]
    assert step["ActionOnFailure"] == "TERMINATE_CLUSTER"
    assert step["HadoopJarStep"] == {
        "Jar": "command-runner.jar",
        "Args": [
            "spark-submit",
            "--deploy-mode",
            "client",
            "--py-files",
            zip_uri,
            "--conf",
            "spark.pyspark.python=python3.11",
            entry_uri,
            JOB,
        ],
    }
    # The Pipes bootstrap: context as an S3 object, messages to S3, both under <prefix>/pipes/.
    properties = {
        c["Classification"]: c.get("Configurations", [{}])[0].get("Properties", c.get("Properties"))
        for c in request["Configurations"]
    }
    assert {"spark-env", "spark-defaults", "yarn-env", "hadoop-env"} <= properties.keys()
    messages = decode_param(properties["spark-env"]["DAGSTER_PIPES_MESSAGES"])
    bucket, key = split_s3_uri(runner.s3_prefix)
    assert messages["bucket"] == bucket and messages["key_prefix"].startswith(f"{key}/pipes/")
    assert messages["include_stdio_in_messages"] is True
    context_params, context = contexts
    assert context_params["bucket"] == bucket and context_params["key"].startswith(f"{key}/pipes/")
    region = boto3.session.Session().region_name
    assert context["extras"] == {"lake_root": "s3://lake/probe", "glue_database": "secop_test", "aws_region": region}
    assert "spark.yarn.appMasterEnv.DAGSTER_PIPES_MESSAGES" in properties["spark-defaults"]
    assert {"Key": "project", "Value": "secop-redflags"} in request["Tags"]
    assert request["VisibleToAllUsers"] is False  # only its creator sees and manages the cluster (the default)

    # What moto holds: the cluster (terminated by the give-up path), its step, the uploaded code.
    emr = boto3.client("emr")
    [cluster] = [c for c in emr.list_clusters()["Clusters"] if c["Name"] == request["Name"]]
    assert cluster["Status"]["State"] in {"TERMINATING", "TERMINATED"}
    assert emr.describe_cluster(ClusterId=cluster["Id"])["Cluster"]["VisibleToAllUsers"] is False
    [moto_step] = emr.list_steps(ClusterId=cluster["Id"])["Steps"]
    assert moto_step["Config"]["Args"][-2:] == [entry_uri, JOB]
    names = zipfile.ZipFile(io.BytesIO(read_s3(aws, zip_uri))).namelist()
    assert "spark_jobs/clean_source.py" in names and "dagster_pipes/__init__.py" in names
    assert read_s3(aws, entry_uri).decode().count("runpy.run_module") == 1


def test_emr_serverless_end_to_end_through_s3(aws, boto_events, tmp_path, capfd):
    application_id = boto3.client("emr-serverless").create_application(
        name="secop", releaseLabel="emr-7.5.0", type="SPARK"
    )["applicationId"]
    runs = []

    def run_it_here(params, **_):
        """What the application would do: run the uploaded entry script with the uploaded zip."""
        runs.append(copy.deepcopy(params))
        driver = params["jobDriver"]["sparkSubmit"]
        submit = driver["sparkSubmitParameters"]
        env = dict(re.findall(r"--conf spark\.emr-serverless\.driverEnv\.(\w+)=(\S+)", submit))
        [zip_uri] = re.findall(r"--conf spark\.submit\.pyFiles=(\S+)", submit)
        (tmp_path / "job.zip").write_bytes(read_s3(aws, zip_uri))
        (tmp_path / "entry.py").write_bytes(read_s3(aws, driver["entryPoint"]))
        done = subprocess.run(
            [sys.executable, str(tmp_path / "entry.py"), *driver["entryPointArguments"]],
            env={**os.environ, **env, "PYTHONPATH": os.pathsep.join([str(tmp_path / "job.zip"), str(REPO_ROOT)])},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr

    boto_events("before-parameter-build.emr-serverless.StartJobRun", run_it_here)
    runner = EmrServerlessSparkRunner(
        s3_prefix=prefix(),
        s3_endpoint_url=aws,
        application_id=application_id,
        job_role_arn=ROLE_ARN,
        glue_database="secop_test",
        poll_seconds=1,
        max_wait_seconds=600,
    )
    result = dg.materialize([probe], resources={"spark": runner})

    assert result.success
    [materialization] = result.asset_materializations_for_node("trusted__probe")
    metadata = {k: v.value for k, v in materialization.metadata.items()}
    assert metadata["glue_database"] == "secop_test" and metadata["lake_root"] == "s3://lake/probe"
    assert metadata["module"] == JOB
    zipped = str(tmp_path / "job.zip")
    assert all(path.startswith(zipped + os.sep) for path in metadata["loaded_from"])  # the uploaded zip's code
    assert "report job: a line on stdout" in capfd.readouterr().out  # stdout forwarded through the messages

    [request] = runs
    code = package_job_code()
    driver = request["jobDriver"]["sparkSubmit"]
    assert request["applicationId"] == application_id and request["executionRoleArn"] == ROLE_ARN
    assert driver["entryPoint"] == f"{runner.s3_prefix}/code/{code.sha256}/entry.py"
    assert driver["entryPointArguments"] == [JOB]
    assert (
        f"--conf spark.submit.pyFiles={runner.s3_prefix}/code/{code.sha256}/secop_jobs.zip"
        in driver["sparkSubmitParameters"]
    )
    logs = request["configurationOverrides"]["monitoringConfiguration"]["s3MonitoringConfiguration"]["logUri"]
    assert logs == f"{runner.s3_prefix}/logs/emr-serverless/"
    assert request["executionTimeoutMinutes"] == 10
    bucket, key = split_s3_uri(runner.s3_prefix)
    written = [o["Key"] for o in boto3.client("s3").list_objects_v2(Bucket=bucket, Prefix=f"{key}/pipes/")["Contents"]]
    assert written and all(re.fullmatch(rf"{key}/pipes/[A-Za-z]{{30}}/\d+\.json", k) for k in written)


def test_the_job_opens_s3_only_when_the_bootstrap_asks_for_it():
    def loader(context: dict, messages: dict) -> PipesMappingParamsLoader:
        return PipesMappingParamsLoader(
            {"DAGSTER_PIPES_CONTEXT": encode_param(context), "DAGSTER_PIPES_MESSAGES": encode_param(messages)}
        )

    local = loader({"path": "/tmp/context.json"}, {"path": "/tmp/messages"})  # PipesSubprocessClient
    aws = loader({"bucket": "lake", "key": "p/pipes/x/context.json"}, {"bucket": "lake", "key_prefix": "p/pipes/y"})
    assert wants_s3(local) == (False, False)
    assert wants_s3(aws) == (True, True)
    assert wants_s3(PipesMappingParamsLoader({})) == (False, False)  # outside Dagster: the mock context


def test_settings_choose_the_runner(monkeypatch):
    from orchestration.resources import spark_runner

    monkeypatch.setenv("SECOP_LAKE_URI", "s3://bucket/secop")
    monkeypatch.setenv("SECOP_SPARK", "emr")
    monkeypatch.setenv("SECOP_EMR_INSTANCE_COUNT", "5")
    runner = spark_runner(Settings.from_env())
    assert isinstance(runner, EmrSparkRunner)
    assert (runner.s3_prefix, runner.instance_count, runner.glue_database) == (
        "s3://bucket/secop/_emr",
        5,
        "secop_trusted",
    )
    assert runner.visible_to_all_users is False
    monkeypatch.setenv("SECOP_EMR_VISIBLE_TO_ALL_USERS", "on")
    assert spark_runner(Settings.from_env()).visible_to_all_users is True

    monkeypatch.setenv("SECOP_SPARK", "emr-serverless")
    with pytest.raises(ValueError, match="SECOP_EMR_SERVERLESS_APP_ID"):
        spark_runner(Settings.from_env())
    monkeypatch.setenv("SECOP_EMR_SERVERLESS_APP_ID", "00abc")
    monkeypatch.setenv("SECOP_EMR_JOB_ROLE_ARN", ROLE_ARN)
    monkeypatch.setenv("SECOP_EMR_S3_PREFIX", "s3://other/emr")
    monkeypatch.setenv("SECOP_GLUE_DATABASE", "secop_glue")
    runner = spark_runner(Settings.from_env())
    assert isinstance(runner, EmrServerlessSparkRunner)
    assert (runner.application_id, runner.s3_prefix, runner.glue_database) == ("00abc", "s3://other/emr", "secop_glue")

    monkeypatch.setenv("SECOP_SPARK", "databricks")
    with pytest.raises(ValueError, match="SECOP_SPARK must be one of local, emr, emr-serverless"):
        spark_runner(Settings.from_env())
    monkeypatch.setenv("SECOP_EMR_INSTANCE_COUNT", "zero")
    with pytest.raises(ValueError, match="SECOP_EMR_INSTANCE_COUNT"):
        Settings.from_env()


def test_an_aws_runner_needs_an_s3_prefix(monkeypatch):
    from orchestration.resources import spark_runner

    monkeypatch.setenv("SECOP_LAKE_URI", "/tmp/lake")
    monkeypatch.setenv("SECOP_SPARK", "emr")
    monkeypatch.delenv("SECOP_EMR_S3_PREFIX", raising=False)
    with pytest.raises(ValueError, match="SECOP_EMR_S3_PREFIX"):
        spark_runner(Settings.from_env())


# ------------------------------------------------------------------------------------------------- Glue

SCHEMA = T.StructType(
    [
        T.StructField("id_del_proceso", T.StringType()),
        T.StructField("fecha_de_firma", T.DateType()),
        T.StructField("_source_updated_at", T.TimestampType()),
        T.StructField("valor_del_contrato", T.DecimalType(30, 3)),
        T.StructField("rows", T.LongType()),
        T.StructField("dias", T.IntegerType()),
        T.StructField("ratio", T.DoubleType()),
        T.StructField("es_pyme", T.BooleanType()),
        T.StructField("_issues", T.ArrayType(T.StringType())),
        T.StructField("_year", T.IntegerType()),
    ]
)


def test_hive_types_of_the_trusted_schema():
    assert hive_columns(SCHEMA) == [
        {"Name": "id_del_proceso", "Type": "string"},
        {"Name": "fecha_de_firma", "Type": "date"},
        {"Name": "_source_updated_at", "Type": "timestamp"},
        {"Name": "valor_del_contrato", "Type": "decimal(30,3)"},
        {"Name": "rows", "Type": "bigint"},
        {"Name": "dias", "Type": "int"},
        {"Name": "ratio", "Type": "double"},
        {"Name": "es_pyme", "Type": "boolean"},
        {"Name": "_issues", "Type": "array<string>"},
    ]  # `_year` is the partition key, not a file column
    assert hive_type(T.MapType(T.StringType(), T.DecimalType(10, 2))) == "map<string,decimal(10,2)>"
    with pytest.raises(ValueError, match="no Hive type"):
        hive_type(T.NullType())


def partitions(glue, database: str, table: str) -> dict[str, tuple[str, int]]:
    found = glue.get_partitions(DatabaseName=database, TableName=table)["Partitions"]
    return {p["Values"][0]: (p["StorageDescriptor"]["Location"], len(p["StorageDescriptor"]["Columns"])) for p in found}


def test_glue_registration_creates_updates_and_is_idempotent(aws):
    glue = boto3.client("glue")
    database, table = f"secop_{uuid.uuid4().hex[:8]}", "secop_ii_procesos"
    location = "s3://lake/secop/trusted/secop_ii_procesos"

    first = register_trusted_table(glue, database, table, location, SCHEMA, [2024, 2023, None, 2024])
    assert first == {
        "table": "created",
        "partitions_added": ["2023", "2024", "__HIVE_DEFAULT_PARTITION__"],
        "partitions_updated": [],
    }
    created = glue.get_table(DatabaseName=database, Name=table)["Table"]
    assert created["TableType"] == "EXTERNAL_TABLE" and created["Parameters"]["classification"] == "parquet"
    assert created["PartitionKeys"] == [{"Name": "_year", "Type": "int"}]
    descriptor = created["StorageDescriptor"]
    assert descriptor["Location"] == location + "/"
    assert descriptor["SerdeInfo"]["SerializationLibrary"].endswith("ParquetHiveSerDe")
    assert descriptor["Columns"] == hive_columns(SCHEMA)
    assert partitions(glue, database, table) == {
        "2023": (f"{location}/_year=2023/", 9),
        "2024": (f"{location}/_year=2024/", 9),
        "__HIVE_DEFAULT_PARTITION__": (f"{location}/_year=__HIVE_DEFAULT_PARTITION__/", 9),
    }

    second = register_trusted_table(glue, database, table, location + "/", SCHEMA, ["2024", 2025, "None"])
    assert second == {"table": "unchanged", "partitions_added": ["2025"], "partitions_updated": []}

    wider = T.StructType([*SCHEMA.fields[:-1], T.StructField("nuevo", T.StringType()), SCHEMA.fields[-1]])
    third = register_trusted_table(glue, database, table, location, wider, [2025])
    assert third == {
        "table": "updated",
        "partitions_added": [],
        "partitions_updated": ["2023", "2024", "2025", "__HIVE_DEFAULT_PARTITION__"],
    }
    assert glue.get_table(DatabaseName=database, Name=table)["Table"]["StorageDescriptor"]["Columns"][-1] == {
        "Name": "nuevo",
        "Type": "string",
    }
    assert {v: n for v, (_, n) in partitions(glue, database, table).items()} == dict.fromkeys(
        ["2023", "2024", "2025", "__HIVE_DEFAULT_PARTITION__"], 10
    )

    again = register_trusted_table(glue, database, table, location, wider, [2023, 2025, None])
    assert again == {"table": "unchanged", "partitions_added": [], "partitions_updated": []}
    assert [d["Name"] for d in glue.get_databases()["DatabaseList"]].count(database) == 1
