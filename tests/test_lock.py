"""The environment the tests run in is exactly the one uv.lock describes (`make install` syncs it from
there, `--locked`: a pyproject.toml changed without `make lock` fails the install)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from orchestration.settings import REPO_ROOT


def test_the_installed_versions_are_the_locked_ones():
    uv = Path(sys.prefix) / "bin" / "uv"
    if not uv.exists():
        pytest.skip("this virtualenv was not made by `make install` (no uv in it): no lock to compare with")
    command = [str(uv), "sync", "--locked", "--inexact", "--extra", "test", "--check", "--python", sys.executable]
    environment = {**os.environ, "UV_OFFLINE": "1", "UV_PYTHON_DOWNLOADS": "never"}
    checked = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, env=environment, timeout=120)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "Would make no changes" in checked.stderr
