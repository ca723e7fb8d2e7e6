"""Files of the lake as the Spark job sees them: Hadoop's FileSystem, so `file://` locally and `s3://` on EMR.

Only what publishing needs: list with sizes, rename (a move on the same filesystem; a copy on S3),
delete.
"""

from __future__ import annotations

from dataclasses import dataclass

from pyspark.sql import SparkSession


@dataclass(frozen=True)
class LakeFile:
    path: str  # full URI
    relative: str  # path below the listed folder, e.g. `_year=2024/<name>.parquet`
    size: int

    @property
    def name(self) -> str:
        return self.relative.rsplit("/", 1)[-1]


class LakeFiles:
    def __init__(self, spark: SparkSession):
        self._jvm = spark.sparkContext._jvm
        self._conf = spark.sparkContext._jsc.hadoopConfiguration()

    def _path(self, uri: str):
        return self._jvm.org.apache.hadoop.fs.Path(uri)

    def _fs(self, uri: str):
        return self._path(uri).getFileSystem(self._conf)

    def exists(self, uri: str) -> bool:
        return self._fs(uri).exists(self._path(uri))

    def list(self, folder: str, suffix: str = "") -> list[LakeFile]:
        """Every file below `folder` (recursive), hidden ones (`.`, `_`-prefixed names) skipped."""
        if not self.exists(folder):
            return []
        fs, root = self._fs(folder), self._path(folder)
        prefix = len(fs.makeQualified(root).toString().rstrip("/")) + 1
        found, files = [], fs.listFiles(root, True)
        while files.hasNext():
            status = files.next()
            path = status.getPath().toString()
            name = status.getPath().getName()
            if name.endswith(suffix) and not name.startswith((".", "_")):
                found.append(LakeFile(path, path[prefix:], status.getLen()))
        return sorted(found, key=lambda f: f.relative)

    def folders(self, folder: str) -> list[str]:
        """Names of the direct sub-folders of `folder`."""
        if not self.exists(folder):
            return []
        return sorted(s.getPath().getName() for s in self._fs(folder).listStatus(self._path(folder)) if s.isDirectory())

    def move(self, source: str, target: str) -> None:
        fs = self._fs(target)
        fs.mkdirs(self._path(target).getParent())
        if not fs.rename(self._path(source), self._path(target)):
            raise OSError(f"could not move {source} to {target}")

    def delete(self, uri: str) -> None:
        self._fs(uri).delete(self._path(uri), True)
