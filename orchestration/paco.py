"""PACO's public files (the anti-corruption portal's blob container), read with the shared retry policy.

A file's `Last-Modified` plays the role of Socrata's `rowsUpdatedAt`: a HEAD request tells whether it
changed; a GET streams it to a temporary file whose length is checked against `Content-Length`.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from email.utils import parsedate_to_datetime
from functools import partial
from pathlib import Path

import requests
from pydantic import Field

from orchestration.http import BrokenBody, PullStats, RetryingHttpResource

PACO_URL = "https://paco7public7info7prod.blob.core.windows.net/paco-pulic-info"  # container spelled `pulic`
CHUNK_BYTES = 1 << 20
OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # a binary .xls workbook


def last_modified_epoch(response: requests.Response) -> int:
    header = response.headers.get("Last-Modified")
    if not header:
        raise BrokenBody(f"{response.url}: no Last-Modified header")
    return int(parsedate_to_datetime(header).timestamp())


class PacoFiles(RetryingHttpResource):
    """Downloads PACO files from `base_url` (`SECOP_PACO_URL`; the demo points it at the replay server)."""

    base_url: str = Field(default=PACO_URL, description="Folder URL holding the PACO files")

    def _url(self, name: str) -> str:
        return f"{self.base_url.rstrip('/')}/{name}"

    def last_modified(self, name: str, stats: PullStats | None = None) -> int:
        """Epoch seconds of the file's last change (one HEAD request)."""
        send = partial(requests.head, self._url(name), timeout=self.timeout_seconds, allow_redirects=True)
        return self.request(send, last_modified_epoch, f"HEAD {name}", stats or PullStats())

    def download(self, name: str, folder: Path, stats: PullStats) -> tuple[Path, int]:
        """Stream the file into `folder`; return its path and Last-Modified (epoch seconds)."""

        def read(response: requests.Response) -> tuple[Path, int]:
            modified = last_modified_epoch(response)
            expected = response.headers.get("Content-Length")
            with tempfile.NamedTemporaryFile(dir=folder, prefix="paco-", delete=False) as out:
                received = 0
                for chunk in response.iter_content(CHUNK_BYTES):
                    out.write(chunk)
                    received += len(chunk)
            if expected is not None and int(expected) != received:
                Path(out.name).unlink()
                raise BrokenBody(f"{name}: truncated body ({received} of {expected} bytes)")
            stats.bytes += received
            stats.pages += 1
            return Path(out.name), modified

        send = partial(requests.get, self._url(name), stream=True, timeout=self.timeout_seconds)
        return self.request(send, read, f"GET {name}", stats)


def read_delimited(path: Path, source_name: str) -> tuple[list[str], Iterator[list[str]]]:
    """Header and rows of a delimited text file (UTF-8, or Latin-1 as PACO's older exports are).

    The delimiter (comma, semicolon, tab or pipe) is sniffed from the start of the file. A binary
    Excel workbook is refused with a clear error: the seed's data model exports it to CSV first.
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
    header_line = head.decode(encoding, errors="ignore").split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(header_line or ",", delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    handle = path.open(encoding=encoding, newline="")  # closed by the row generator
    reader = csv.reader(handle, delimiter=delimiter)
    header = next(reader, None)
    if header is None:
        handle.close()
        raise ValueError(f"{source_name}: {path.name} is empty")

    def rows() -> Iterator[list[str]]:
        with handle:
            yield from reader

    return header, rows()
