"""PACO's delimited files as the blob container serves them, written and read back.

Both are comma-separated UTF-8 text with the catalogue's display names as header, whatever their file
name says (the unfinished-works register is `MD-2000-2011.xls`). The works register leads with an
unnamed row-number column (empty header) and, as one public loader reports, wraps every data line (not
the header) in an extra pair of double quotes, inner quotes doubled: the line `0,"A, B",123` is served as
`"0,""A, B"",123"`. `read_file` unwraps such lines, so simulator.truth and simulator.national read what the
trusted zone sees.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

import pyarrow as pa

from catalogue import PACO_OBRAS_INCONCLUSAS, Source

QUOTE_WRAPPED = frozenset({PACO_OBRAS_INCONCLUSAS.name})  # files whose data lines are wrapped in quotes


def _csv_line(values: Sequence[str | None], quoting: int = csv.QUOTE_MINIMAL) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="", quoting=quoting).writerow(["" if v is None else v for v in values])
    return buffer.getvalue()


def write_file(source: Source, table: pa.Table, path: Path) -> None:
    """The table (catalogue field names, strings) as the source's file: header of display names, then one
    line per row, wrapped in quotes for the sources of QUOTE_WRAPPED. Null is an empty field."""
    wrapped = source.name in QUOTE_WRAPPED
    columns = [table[c.field_name].to_pylist() for c in source.columns]
    with Path(path).open("w", encoding="utf-8", newline="") as handle:
        handle.write(_csv_line([c.display_name for c in source.columns]) + "\n")
        for row in zip(*columns, strict=True):
            line = _csv_line(row)
            handle.write((_csv_line([line], csv.QUOTE_ALL) if wrapped else line) + "\n")


def _unwrapped(rows: Iterable[list[str]], width: int) -> Iterable[list[str]]:
    """Rows, a quote-wrapped line (one field where the header has several) parsed once more."""
    for row in rows:
        yield next(csv.reader([row[0]])) if len(row) == 1 and width > 1 else row


def read_file(source: Source, path: Path) -> pa.Table:
    """A PACO file as strings under the catalogue's field names (empty fields are null). Raises
    ValueError naming the file when its header is not the catalogue's or a row has another width."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader, [])
        expected = [c.display_name for c in source.columns]
        if header != expected:
            raise ValueError(f"{path}: header {header[:5]}... is not the catalogue's {expected[:5]}...")
        rows = list(_unwrapped(reader, len(header)))
    bad = next((i for i, row in enumerate(rows, start=1) if len(row) != len(header)), None)
    if bad is not None:
        raise ValueError(f"{path}: data row {bad} has {len(rows[bad - 1])} fields, the header {len(header)}")
    columns = zip(*rows, strict=True) if rows else [()] * len(header)
    return pa.table(
        {
            c.field_name: pa.array([v or None for v in values], pa.string())
            for c, values in zip(source.columns, columns, strict=True)
        }
    )
