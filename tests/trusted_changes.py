"""Change files written straight into a trusted table, as an increment of the Spark job leaves them.

`add_generation` writes rows as `<generation>.incremental.<n>.parquet` in the table's year folders; the
rows get `_batch_id` = generation and win the catalogue's survivor order over every earlier version
(each `<column> desc` of it raised above the table's maximum), so readers take them as the latest.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb

from catalogue import SOURCES
from catalogue.lake_layout import trusted_dir


def trusted_scan(lake: Path, source_name: str) -> str:
    folder = lake / trusted_dir(source_name)
    return f"read_parquet('{folder}/*/*.parquet', hive_partitioning = true, union_by_name = true)"


def add_generation(lake: Path, source_name: str, generation: str, rows_sql: str) -> int:
    """Write the rows of `rows_sql` (a query over `versions`, the table's every version) as a change
    generation of `source_name`; how many rows."""
    source = next(s for s in SOURCES if s.name == source_name)
    folder = lake / trusted_dir(source_name)
    with duckdb.connect() as con:
        con.execute(f"create view versions as select * from {trusted_scan(lake, source_name)}")
        newest = []
        for expression in source.survivor_order:
            column = expression.split()[0]
            [(top,)] = con.execute(f"select max({column}) from versions").fetchall()
            if top is not None and column != "_row_id":
                newest.append(f"(select max({column}) from versions) as {column}")
        replaced = ", ".join([f"'{generation}' as _batch_id", *newest])
        columns = con.execute("describe versions").fetchall()
        typed = ", ".join(f"cast({name} as {kind}) as {name}" for name, kind, *_ in columns)
        staged = folder.parent / f".{source_name}-{generation}"
        shutil.rmtree(staged, ignore_errors=True)
        con.execute(
            f"copy (select * replace ({replaced}) from (select {typed} from ({rows_sql}))) to '{staged}' "
            f"(format parquet, partition_by (_year), filename_pattern '{generation}.incremental.{{i}}')"
        )
        [(rows,)] = con.execute(f"select count(*) from read_parquet('{staged}/*/*.parquet')").fetchall()
    for path in staged.glob("*/*.parquet"):
        (folder / path.parent.name).mkdir(exist_ok=True)
        path.rename(folder / path.parent.name / path.name)
    shutil.rmtree(staged)
    return rows
