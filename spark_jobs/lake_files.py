"""Files of the lake as the Spark job sees them: Hadoop's FileSystem, so `file://` locally and `s3://` on EMR.

Only what publishing needs: list with sizes, rename (a move on the same filesystem; a copy on S3),
delete. A Spark Connect client has no JVM: there the lake is a local folder beside the server, handled
with the standard library the way Hadoop's local filesystem does it (the same `file:` URIs, and each
file's `.<name>.crc` checksum moved and deleted with it), so both kinds of run share one lake.
`lake_files(spark)` picks the implementation for the session.
"""

from __future__ import annotations

import os
import re
import shutil
from abc import ABC, abstractmethod
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the orchestrator plans runs with these types and needs no Spark for it
    from pyspark.sql import SparkSession


@dataclass(frozen=True)
class LakeFile:
    path: str  # full URI
    relative: str  # path below the listed folder, e.g. `_year=2024/<name>.parquet`
    size: int

    @property
    def name(self) -> str:
        return self.relative.rsplit("/", 1)[-1]


class LakeFiles(ABC):
    """List, move and delete the lake's files; `list` and `folders` are empty for a missing folder."""

    @abstractmethod
    def exists(self, uri: str) -> bool: ...

    @abstractmethod
    def _files(self, folder: str) -> Iterator[LakeFile]:
        """Every file below an existing `folder`, recursively."""

    @abstractmethod
    def _folders(self, folder: str) -> Iterator[str]:
        """Names of the direct sub-folders of an existing `folder`."""

    @abstractmethod
    def move(self, source: str, target: str) -> None: ...

    @abstractmethod
    def delete(self, uri: str) -> None:
        """A file, or a folder with everything in it; nothing when absent."""

    def list(self, folder: str, suffix: str = "") -> list[LakeFile]:
        """Every file below `folder` (recursive), hidden ones (`.`, `_`-prefixed names) skipped."""
        if not self.exists(folder):
            return []
        found = [f for f in self._files(folder) if f.name.endswith(suffix) and not f.name.startswith((".", "_"))]
        return sorted(found, key=lambda f: f.relative)

    def folders(self, folder: str) -> list[str]:
        """Names of the direct sub-folders of `folder`."""
        return sorted(self._folders(folder)) if self.exists(folder) else []


def lake_files(spark: SparkSession) -> LakeFiles:
    """Hadoop's FileSystem through the session's JVM; the local filesystem for a Spark Connect client."""
    return LocalLakeFiles() if is_connect(spark) else HadoopLakeFiles(spark)


def is_connect(spark: SparkSession) -> bool:
    """A Spark Connect client session (`pyspark.sql.connect`), which has no `sparkContext`."""
    return type(spark).__module__.startswith("pyspark.sql.connect.")


class HadoopLakeFiles(LakeFiles):
    def __init__(self, spark: SparkSession):
        self._jvm = spark.sparkContext._jvm
        self._conf = spark.sparkContext._jsc.hadoopConfiguration()

    def _path(self, uri: str):
        return self._jvm.org.apache.hadoop.fs.Path(uri)

    def _fs(self, uri: str):
        return self._path(uri).getFileSystem(self._conf)

    def exists(self, uri: str) -> bool:
        return self._fs(uri).exists(self._path(uri))

    def _files(self, folder: str) -> Iterator[LakeFile]:
        fs, root = self._fs(folder), self._path(folder)
        prefix = len(fs.makeQualified(root).toString().rstrip("/")) + 1
        files = fs.listFiles(root, True)
        while files.hasNext():
            status = files.next()
            path = status.getPath().toString()
            yield LakeFile(path, path[prefix:], status.getLen())

    def _folders(self, folder: str) -> Iterator[str]:
        return (s.getPath().getName() for s in self._fs(folder).listStatus(self._path(folder)) if s.isDirectory())

    def move(self, source: str, target: str) -> None:
        fs = self._fs(target)
        fs.mkdirs(self._path(target).getParent())
        if not fs.rename(self._path(source), self._path(target)):
            raise OSError(f"could not move {source} to {target}")

    def delete(self, uri: str) -> None:
        self._fs(uri).delete(self._path(uri), True)


class LocalLakeFiles(LakeFiles):
    """A lake in a local folder (a plain path or a `file:` URI), listed as Hadoop lists it: `file:/...`."""

    @staticmethod
    def local_path(uri: str) -> Path:
        if "://" in uri and not uri.startswith("file:"):
            raise ValueError(f"a Spark Connect run needs a local lake folder, got {uri!r}")
        return Path(os.path.abspath(re.sub(r"^file:(//[^/]*)?", "", uri)))

    @staticmethod
    def _checksum(path: Path) -> Path:
        return path.with_name(f".{path.name}.crc")

    def exists(self, uri: str) -> bool:
        return self.local_path(uri).exists()

    def _files(self, folder: str) -> Iterator[LakeFile]:
        root = self.local_path(folder)
        for parent, _, names in os.walk(root):
            for name in names:
                path = Path(parent, name)
                yield LakeFile(f"file:{path}", path.relative_to(root).as_posix(), path.stat().st_size)

    def _folders(self, folder: str) -> Iterator[str]:
        with os.scandir(self.local_path(folder)) as entries:
            return iter([entry.name for entry in entries if entry.is_dir()])

    def move(self, source: str, target: str) -> None:
        src, dst = self.local_path(source), self.local_path(target)
        dst.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.replace(src, dst)
        except OSError as error:
            raise OSError(f"could not move {source} to {target}") from error
        if dst.is_file():  # as Hadoop's local filesystem: the checksum goes along, a stale one goes
            self._checksum(dst).unlink(missing_ok=True)
            if self._checksum(src).exists():
                os.replace(self._checksum(src), self._checksum(dst))

    def delete(self, uri: str) -> None:
        path = self.local_path(uri)
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        elif path.exists() or path.is_symlink():
            path.unlink()
            self._checksum(path).unlink(missing_ok=True)
