"""Run a Spark job of `spark_jobs/` through Dagster Pipes, locally or on AWS.

Assets call `spark.run(context, module, extras)` and never know where Spark runs (`SECOP_SPARK`):

- `LocalSparkRunner` (`local`): a `python -m <module>` subprocess with PySpark `local[*]` (Pipes' temp-file
  channel; the process sees only the variables it needs, no secret), or a client of a warm Spark Connect
  server (`SECOP_SPARK_REMOTE`).
- `EmrSparkRunner` (`emr`): a transient EMR cluster per run (`PipesEMRClient`, `run_job_flow` with one
  spark-submit step; the cluster terminates after it).
- `EmrServerlessSparkRunner` (`emr-serverless`): a job run on an existing EMR Serverless application
  (`PipesEMRServerlessClient`).

The AWS runners ship the job code themselves, so the cluster needs only Spark and boto3: a zip of the
`spark_jobs` package plus the pure-Python `dagster_pipes` module, and a tiny entry script, uploaded once
per content hash to `<SECOP_EMR_S3_PREFIX>/code/<sha256>/`. The Pipes context and messages go through S3
under `<prefix>/pipes/` (the job opens them with `spark_jobs.pipes_channel.open_pipes()`), cluster logs
under `<prefix>/logs/`. They add `glue_database` (and `aws_region`, the orchestrator's region, for the
job's Glue client) to the extras so the job registers the trusted tables in the Glue catalog.
"""

from __future__ import annotations

import hashlib
import io
import math
import os
import signal
import subprocess
import sys
import zipfile
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import boto3
import dagster as dg
import dagster_pipes
from botocore.exceptions import ClientError, WaiterError
from dagster_aws.pipes import (
    PipesEMRClient,
    PipesEMRServerlessClient,
    PipesS3ContextInjector,
    PipesS3MessageReader,
)

from orchestration.java import choose_java, java_environment
from orchestration.settings import (
    DEFAULT_EMR_INSTANCE_COUNT,
    DEFAULT_EMR_INSTANCE_PROFILE,
    DEFAULT_EMR_INSTANCE_TYPE,
    DEFAULT_EMR_RELEASE_LABEL,
    DEFAULT_EMR_SERVICE_ROLE,
    DEFAULT_GLUE_DATABASE,
    REPO_ROOT,
    repo_python_path,
)


class SparkRunner(dg.ConfigurableResource):
    """Where the Spark step runs; every implementation has the same `run`."""

    def run(self, context: dg.AssetExecutionContext, module: str, extras: dict) -> list[dg.MaterializeResult]:
        """The job's results: one materialization per asset it reported on (and none for the selected assets
        it did not: the caller reports those itself)."""
        raise NotImplementedError


