"""Register a trusted table in the AWS Glue Data Catalog, so Redshift Spectrum (and Athena) can read it.

The table is an external Parquet table over `trusted/<source>/`, partitioned by `_year` (int): the
Spark job writes `trusted/<source>/_year=<Y>/*.parquet`, with Spark's `__HIVE_DEFAULT_PARTITION__`
folder for rows without a year. Files of several incremental generations may sit side by side in a
partition; readers deduplicate by key (dbt staging), so the catalogue only needs the folders.

Only the schema mapping needs pyspark (its `types` module, no JVM); the Glue calls take any boto3 Glue
client, so this runs on the cluster after the write, and in tests against moto.
"""

from __future__ import annotations

from collections.abc import Iterable

from pyspark.sql import types as T

PARTITION_KEY = "_year"
NULL_PARTITION = "__HIVE_DEFAULT_PARTITION__"

PARQUET_STORAGE = {
    "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
    "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
    "SerdeInfo": {
        "SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        "Parameters": {"serialization.format": "1"},
    },
}

_SIMPLE_TYPES: dict[type, str] = {
    T.StringType: "string",
    T.DateType: "date",
    T.TimestampType: "timestamp",
    T.LongType: "bigint",
    T.IntegerType: "int",
    T.ShortType: "smallint",
    T.ByteType: "tinyint",
    T.DoubleType: "double",
    T.FloatType: "float",
    T.BooleanType: "boolean",
    T.BinaryType: "binary",
}
if hasattr(T, "TimestampNTZType"):  # Spark >= 3.4
    _SIMPLE_TYPES[T.TimestampNTZType] = "timestamp"


def hive_type(data_type: T.DataType) -> str:
    """The Hive/Glue type name of a Spark type (what Spectrum reads from the catalogue)."""
    if isinstance(data_type, T.DecimalType):
        return f"decimal({data_type.precision},{data_type.scale})"
    if isinstance(data_type, T.ArrayType):
        return f"array<{hive_type(data_type.elementType)}>"
    if isinstance(data_type, T.MapType):
        return f"map<{hive_type(data_type.keyType)},{hive_type(data_type.valueType)}>"
    if isinstance(data_type, T.StructType):
        return "struct<" + ",".join(f"{f.name}:{hive_type(f.dataType)}" for f in data_type.fields) + ">"
    for spark_type, name in _SIMPLE_TYPES.items():
        if isinstance(data_type, spark_type):
            return name
    raise ValueError(f"no Hive type for Spark type {data_type.simpleString()}")


def hive_columns(schema: T.StructType, partition_key: str = PARTITION_KEY) -> list[dict[str, str]]:
    """The table's data columns (the partition column lives in the folder names, not in the files)."""
    return [{"Name": f.name, "Type": hive_type(f.dataType)} for f in schema.fields if f.name != partition_key]


def partition_value(year: int | str | None) -> str:
    """The `_year` folder value; None (or its spellings "None", "", the Hive default) is the null partition."""
    if year is None or str(year) in {"None", "", NULL_PARTITION}:
        return NULL_PARTITION
    return str(int(year))


def table_input(table: str, location: str, schema: T.StructType) -> dict:
    """The Glue `TableInput` of an external Parquet table at `location`, partitioned by `_year`."""
    return {
        "Name": table,
        "TableType": "EXTERNAL_TABLE",
        "Parameters": {"EXTERNAL": "TRUE", "classification": "parquet"},
        "PartitionKeys": [{"Name": PARTITION_KEY, "Type": "int"}],
        "StorageDescriptor": {"Columns": hive_columns(schema), "Location": location, **PARQUET_STORAGE},
    }


def _partition_input(location: str, columns: list[dict], value: str) -> dict:
    return {
        "Values": [value],
        "StorageDescriptor": {"Columns": columns, "Location": f"{location}{PARTITION_KEY}={value}/", **PARQUET_STORAGE},
    }


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _ensure_database(glue, database: str) -> None:
    try:
        glue.get_database(Name=database)
    except glue.exceptions.EntityNotFoundException:
        try:
            glue.create_database(DatabaseInput={"Name": database, "Description": "secop-redflags trusted zone"})
        except glue.exceptions.AlreadyExistsException:
            pass  # created meanwhile by a concurrent run


def _upsert_table(glue, database: str, wanted: dict) -> str:
    """'created', 'updated' or 'unchanged'."""
    try:
        current = glue.get_table(DatabaseName=database, Name=wanted["Name"])["Table"]
    except glue.exceptions.EntityNotFoundException:
        glue.create_table(DatabaseName=database, TableInput=wanted)
        return "created"
    descriptor = current.get("StorageDescriptor", {})
    same = (
        descriptor.get("Columns") == wanted["StorageDescriptor"]["Columns"]
        and descriptor.get("Location") == wanted["StorageDescriptor"]["Location"]
        and current.get("PartitionKeys") == wanted["PartitionKeys"]
    )
    if same:
        return "unchanged"
    glue.update_table(DatabaseName=database, TableInput=wanted)
    return "updated"


def _partitions(glue, database: str, table: str) -> dict[str, list[dict]]:
    """Registered partitions: value → columns."""
    found: dict[str, list[dict]] = {}
    for page in glue.get_paginator("get_partitions").paginate(DatabaseName=database, TableName=table):
        for partition in page["Partitions"]:
            found[partition["Values"][0]] = partition.get("StorageDescriptor", {}).get("Columns", [])
    return found


def register_trusted_table(
    glue_client,
    database: str,
    table: str,
    location: str,
    schema: T.StructType,
    years: Iterable[int | None],
) -> dict:
    """Create or update `database.table` over `location` (`s3://.../trusted/<source>/`) and its partitions.

    Creates the database if missing; creates the table or updates it when its columns or location
    changed; adds the partitions of `years` not yet registered and updates those whose columns differ
    from the table's (after a schema change). Idempotent. Partitions of years no longer written are left
    (their folder is gone or empty, which readers see as no rows). Returns what it did.
    """
    location = location.rstrip("/") + "/"
    _ensure_database(glue_client, database)
    wanted = table_input(table, location, schema)
    table_status = _upsert_table(glue_client, database, wanted)
    columns = wanted["StorageDescriptor"]["Columns"]
    registered = _partitions(glue_client, database, table)
    values = sorted({partition_value(y) for y in years})
    missing = [v for v in values if v not in registered]
    stale = [v for v, registered_columns in registered.items() if registered_columns != columns]
    for chunk in _chunks(missing, 100):  # Glue's batch limits: 100 to create, 100 to update
        response = glue_client.batch_create_partition(
            DatabaseName=database,
            TableName=table,
            PartitionInputList=[_partition_input(location, columns, v) for v in chunk],
        )
        _raise_errors(response, "create")
    for chunk in _chunks(sorted(stale), 100):
        response = glue_client.batch_update_partition(
            DatabaseName=database,
            TableName=table,
            Entries=[
                {"PartitionValueList": [v], "PartitionInput": _partition_input(location, columns, v)} for v in chunk
            ],
        )
        _raise_errors(response, "update")
    return {"table": table_status, "partitions_added": missing, "partitions_updated": sorted(stale)}


def _raise_errors(response: dict, action: str) -> None:
    errors = response.get("Errors") or []
    if errors:
        details = "; ".join(
            f"{e.get('PartitionValues')}: {e.get('ErrorDetail', {}).get('ErrorMessage')}" for e in errors
        )
        raise RuntimeError(f"Glue could not {action} partitions: {details}")
