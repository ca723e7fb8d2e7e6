"""In CI (`CI=true`) a missing Chromium fails `make browser`, and a skipped browser test (or a module skipped
whole) fails the pytest run; outside CI both still skip with their reason."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from orchestration.settings import REPO_ROOT

pytest_plugins = ["pytester"]

BROWSER_TESTS = """
import pytest

@pytest.mark.browser
def test_drives_chromium():
    pytest.skip("no chromium on this machine")

@pytest.mark.browser
@pytest.mark.skipif(True, reason="no chromium on this machine")
def test_marked_to_skip():
    pass

def test_needs_a_sample():
    pytest.skip("not a browser test")

def test_runs():
    pass
"""


@pytest.fixture
def suite(pytester: pytest.Pytester) -> pytest.Pytester:
    """A tiny suite with this project's CI hooks, a browser marker, and a browser test that skips two ways."""
    pytester.makeconftest("from tests.ci_skips import pytest_make_collect_report, pytest_runtest_makereport")
    pytester.makeini("[pytest]\nmarkers =\n    browser: drives Chromium\n")
    pytester.makepyfile(test_browserish=BROWSER_TESTS)
    return pytester


@pytest.mark.parametrize("ci", ["true", "1"])
def test_in_ci_a_skipped_browser_test_fails_the_run(suite, monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    result = suite.runpytest("-rA")
    result.assert_outcomes(passed=1, skipped=1, failed=1, errors=1)  # the skip in setup is an error of the test
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    result.stdout.fnmatch_lines(["*CI=true: this browser test may not skip, and it did: *no chromium on this machine*"])
    result.stdout.fnmatch_lines(["SKIPPED *not a browser test"])


@pytest.mark.parametrize("ci", [None, "false", ""])
def test_outside_ci_browser_tests_skip_with_their_reason(suite, monkeypatch, ci):
    if ci is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", ci)
    result = suite.runpytest("-rs")
    result.assert_outcomes(passed=1, skipped=3)
    assert result.ret == pytest.ExitCode.OK
    result.stdout.fnmatch_lines(["SKIPPED *no chromium on this machine"])


def test_in_ci_a_module_skipped_whole_fails_the_run(suite, monkeypatch):
    suite.makepyfile(test_whole="import pytest\npytest.skip('no chromium', allow_module_level=True)\n")
    monkeypatch.delenv("CI", raising=False)
    suite.runpytest("test_whole.py").assert_outcomes(skipped=1)
    monkeypatch.setenv("CI", "true")
    result = suite.runpytest("test_whole.py")
    assert result.ret == pytest.ExitCode.INTERRUPTED  # a collection error stops the run
    result.stdout.fnmatch_lines(["*CI=true: a test module may not skip whole, and test_whole.py did: *no chromium*"])


@pytest.mark.parametrize(("ci", "code"), [("true", 2), (None, 0)])
def test_make_browser_fails_in_ci_when_chromium_cannot_be_installed(tmp_path, ci, code):
    """On a machine with no chromium, apt-get or sudo on its PATH, `make browser` cannot install it."""
    bare = tmp_path / "bin"
    bare.mkdir()
    env = {"PATH": str(bare), **({"CI": ci} if ci else {})}
    done = subprocess.run(
        [shutil.which("make"), "--no-print-directory", "browser"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == code, done.stdout + done.stderr
    if ci:
        assert "Chromium could not be installed, and in CI the browser tests must run" in done.stderr
    else:
        assert "Chromium could not be installed: the browser tests will be skipped" in done.stdout


def test_ci_run_exports_ci_and_runs_exactly_make_test():
    commands = [line for line in (REPO_ROOT / ".ci" / "run").read_text().splitlines() if not line.startswith("#")]
    assert "export CI=true" in [line.split("#")[0].strip() for line in commands]
    assert commands[-1] == "make test"