# What a local job's process gets of this one's environment: the system's, Java's and Hadoop's variables and
# Spark's own settings (the job reads SPARK_SHUFFLE_PARTITIONS; the runner sets SPARK_MASTER,
# SPARK_DRIVER_MEMORY or SPARK_REMOTE, SPARK_LOCAL_IP and PYTHONPATH). Nothing else: no app token, webhook URL,
# AWS or Redshift credential. Pipes adds its DAGSTER_PIPES_* bootstrap.
JOB_VARIABLES = frozenset(
    {
        *("PATH", "HOME", "USER", "LOGNAME", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TEMP", "TMP"),
        *("JAVA_HOME", "HADOOP_HOME", "HADOOP_CONF_DIR", "HADOOP_USER_NAME"),
        *("SPARK_HOME", "SPARK_CONF_DIR", "SPARK_LOCAL_DIRS", "SPARK_LOCAL_HOSTNAME", "SPARK_SHUFFLE_PARTITIONS"),
        *("PYSPARK_PYTHON", "PYSPARK_DRIVER_PYTHON", "PYSPARK_SUBMIT_ARGS"),
    }
)
JOB_VARIABLE_PREFIXES = ("LC_",)  # the locale's categories


def job_environment(parent: Mapping[str, str]) -> dict[str, str]:
    """The variables of `parent` that a local Spark job may see (JOB_VARIABLES, LC_*), and the JAVA_HOME of
    the packaged Java when `parent` has no Java that PySpark supports (orchestration/java.py)."""
    passed = {
        name: value for name, value in parent.items() if name in JOB_VARIABLES or name.startswith(JOB_VARIABLE_PREFIXES)
    }
    return {**passed, **java_environment(parent)}


def run_pipes_job(
    context: dg.AssetExecutionContext, module: str, env: Mapping[str, str], extras: dict
) -> dg.PipesClientCompletedInvocation:
    """`python -m <module>` as `PipesSubprocessClient.run` runs it (temp-file channel), except that the process
    gets `env` and the Pipes bootstrap only: that client always adds the whole environment of this process."""
    with dg.open_pipes_session(
        context=context,
        context_injector=dg.PipesTempFileContextInjector(),
        message_reader=dg.PipesTempFileMessageReader(),
        extras=extras,
    ) as session:
        command = [sys.executable, "-m", module]
        process = subprocess.Popen(command, cwd=REPO_ROOT, env={**env, **session.get_bootstrap_env_vars()})
        try:
            if process.wait() != 0:
                raise dg.Failure(f"Spark job {module} exited with code {process.returncode}")
        except dg.DagsterExecutionInterruptedError:
            context.log.info(f"run interrupted: sending SIGINT to Spark job {module}")
            process.send_signal(signal.SIGINT)
            process.wait(timeout=20)
            raise
    return dg.PipesClientCompletedInvocation(session)


class LocalSparkRunner(SparkRunner):
    """PySpark `local[*]` in a subprocess, talking back over Pipes (stdout/temp-file channel).

    With `remote` (`sc://host:port`, a warm Spark Connect server: workbench/spark_connect.py) the
    subprocess is a client of that server instead, and skips starting Spark of its own.
    """

    master: str = "local[*]"
    driver_memory: str = "4g"
    remote: str | None = None

    def environment(self) -> dict[str, str]:
        """The job's environment: what it may see of this process's (job_environment) and where Spark runs."""
        spark = (
            {"SPARK_REMOTE": self.remote}
            if self.remote
            else {"SPARK_MASTER": self.master, "SPARK_DRIVER_MEMORY": self.driver_memory}
        )
        # A local driver's ports listen on loopback only.
        return {**job_environment(os.environ), **spark, "SPARK_LOCAL_IP": "127.0.0.1", "PYTHONPATH": repo_python_path()}

    def run(self, context: dg.AssetExecutionContext, module: str, extras: dict) -> list[dg.MaterializeResult]:
        """The job's results: one materialization per asset it reported on."""
        if not self.remote:
            context.log.info(f"Spark runs on {choose_java().describe()}")
        return run_pipes_job(context, module, self.environment(), extras).get_results(implicit_materializations=False)


# ---------------------------------------------------------------------------------------------- job code

JOB_ZIP = "secop_jobs.zip"
ENTRY_SCRIPT = "entry.py"
ENTRY_SOURCE = '''\
"""secop-redflags job entry point: run the module named by the first argument as `__main__`.

Its code is the zip beside this file, on the Python path through --py-files / spark.submit.pyFiles.
"""

import runpy
import sys

if __name__ == "__main__":
    module = sys.argv[1]
    sys.argv = [module, *sys.argv[2:]]
    runpy.run_module(module, run_name="__main__", alter_sys=True)
'''
_ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)  # fixed timestamps: the same sources give the same bytes and hash


@dataclass(frozen=True)
class JobCode:
    """The job zip and entry script, and the hash of both that names their S3 folder."""

    zip_bytes: bytes
    entry_bytes: bytes

    @property
    def sha256(self) -> str:
        digest = hashlib.sha256()
        for part in (self.zip_bytes, self.entry_bytes):
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)
        return digest.hexdigest()


