"""The project's docs: written for the repository, one page per indicator, the asset graph as the code has it."""

from __future__ import annotations

import re
import subprocess

import pytest
import yaml

from orchestration.settings import DBT_PROJECT_DIR, REPO_ROOT

DOCS = REPO_ROOT / "docs"
# Notes beside the clone (written in pieces, so that this file does not name them itself).
OUTSIDE = re.compile("|".join(re.escape(a + b) for a, b in (("spec", "/"), ("ARCHITECTURE", ".md"), ("..", "/shared"))))
# The tests that read the real samples beside the clone are the only files that may name the folder.
READS_REAL_SAMPLES = {"tests/conftest.py", "tests/test_real_samples.py", "tests/test_replay_server.py"}


def tracked_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files"], cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    return [name for name in listed.stdout.splitlines() if name.endswith((".py", ".sql", ".yml", ".yaml", ".md"))]


def test_nothing_points_outside_the_repository():
    """Code, YAML and docs cite docs/, never notes a user's clone does not have."""
    found = [
        f"{name}:{number}: {line.strip()}"
        for name in tracked_files()
        if name not in READS_REAL_SAMPLES and (REPO_ROOT / name).exists()
        for number, line in enumerate((REPO_ROOT / name).read_text(encoding="utf-8").splitlines(), 1)
        if OUTSIDE.search(line)
    ]
    assert not found, "\n".join(found)


def indicator_ids() -> list[str]:
    project = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))
    return list(project["vars"]["indicators"])


@pytest.mark.parametrize("indicator_id", indicator_ids())
def test_every_indicator_has_its_method_page(indicator_id):
    """docs/indicators/<id>.md holds the dbt docs block the model's description is, with every section."""
    page = (DOCS / "indicators" / f"{indicator_id}.md").read_text(encoding="utf-8")
    block = re.search(r"\{% docs indicator_(\w+) %\}(.*?)\{% enddocs %\}", page, re.S)
    assert block and block.group(1) == indicator_id
    for section in ("What it flags", "Why it is a red flag", "The rule", "Thresholds", "Known limits", "References"):
        assert f"## {section}" in block.group(2), f"{indicator_id}: no section {section!r}"


def test_the_award_sources_table_is_the_catalogues():
    """docs/indicators/README.md's award-sources table says, per indicator, what its `award_sources` lists
    (yes: the source is listed; SECOP II: contract and process), and an indicator without a universe lists
    every source (it evaluates every award)."""
    indicators = yaml.safe_load((DBT_PROJECT_DIR / "dbt_project.yml").read_text(encoding="utf-8"))["vars"]["indicators"]
    page = (DOCS / "indicators" / "README.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| (yes \| \w+\*? \| \w+\*?) \|", page, re.M))
    assert set(rows) == set(indicators)
    for indicator_id, spec in indicators.items():
        said = [cell.rstrip("*") == "yes" for cell in rows[indicator_id].split(" | ")]
        assert [
            {"contract", "process"} <= set(spec["award_sources"]),
            "secop_i" in spec["award_sources"],
            "tvec" in spec["award_sources"],
        ] == said, indicator_id
        assert spec.get("universe") or set(spec["award_sources"]) == {"contract", "process", "secop_i", "tvec"}


def test_the_asset_graph_in_the_docs_is_the_codes():
    from orchestration.definitions import defs
    from workbench.asset_graph import updated_architecture

    current, wanted = updated_architecture(defs())
    assert current == wanted, "docs/architecture.md is out of date: run `python -m workbench.asset_graph`"


def test_relative_links_in_the_docs_lead_to_files():
    """Every relative link of docs/ and the READMEs names a file or folder of the repository."""
    pages = [*DOCS.rglob("*.md"), REPO_ROOT / "README.md", REPO_ROOT / "benchmarks" / "README.md"]
    broken = [
        f"{page.relative_to(REPO_ROOT)}: {target}"
        for page in pages
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8"))
        if "://" not in target and not (page.parent / target).exists()
    ]
    assert not broken, "\n".join(broken)


def test_the_how_to_checklists_name_files_that_exist():
    """Every file a checklist names exists (for a placeholder like `<id>`, the folder it goes in)."""
    folders = "catalogue|orchestration|spark_jobs|simulator|workbench|benchmarks|dbt_project|docs|tests"
    named = re.compile(rf"`((?:{folders})/[A-Za-z0-9_./<>-]*)`")
    missing = [
        f"{page.name}: {path}"
        for page in sorted((DOCS / "how-to").glob("*.md"))
        for path in named.findall(page.read_text(encoding="utf-8"))
        if not (REPO_ROOT / (path.split("<")[0].rsplit("/", 1)[0] if "<" in path else path)).exists()
    ]
    assert missing == []
