"""The refined zone: after each build, the marts as Parquet in the lake, one folder per run date, so that
Athena, pandas, DuckDB or a spreadsheet (through CSV) read them without the warehouse.

`refined/<mart>/run_date=<YYYY-MM-DD>/part-<nnnnn>.parquet` (Hive style: readers take `run_date` from the
path; the files do not repeat it). The partition of a build's run date holds:
- `dim_entity`, `dim_supplier`: the whole mart as the build left it;
- `fct_contract_risk`, `fct_contract_flags`: every award, every flag that fires, as of the build. The marts
  are incremental: a row unchanged since an earlier build keeps that build's date, here in `risk_run_date`
  and `flag_run_date` (when its content last changed);
- `fct_indicator_summary`: the build's rows (the mart keeps a row per indicator and run date: its
  history is the partitions).
The live marts (`fct_contract_evaluations`, `fct_contract_alerts`) are not written: they change with every
live run, not with a build, and their readers follow them with a cursor (the webhook, the API's alerts).

Written by the warehouse itself: DuckDB `COPY (...) TO` a local file, uploaded through the lake (a local
folder or S3, no DuckDB extension needed); Redshift `UNLOAD ... PARTITION BY (run_date)` to a staging
prefix of the S3 lake, then copied into place. Each part replaces its namesake at once and parts of an
earlier write that are not rewritten are deleted after: a rerun of the same run date replaces that
partition, the other dates stay, and a write that fails leaves the previous partition as it was. A
partition is one part, so its replacement is atomic, unless Redshift splits one above 6.2 GB.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TypeVar

from catalogue.lake_layout import REFINED_STAGING, RUN_DATE_PARTITION, refined_partition
from orchestration.lake import Lake, new_batch_id
from warehouse.reader import WarehouseReader

REFINED_MARTS = ("fct_contract_flags", "fct_contract_risk", "fct_indicator_summary", "dim_entity", "dim_supplier")
# the mart's own run_date (the run that last wrote the row), kept under this name
RENAMED_RUN_DATE = {"fct_contract_risk": "risk_run_date", "fct_contract_flags": "flag_run_date"}
ONE_RUN_DATE = ("fct_indicator_summary",)  # marts with rows per run date: a partition holds the build's
UNLOAD_ROLE_VARIABLE = "SECOP_REDSHIFT_UNLOAD_ROLE_ARN"

_COLUMN = re.compile(r"[a-z_][a-z0-9_]{0,126}")
_ROLE_ARN = re.compile(r"arn:aws[a-z-]{0,20}:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}")
_S3_FOLDER = re.compile(r"s3://[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]/[A-Za-z0-9!_.*()=/-]*/")

Part = TypeVar("Part")


@dataclass(frozen=True)
class RefinedMart:
    mart: str
    rows: int
    uri: str  # the partition's folder
    files: list[str]  # lake paths of its parts


def build_run_date(reader: WarehouseReader) -> date:
    """The run date of the build the marts hold (every build writes its rows of fct_indicator_summary)."""
    [row] = reader.rows("select max(run_date) as run_date from fct_indicator_summary")
    if row["run_date"] is None:
        raise ValueError("the marts hold no build yet: nothing to write to the refined zone")
    value = row["run_date"]
    return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])


def mart_columns(reader: WarehouseReader, mart: str) -> list[str]:
    """The mart's columns in order (plain lower-case names: they are written into SQL)."""
    with reader.batches(f"select * from {mart} where 1 = 0") as result:
        columns = [column.lower() for column in result.columns]
    odd = [column for column in columns if not _COLUMN.fullmatch(column)]
    if odd:
        raise ValueError(f"{mart}: column names the refined zone cannot write: {odd}")
    return columns


def refined_select(mart: str, columns: Sequence[str], run_date: date, with_run_date: bool) -> str:
    """What the partition of `run_date` holds, in the SQL both engines run; `with_run_date` adds the
    partition column (UNLOAD's PARTITION BY needs it in the query and leaves it out of the files)."""
    fields = [column for column in columns if column != RUN_DATE_PARTITION]
    if RUN_DATE_PARTITION in columns and mart in RENAMED_RUN_DATE:
        fields.append(f"{RUN_DATE_PARTITION} as {RENAMED_RUN_DATE[mart]}")
    day = f"cast('{run_date.isoformat()}' as date)"
    if with_run_date:
        fields.append(f"{day} as {RUN_DATE_PARTITION}")
    where = f" where {RUN_DATE_PARTITION} = {day}" if mart in ONE_RUN_DATE else ""
    return f"select {', '.join(fields)} from {mart}{where}"