def _package_files(package_dir: Path) -> Iterator[tuple[str, Path]]:
    """(name in the zip, file) for a package's files in a stable order; compiled and hidden files left out."""
    for path in sorted(package_dir.rglob("*")):
        relative = path.relative_to(package_dir.parent)
        hidden = any(part.startswith(".") or part == "__pycache__" for part in relative.parts)
        if path.is_file() and not hidden and path.suffix not in {".pyc", ".pyo"}:
            yield relative.as_posix(), path


def package_job_code() -> JobCode:
    """`spark_jobs/` and the installed `dagster_pipes` as one deterministic zip, plus the entry script."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for package_dir in (REPO_ROOT / "spark_jobs", Path(dagster_pipes.__file__).parent):
            for name, path in _package_files(package_dir):
                info = zipfile.ZipInfo(name, date_time=_ZIP_EPOCH)
                info.external_attr = 0o644 << 16
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, path.read_bytes())
    return JobCode(zip_bytes=buffer.getvalue(), entry_bytes=ENTRY_SOURCE.encode())


def split_s3_uri(uri: str) -> tuple[str, str]:
    """`s3://bucket/some/prefix/` → (`bucket`, `some/prefix`)."""
    if not uri.startswith("s3://") or not uri[5:].split("/", 1)[0]:
        raise ValueError(f"expected an s3://bucket/prefix URI, got {uri!r}")
    bucket, _, key = uri[5:].partition("/")
    return bucket, key.strip("/")


@dataclass(frozen=True)
class UploadedCode:
    zip_uri: str
    entry_uri: str


class _PrefixedS3MessageReader(PipesS3MessageReader):
    """`PipesS3MessageReader` whose message chunks live under a key prefix instead of the bucket root."""

    def __init__(self, *, key_prefix: str, **kwargs):
        super().__init__(**kwargs)
        self._key_prefix = key_prefix

    @contextmanager
    def get_params(self) -> Iterator[dict]:
        with super().get_params() as params:
            yield {**params, "key_prefix": f"{self._key_prefix}/{params['key_prefix']}"}


class AwsSparkRunner(SparkRunner):
    """What both AWS runners share: the S3 prefix, the code upload, the Pipes channel over S3, the extras."""

    s3_prefix: str  # s3://bucket/prefix for code/, pipes/ and logs/
    glue_database: str = DEFAULT_GLUE_DATABASE
    python: str | None = None  # the cluster's Python for PySpark (>= 3.10) when the image default is older
    s3_endpoint_url: str | None = None  # S3 only (tests: a moto server); other services use boto3's own settings
    poll_seconds: int = 30  # how often Dagster polls the job state and the S3 messages
    max_wait_seconds: int = 6 * 3600  # give up (and stop the cluster or job run) after this long

    def _client(self, service: str):
        # Credentials and region come from boto3's usual chain (instance role, env, profile), never from here.
        return boto3.client(service, endpoint_url=self.s3_endpoint_url if service == "s3" else None)

    def _uri(self, *parts: str) -> str:
        bucket, prefix = split_s3_uri(self.s3_prefix)
        return "s3://" + "/".join([bucket, *filter(None, [prefix, *parts])])

    def upload_code(self, s3, code: JobCode | None = None) -> UploadedCode:
        """Put the job code under `code/<sha256>/` unless that folder is already complete."""
        code = code or package_job_code()
        zip_uri, entry_uri = self._uri("code", code.sha256, JOB_ZIP), self._uri("code", code.sha256, ENTRY_SCRIPT)
        entry_bucket, entry_key = split_s3_uri(entry_uri)
        try:
            s3.head_object(Bucket=entry_bucket, Key=entry_key)  # written last: present means complete
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") not in {"404", "NoSuchKey", "NotFound"}:
                raise
            for uri, body in ((zip_uri, code.zip_bytes), (entry_uri, code.entry_bytes)):
                bucket, key = split_s3_uri(uri)
                s3.put_object(Bucket=bucket, Key=key, Body=body)
        return UploadedCode(zip_uri=zip_uri, entry_uri=entry_uri)

    def _pipes_channel(self, s3) -> dict:
        """Context and messages through S3 under `pipes/`; the job's stdout/stderr travel in the messages."""
        bucket, prefix = split_s3_uri(self._uri("pipes"))
        return {
            "context_injector": PipesS3ContextInjector(bucket=bucket, client=s3, key_prefix=f"{prefix}/"),
            "message_reader": _PrefixedS3MessageReader(
                bucket=bucket,
                client=s3,
                key_prefix=prefix,
                interval=self.poll_seconds,
                include_stdio_in_messages=True,
            ),
        }

    def _spark_conf(self, code: UploadedCode) -> dict[str, str]:
        """Spark settings every run needs: the zip on the Python path, the Python interpreter if set."""
        conf = {"spark.submit.pyFiles": code.zip_uri}
        if self.python:
            conf["spark.pyspark.python"] = self.python
        return conf

    def run(self, context: dg.AssetExecutionContext, module: str, extras: dict) -> list[dg.MaterializeResult]:
        """The job's results: one materialization per asset it reported on."""
        s3 = self._client("s3")
        code = self.upload_code(s3)
        context.log.info(f"job code at {code.zip_uri}")
        extras = {**extras, "glue_database": self.glue_database, "aws_region": s3.meta.region_name}
        invocation = self._submit(context, module, code, s3, extras)
        return invocation.get_results(implicit_materializations=False)

    def _submit(self, context, module: str, code: UploadedCode, s3, extras: dict):
        raise NotImplementedError


