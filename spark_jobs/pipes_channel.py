"""The job's end of Dagster Pipes: the default channel locally, S3 on EMR.

`with open_pipes() as pipes:` replaces `with open_dagster_pipes() as pipes:`. The bootstrap parameters
say where the context and the messages are: the AWS runners (orchestration/spark.py) inject the
context as an S3 object (`PipesS3ContextInjector`: context params `bucket` + `key`) and read messages
from S3 (`PipesS3MessageReader`: message params `bucket` + `key_prefix`); the local subprocess client
passes a file or inline data and a file or stream. Only the S3 case needs boto3, imported then.
Outside Dagster this is `open_dagster_pipes()`'s mock context, so the job still runs standalone.
"""

from __future__ import annotations

import os

from dagster_pipes import (
    PipesContext,
    PipesEnvVarParamsLoader,
    PipesParamsLoader,
    PipesS3ContextLoader,
    PipesS3MessageWriter,
    open_dagster_pipes,
)


def s3_client():
    """boto3's S3 client; `SECOP_S3_ENDPOINT_URL` (unset on AWS) points it at an S3-compatible server."""
    import boto3

    return boto3.client("s3", endpoint_url=os.getenv("SECOP_S3_ENDPOINT_URL") or None)


def wants_s3(params_loader: PipesParamsLoader) -> tuple[bool, bool]:
    """(context on S3, messages to S3) as the orchestrator's bootstrap parameters ask."""
    if not params_loader.is_dagster_pipes_process():
        return False, False
    context = params_loader.load_context_params()
    messages = params_loader.load_messages_params()
    return {"bucket", "key"} <= context.keys(), {"bucket", "key_prefix"} <= messages.keys()


def open_pipes(params_loader: PipesParamsLoader | None = None) -> PipesContext:
    """The Pipes context for this process; use it as `with open_pipes() as pipes:`."""
    params_loader = params_loader or PipesEnvVarParamsLoader()
    s3_context, s3_messages = wants_s3(params_loader)
    client = s3_client() if s3_context or s3_messages else None
    return open_dagster_pipes(
        params_loader=params_loader,
        context_loader=PipesS3ContextLoader(client) if s3_context else None,
        message_writer=PipesS3MessageWriter(client) if s3_messages else None,
    )
