"""PACO's public files (the anti-corruption portal's blob container), read with the shared HTTP policy.

A file's `Last-Modified` plays the role of Socrata's `rowsUpdatedAt`: a HEAD request tells whether it
changed; a GET streams it (decompressed if sent gzipped, within `max_body_bytes`) to a temporary file.
A body shorter than its `Content-Length` fails the try and is fetched again.
"""

from __future__ import annotations

import csv
import tempfile
import time
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from pathlib import Path

import requests
from pydantic import Field

from orchestration.http import BadAnswer, PullStats, RetryingHttpResource, checked_url

PACO_URL = "https://paco7public7info7prod.blob.core.windows.net/paco-pulic-info"  # container spelled `pulic`
URL_VARIABLE = "SECOP_PACO_URL"
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # a binary .xls workbook
CLOCK_SKEW_SECONDS = 86_400  # how far ahead of our clock a Last-Modified may be


def last_modified_epoch(response: requests.Response) -> int:
    """The answer's Last-Modified in epoch seconds: it becomes the file's watermark, so it must be a date
    no more than a day ahead of this clock."""
    try:
        modified = int(parsedate_to_datetime(response.headers.get("Last-Modified", "")).timestamp())
    except (TypeError, ValueError):
        raise BadAnswer("no valid Last-Modified header") from None
    if modified > time.time() + CLOCK_SKEW_SECONDS:
        raise BadAnswer("Last-Modified is more than a day ahead of this clock")
    return modified


class PacoFiles(RetryingHttpResource):
    """Downloads PACO files from `base_url` (`SECOP_PACO_URL`; the demo points it at the replay server)."""

    base_url: str = Field(default=PACO_URL, description="Folder URL holding the PACO files")

    def _url(self, name: str) -> str:
        return f"{checked_url(self.base_url, URL_VARIABLE).rstrip('/')}/{name}"

    def last_modified(self, name: str, stats: PullStats | None = None) -> int:
        """Epoch seconds of the file's last change (one HEAD request)."""
        return self.request("HEAD", self._url(name), last_modified_epoch, f"PACO file {name}", stats or PullStats())

    def download(self, name: str, folder: Path, stats: PullStats) -> tuple[Path, int]:
        """Stream the file into `folder`; return its path and Last-Modified (epoch seconds)."""

        def read(response: requests.Response) -> tuple[Path, int]:
            modified = last_modified_epoch(response)
            out = tempfile.NamedTemporaryFile(dir=folder, prefix="paco-", delete=False)
            received = 0
            try:
                with out:
                    for chunk in self.chunks(response):
                        out.write(chunk)
                        received += len(chunk)
            except BaseException:  # a failed try leaves no partial copy behind
                Path(out.name).unlink()
                raise
            stats.bytes += received
            stats.pages += 1
            return Path(out.name), modified

        return self.request("GET", self._url(name), read, f"PACO file {name}", stats)


def read_delimited(path: Path, source_name: str) -> tuple[list[str], Iterator[list[str]]]:
    """Header and rows of a delimited text file (UTF-8, or Latin-1 as PACO's older exports are).

    The delimiter (comma, semicolon, tab or pipe) is sniffed from the start of the file, whatever its
    name says (PACO's `MD-2000-2011.xls` is comma-separated text). A line wrapped whole in an extra pair of
    quotes, as that file's data lines are (`"0,123,""a, b"",..."`), reads as one field holding the line:
    it is read again as the line it holds. A binary Excel workbook is refused with a clear error.
    """
    with path.open("rb") as raw:
        head = raw.read(64 * 1024)
    if head.startswith(OLE2_MAGIC):
        raise ValueError(f"{source_name}: {path.name} is a binary Excel workbook; publish it as CSV")
    try:
        head.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as exc:  # unless it is a multi-byte character cut at the sample's end
        encoding = "latin-1" if exc.start < len(head) - 4 else "utf-8-sig"
    header_line = head.decode(encoding, errors="ignore").split("\n", 1)[0].strip('"')
    try:
        delimiter = csv.Sniffer().sniff(header_line or ",", delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    handle = path.open(encoding=encoding, newline="")  # closed by the row generator
    reader = csv.reader(handle, delimiter=delimiter)

    def unwrapped(row: list[str]) -> list[str]:
        if len(row) == 1 and delimiter in row[0]:
            return next(csv.reader([row[0]], delimiter=delimiter))
        return row

    header = next(reader, None)
    if header is None:
        handle.close()
        raise ValueError(f"{source_name}: {path.name} is empty")

    def rows() -> Iterator[list[str]]:
        with handle:
            yield from map(unwrapped, reader)

    return unwrapped(header), rows()