# ------------------------------------------------------------------------------------------- EMR on EC2


class _Waiter:
    def __init__(self, waiter, config: dict):
        self._waiter, self._config = waiter, config

    def wait(self, **kwargs) -> None:
        self._waiter.wait(**kwargs, WaiterConfig=self._config)


class _BoundedEmrClient:
    """The boto3 EMR client as `PipesEMRClient` uses it, with its waiters polling every `delay` seconds for
    at most `max_wait` seconds (boto3's own `cluster_terminated` waiter gives up after 30 minutes, shorter
    than a big run) and the clusters it started remembered, so that a run that gives up can stop them."""

    def __init__(self, client, delay: int, max_wait: int):
        self._client = client
        self._config = {"Delay": max(1, delay), "MaxAttempts": max(1, math.ceil(max_wait / max(1, delay)))}
        self.started: list[str] = []

    def __getattr__(self, name: str):
        return getattr(self._client, name)

    def run_job_flow(self, **params):
        response = self._client.run_job_flow(**params)
        self.started.append(response["JobFlowId"])
        return response

    def get_waiter(self, name: str) -> _Waiter:
        return _Waiter(self._client.get_waiter(name), self._config)


class EmrSparkRunner(AwsSparkRunner):
    """A transient EMR cluster per run: one spark-submit step, terminated when the step ends."""

    release_label: str = DEFAULT_EMR_RELEASE_LABEL
    instance_type: str = DEFAULT_EMR_INSTANCE_TYPE
    instance_count: int = DEFAULT_EMR_INSTANCE_COUNT  # 1 primary + (count - 1) core nodes
    service_role: str = DEFAULT_EMR_SERVICE_ROLE
    instance_profile: str = DEFAULT_EMR_INSTANCE_PROFILE  # the EC2 instance profile (JobFlowRole)
    bootstrap_script_uri: str | None = None  # e.g. to install a newer Python or boto3 on the nodes
    visible_to_all_users: bool = False  # off: only the IAM principal that created a cluster sees and manages it

    def run_job_flow_params(self, context, module: str, code: UploadedCode) -> dict:
        """The `run_job_flow` request (PipesEMRClient adds the Pipes environment and tags)."""
        groups = [{"Name": "primary", "InstanceRole": "MASTER", "InstanceType": self.instance_type, "InstanceCount": 1}]
        if self.instance_count > 1:
            groups.append(
                {
                    "Name": "core",
                    "InstanceRole": "CORE",
                    "InstanceType": self.instance_type,
                    "InstanceCount": self.instance_count - 1,
                }
            )
        conf = self._spark_conf(code)
        args = ["spark-submit", "--deploy-mode", "client", "--py-files", conf.pop("spark.submit.pyFiles")]
        for key, value in conf.items():
            args += ["--conf", f"{key}={value}"]
        params = {
            "Name": f"secop-redflags {module} {context.run.run_id[:8]}",
            "ReleaseLabel": self.release_label,
            "LogUri": self._uri("logs", "emr") + "/",
            "Applications": [{"Name": "Spark"}],
            "Instances": {
                "InstanceGroups": groups,
                "KeepJobFlowAliveWhenNoSteps": False,
                "TerminationProtected": False,
            },
            "Steps": [
                {
                    "Name": module,
                    "ActionOnFailure": "TERMINATE_CLUSTER",
                    "HadoopJarStep": {"Jar": "command-runner.jar", "Args": [*args, code.entry_uri, module]},
                }
            ],
            "JobFlowRole": self.instance_profile,
            "ServiceRole": self.service_role,
            "VisibleToAllUsers": self.visible_to_all_users,
            "Tags": [{"Key": "project", "Value": "secop-redflags"}],
        }
        if self.bootstrap_script_uri:
            params["BootstrapActions"] = [
                {"Name": "bootstrap", "ScriptBootstrapAction": {"Path": self.bootstrap_script_uri, "Args": []}}
            ]
        return params

    def _submit(self, context, module: str, code: UploadedCode, s3, extras: dict):
        emr = _BoundedEmrClient(self._client("emr"), self.poll_seconds, self.max_wait_seconds)
        client = PipesEMRClient(client=emr, **self._pipes_channel(s3))
        try:
            return client.run(
                context=context, run_job_flow_params=self.run_job_flow_params(context, module, code), extras=extras
            )
        except WaiterError as error:
            if emr.started:
                emr.terminate_job_flows(JobFlowIds=emr.started)
            timed_out = "max attempts exceeded" in str(error).lower()
            why = (
                f"did not finish within {self.max_wait_seconds} s" if timed_out else f"ended without success ({error})"
            )
            raise dg.Failure(
                f"EMR cluster {', '.join(emr.started) or '(none started)'} {why}; termination requested. "
                f"Step and container logs: {self._uri('logs', 'emr')}/"
            ) from error


