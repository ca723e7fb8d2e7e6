"""The asset graph of the code location as a Mermaid flowchart, written into docs/architecture.md.

`python -m workbench.asset_graph` rewrites the section between the markers; `--check` fails when the
section no longer matches the code (tests/test_docs.py runs it).
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict

import dagster as dg

from orchestration.settings import REPO_ROOT

ARCHITECTURE = REPO_ROOT / "docs" / "architecture.md"
START, END = "<!-- asset-graph:start -->", "<!-- asset-graph:end -->"

# dbt models by name prefix: the layer of the warehouse they belong to (the project's folders).
DBT_LAYERS = (
    ("stg_", "dbt staging"),
    ("int_flags__", "dbt intermediate: flags"),
    ("int_universe__", "dbt intermediate: universes"),
    ("int_units__", "dbt intermediate: universes"),
    ("int_", "dbt intermediate"),
    ("", "dbt marts"),
)
# Boxes left to right, as data flows.
ORDER = (
    "ingest",
    "trusted",
    "dbt sources",
    "dbt staging",
    "dbt intermediate",
    "dbt intermediate: universes",
    "dbt intermediate: flags",
    "dbt marts",
    "reports",
    "live",
)


def layer(key: dg.AssetKey, group: str | None) -> str:
    """The box an asset is drawn in: its Dagster group, dbt models by layer."""
    if group != "warehouse":
        return group or "default"
    if len(key.path) > 1:  # a dbt source: the trusted table dbt reads
        return "dbt sources"
    return next(name for prefix, name in DBT_LAYERS if key.path[-1].startswith(prefix))


def node_id(key: dg.AssetKey) -> str:
    return "_".join(key.path).replace("-", "_")


def render(definitions: dg.Definitions) -> str:
    """A flowchart: one box per layer (left to right), one node per asset, one edge per dependency."""
    graph = definitions.resolve_asset_graph()
    keys = sorted(graph.get_all_asset_keys(), key=lambda k: k.to_user_string())
    boxes: dict[str, list[dg.AssetKey]] = defaultdict(list)
    for key in keys:
        boxes[layer(key, graph.get(key).group_name)].append(key)
    lines = ["```mermaid", "flowchart LR"]
    ordered = sorted(boxes.items(), key=lambda item: ORDER.index(item[0]) if item[0] in ORDER else len(ORDER))
    for index, (box, members) in enumerate(ordered):
        lines.append(f'  subgraph box{index}["{box}"]')
        lines += [f'    {node_id(key)}["{key.to_user_string()}"]' for key in members]
        lines.append("  end")
    for key in keys:
        lines += [f"  {node_id(parent)} --> {node_id(key)}" for parent in sorted(graph.get(key).parent_keys)]
    lines.append("```")
    return "\n".join(lines)


def section(definitions: dg.Definitions) -> str:
    total = len(list(definitions.resolve_asset_graph().get_all_asset_keys()))
    note = f"Generated from the code location by `python -m workbench.asset_graph` ({total} assets)."
    return f"{START}\n{note}\n\n{render(definitions)}\n{END}"


def with_section(text: str, generated: str) -> str:
    """`text` with the marked section replaced by `generated`."""
    start, end = text.index(START), text.index(END) + len(END)
    return text[:start] + generated + text[end:]


def updated_architecture(definitions: dg.Definitions) -> tuple[str, str]:
    """docs/architecture.md as it is, and with the asset graph of `definitions`."""
    current = ARCHITECTURE.read_text(encoding="utf-8")
    return current, with_section(current, section(definitions))


def write(definitions: dg.Definitions) -> None:
    ARCHITECTURE.write_text(updated_architecture(definitions)[1], encoding="utf-8")
    print(f"wrote the asset graph into {ARCHITECTURE}")


def main() -> int:
    from orchestration.definitions import defs

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="fail when docs/architecture.md is out of date")
    if not parser.parse_args().check:
        write(defs())
        return 0
    current, wanted = updated_architecture(defs())
    if wanted != current:
        print(f"{ARCHITECTURE} is out of date: run `python -m workbench.asset_graph`", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
