"""`make docs`: the asset graph in docs/architecture.md, then dbt's documentation site as one offline page.

dbt's site takes its descriptions from the model YAML and the docs blocks of docs/ (the indicator
pages), so the text is written once. The page lands in `.data/dbt-docs/static_index.html`; with the demo's
warehouse built (`make demo`) it shows each relation's columns and types too.
"""

from __future__ import annotations

import subprocess
import sys

from orchestration.dbt_project import dbt_executable
from orchestration.settings import DBT_PROJECT_DIR, REPO_ROOT, Settings, environment
from workbench import asset_graph

DOCS_TARGET = REPO_ROOT / ".data" / "dbt-docs"


def generate_dbt_docs(settings: Settings) -> int:
    """`dbt docs generate --static` over the configured warehouse; dbt's exit code."""
    command = [dbt_executable(), "docs", "generate", "--static", "--target-path", str(DOCS_TARGET)]
    with environment({"SECOP_LAKE_URI": settings.lake_uri, "SECOP_DUCKDB_PATH": settings.duckdb_path}):
        return subprocess.call([*command, "--profiles-dir", "."], cwd=DBT_PROJECT_DIR)


def main() -> int:
    from orchestration.definitions import defs

    asset_graph.write(defs())
    status = generate_dbt_docs(Settings.from_env())
    if status == 0:
        print(f"dbt docs: {DOCS_TARGET / 'static_index.html'} (one file, opens offline)")
    return status


if __name__ == "__main__":
    sys.exit(main())