# ----------------------------------------------------------------------------------------- EMR Serverless


class EmrServerlessSparkRunner(AwsSparkRunner):
    """A job run on an existing EMR Serverless application."""

    application_id: str
    job_role_arn: str

    def start_job_run_params(self, context, module: str, code: UploadedCode) -> dict:
        """The `start_job_run` request (PipesEMRServerlessClient adds the Pipes environment and tags)."""
        conf = " ".join(f"--conf {key}={value}" for key, value in self._spark_conf(code).items())
        return {
            "applicationId": self.application_id,
            "executionRoleArn": self.job_role_arn,
            "name": f"secop-redflags {module} {context.run.run_id[:8]}",
            "jobDriver": {
                "sparkSubmit": {
                    "entryPoint": code.entry_uri,
                    "entryPointArguments": [module],
                    "sparkSubmitParameters": conf,
                }
            },
            "configurationOverrides": {
                "monitoringConfiguration": {
                    "s3MonitoringConfiguration": {"logUri": self._uri("logs", "emr-serverless") + "/"}
                }
            },
            "executionTimeoutMinutes": max(1, math.ceil(self.max_wait_seconds / 60)),
            "tags": {"project": "secop-redflags"},
        }

    def _submit(self, context, module: str, code: UploadedCode, s3, extras: dict):
        client = PipesEMRServerlessClient(
            client=self._client("emr-serverless"), poll_interval=self.poll_seconds, **self._pipes_channel(s3)
        )
        return client.run(
            context=context, start_job_run_params=self.start_job_run_params(context, module, code), extras=extras
        )
