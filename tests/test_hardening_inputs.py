"""Values that reach dbt as text: `run_date` (SQL) and `target_folder` (a path) are refused before dbt runs, the
run_date macro parses its var (an injected one fails to compile, never runs), so does the risk_weights macro, and
dbt sends no usage statistics."""

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import dagster as dg
import pydantic
import pytest
import yaml

from orchestration.assets.warehouse import DbtBuildConfig, warehouse_assets
from orchestration.dbt_project import dbt_cli
from orchestration.lake import Lake
from orchestration.resources import Warehouse
from orchestration.settings import DBT_PROJECT_DIR

pytestmark = pytest.mark.timeout(120)

INJECTED = "2024-01-01'); select read_text('/etc/hostname') --"
DBT = str(Path(sys.executable).parent / "dbt")


@pytest.mark.parametrize(
    "run_date", [INJECTED, "2024-02-30", "20240101", "2024-1-1", "2024-01-01 ", "２０２４-01-01", "today", ""]
)
def test_a_run_date_that_is_not_a_calendar_date_is_refused(run_date):
    with pytest.raises(pydantic.ValidationError, match="run_date must be a calendar date YYYY-MM-DD"):
        DbtBuildConfig(run_date=run_date)


def test_a_calendar_date_is_accepted():
    assert DbtBuildConfig(run_date="2024-02-29").run_date == "2024-02-29"
    assert DbtBuildConfig().run_date is None


@pytest.mark.parametrize("folder", ["../../etc", "/tmp/dbt", "..", ".", ".hidden", "a/b", "a\\b", "live alerts", ""])
def test_a_target_folder_that_is_not_one_plain_folder_name_is_refused(folder):
    with pytest.raises(pydantic.ValidationError, match="target_folder must be one folder name"):
        DbtBuildConfig(target_folder=folder)


def test_a_plain_target_folder_is_accepted():
    assert DbtBuildConfig(target_folder="live_alerts").target_folder == "live_alerts"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("run_date", INJECTED, "run_date must be a calendar date YYYY-MM-DD"),
        ("target_folder", "../../../tmp", "target_folder must be one folder name"),
    ],
)
def test_a_build_launched_with_a_crafted_value_fails_before_dbt_runs(tmp_path, field, value, message):
    warehouse = tmp_path / "warehouse.duckdb"
    result = dg.materialize(
        [warehouse_assets()],
        resources={
            "dbt": dbt_cli("local"),
            "lake": Lake(uri=str(tmp_path / "lake")),
            "warehouse": Warehouse(duckdb_path=str(warehouse)),
        },
        run_config={"ops": {"warehouse_models": {"config": {field: value}}}},
        raise_on_error=False,
    )
    assert not result.success
    [failure] = [event for event in result.all_events if event.is_step_failure]
    error = failure.step_failure_data.error
    assert message in error.message, error.to_string()
    assert not result.get_asset_materialization_events()
    assert not warehouse.exists()  # dbt never opened the warehouse


def dbt_in_project(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    """This virtualenv's dbt in dbt_project/, its target, logs and warehouse in `tmp_path`, no stats switch set."""
    env = {k: v for k, v in os.environ.items() if k not in ("DBT_SEND_ANONYMOUS_USAGE_STATS", "DO_NOT_TRACK")}
    env.update(SECOP_DUCKDB_PATH=str(tmp_path / "warehouse.duckdb"), DBT_TARGET="local")
    return subprocess.run(
        [DBT, *args, "--profiles-dir", ".", "--log-path", str(tmp_path / "logs")],
        cwd=DBT_PROJECT_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=100,
    )


def refused_vars(tmp_path: Path, dbt_vars: dict, *args: str) -> str:
    """dbt `args` run with `dbt_vars` (its target in `tmp_path`), which must fail; its output."""
    done = dbt_in_project(tmp_path, *args, "--target-path", str(tmp_path / "target"), "--vars", json.dumps(dbt_vars))
    output = done.stdout + done.stderr
    assert done.returncode != 0, output
    return output


def test_an_injected_run_date_var_given_to_dbt_fails_to_compile_and_reads_no_file(tmp_path):
    marker = f"secret-{uuid.uuid4().hex}"
    planted = tmp_path / "planted.txt"
    planted.write_text(marker)
    # Before the fix, this closed the cast and selected the file's content beside the date.
    attack = f"2024-01-01' as date) as d, (select content from read_text('{planted}')) as leak --"
    output = refused_vars(tmp_path, {"run_date": attack}, "show", "--inline", "select {{ run_date() }} as d")
    assert "var run_date must be a date YYYY-MM-DD" in output
    assert marker not in output


def test_risk_weights_other_than_numbers_for_known_indicators_fail_to_compile(tmp_path):
    """A weight is written into fct_contract_risk's SQL: a text weight would run as SQL, and a misspelled
    indicator id would weigh nothing without a word. Both are refused, in one message."""
    weights = {"pep_supplier": "(select length(content) from read_text('/etc/hostname'))", "pep_suplier": 2}
    output = refused_vars(tmp_path, {"risk_weights": weights}, "compile", "--select", "fct_contract_risk")
    assert 'the weight of pep_supplier must be a number >= 0, got "(select length(content) from read_text(' in output
    assert "pep_suplier is not an indicator id" in output
    assert not list((tmp_path / "target").glob("compiled/**/fct_contract_risk.sql"))


def test_dbt_sends_no_anonymous_usage_statistics(tmp_path):
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    assert project["flags"]["send_anonymous_usage_stats"] is False
    done = dbt_in_project(tmp_path, "--debug", "debug")  # prints the flags it runs with
    assert "'send_anonymous_usage_stats': 'False'" in done.stdout, done.stdout + done.stderr