def sql_literal(text: str) -> str:
    """`text` as an SQL string literal (quotes doubled), for the statements that take no parameters."""
    return "'" + text.replace("'", "''") + "'"


def unload_role_arn() -> str:
    """The IAM role Redshift assumes to write the lake (`SECOP_REDSHIFT_UNLOAD_ROLE_ARN`), checked."""
    value = os.getenv(UNLOAD_ROLE_VARIABLE, "")
    if not _ROLE_ARN.fullmatch(value):
        raise ValueError(
            f"{UNLOAD_ROLE_VARIABLE} must be an IAM role ARN (arn:aws:iam::<account>:role/<name>) for Redshift "
            "to unload the refined zone"
        )
    return value


def unload_statement(select: str, folder_uri: str, role_arn: str) -> str:
    """Redshift's UNLOAD of `select` into `folder_uri` (an S3 folder), one Parquet folder per run date."""
    if not _S3_FOLDER.fullmatch(folder_uri):
        raise ValueError(f"UNLOAD writes to an S3 folder (s3://bucket/path/), got {folder_uri[:200]!r}")
    if not _ROLE_ARN.fullmatch(role_arn):
        raise ValueError(f"{UNLOAD_ROLE_VARIABLE} is not an IAM role ARN")
    return (
        f"unload ({sql_literal(select)}) to {sql_literal(folder_uri)} iam_role {sql_literal(role_arn)} "
        f"format parquet partition by ({RUN_DATE_PARTITION}) parallel off allowoverwrite"
    )


def replace_partition(
    lake: Lake, partition: str, parts: Sequence[Part], put: Callable[[str, Part], object]
) -> list[str]:
    """Put each part as `part-<nnnnn>.parquet` of `partition` (each replaced at once), then delete the
    partition's files this write did not put."""
    written = [f"{partition}/part-{number:05d}.parquet" for number in range(len(parts))]
    for relpath, part in zip(written, parts, strict=True):
        put(relpath, part)
    for stale in sorted(set(lake.list(f"{partition}/")) - set(written)):
        lake.delete(stale)
    return written


def copy_with_duckdb(reader: WarehouseReader, lake: Lake, select: str, partition: str) -> list[str]:
    """DuckDB writes the file locally (no extension for S3 needed); the lake uploads it."""
    with tempfile.TemporaryDirectory(prefix="secop-refined-") as folder:
        path = Path(folder) / "part.parquet"
        reader.execute(f"copy ({select}) to {sql_literal(str(path))} (format parquet, compression zstd)")
        return replace_partition(lake, partition, [path], lake.upload)


def unload_with_redshift(reader: WarehouseReader, lake: Lake, select: str, partition: str, role_arn: str) -> list[str]:
    """Redshift unloads to a staging folder of the S3 lake; its files are then copied into place, and the
    staging folder emptied whatever happened."""
    if lake.is_local:
        raise ValueError("the redshift target unloads the refined zone to S3: SECOP_LAKE_URI must be s3://...")
    staging = f"{REFINED_STAGING}/{new_batch_id()}"
    statement = unload_statement(select, lake.uri_of(staging) + "/", role_arn)
    try:
        reader.execute(statement)
        staged = lake.list(f"{staging}/")
        return replace_partition(lake, partition, staged, lambda relpath, source: lake.copy(source, relpath))
    finally:  # also what a failed UNLOAD left
        for relpath in lake.list(f"{staging}/"):
            lake.delete(relpath)


def write_mart(reader: WarehouseReader, lake: Lake, mart: str, run_date: date, role_arn: str | None) -> RefinedMart:
    """The partition of `run_date` of one mart, written by the warehouse's engine (Redshift with `role_arn`)."""
    columns = mart_columns(reader, mart)
    partition = refined_partition(mart, run_date.isoformat())
    if reader.dialect == "redshift":
        select = refined_select(mart, columns, run_date, with_run_date=True)
        files = unload_with_redshift(reader, lake, select, partition, role_arn or unload_role_arn())
    else:
        select = refined_select(mart, columns, run_date, with_run_date=False)
        files = copy_with_duckdb(reader, lake, select, partition)
    [count] = reader.rows(f"select count(*) as row_count from ({select}) as refined_rows")
    return RefinedMart(mart, int(count["row_count"]), lake.uri_of(partition), files)


def write_refined_zone(reader: WarehouseReader, lake: Lake) -> tuple[date, list[RefinedMart]]:
    """Every refined mart's partition of the build's run date."""
    role_arn = unload_role_arn() if reader.dialect == "redshift" else None  # checked before any write
    run_date = build_run_date(reader)
    return run_date, [write_mart(reader, lake, mart, run_date, role_arn) for mart in REFINED_MARTS]
