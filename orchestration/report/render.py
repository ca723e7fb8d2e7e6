"""The risk report as one self-contained HTML file: Plotly charts (plotly.js inlined, no CDN) and a
searchable, sortable table of the flagged contracts with each flag's reason and the SECOP record."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import plotly.graph_objects as go
from jinja2 import Environment, FileSystemLoader, select_autoescape
from plotly.offline import get_plotlyjs

from orchestration.report.data import ReportData

TEMPLATES = Path(__file__).parent
PLOT_CONFIG = {"displaylogo": False, "responsive": True}
FLAGGED = "#c0392b"
NEUTRAL = "#34495e"


def _chart(figure: go.Figure, div_id: str, height: int) -> str:
    figure.update_layout(height=height, margin={"l": 10, "r": 10, "t": 60, "b": 10}, template="plotly_white")
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=PLOT_CONFIG)


def indicator_charts(data: ReportData) -> dict[str, str]:
    """Flagged contracts and flagged amount per indicator; a bar's click filters the table (customdata)."""
    rows = sorted(data.indicators, key=lambda r: (r["flagged_awards"], r["indicator_id"]))
    height = 120 + 28 * len(rows)

    def bars(value: str, color: str, title: str, hover: str, text: list[str] | None = None) -> go.Figure:
        figure = go.Figure(
            go.Bar(
                x=[r[value] for r in rows],
                y=[r["indicator_name"] for r in rows],
                orientation="h",
                marker_color=color,
                customdata=[r["indicator_id"] for r in rows],
                text=text,
                textposition="none",
                hovertemplate=f"%{{y}}<br>{hover}<extra></extra>",
            )
        )
        return figure.update_layout(title=title)

    shares = [f"{(r['share'] or 0):.2%} of {r['total_awards']:,} evaluated" for r in rows]
    counts = bars(
        "flagged_awards",
        FLAGGED,
        "Flagged contracts per indicator (click a bar to list them)",
        "%{x:,} flagged contracts (%{text})",
        shares,
    )
    amounts = bars(
        "flagged_amount", NEUTRAL, "Flagged amount per indicator (COP, each award once)", "COP %{x:,.0f} flagged"
    )
    return {
        "by_indicator": _chart(counts, "chart-by-indicator", height),
        "amount_by_indicator": _chart(amounts, "chart-amount-by-indicator", height),
    }


def trend_chart(data: ReportData) -> str:
    months = [m["month"] for m in data.months]
    figure = go.Figure()
    figure.add_bar(
        x=months, y=[m["flagged_awards"] for m in data.months], name="flagged contracts", marker_color=FLAGGED
    )
    figure.add_scatter(
        x=months, y=[m["flagged_value"] for m in data.months], name="flagged amount (COP)", yaxis="y2", mode="lines"
    )
    figure.update_layout(
        title="Flagged contracts by award month",
        yaxis={"title": "contracts", "rangemode": "tozero"},
        yaxis2={"title": "COP", "overlaying": "y", "side": "right", "showgrid": False, "rangemode": "tozero"},
        legend={"orientation": "h", "y": -0.2},
    )
    return _chart(figure, "chart-trend", 380)


def ranking_chart(rows: list[dict], label: str, value: str, title: str, div_id: str) -> str:
    ordered = list(reversed(rows))
    figure = go.Figure(
        go.Bar(
            x=[r[value] for r in ordered],
            y=[r[label] or "(no name)" for r in ordered],
            orientation="h",
            marker_color=FLAGGED,
        )
    )
    figure.update_layout(title=title, yaxis={"automargin": True})
    return _chart(figure, div_id, 120 + 26 * len(rows))


# JSON inside a <script> element: `<`, `>` and `&` as \u escapes, so no `</script>`, `<!--` or `<script` in
# the data changes how the HTML parser reads the element (JSON.parse reads the same characters back).
_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_json(value: object) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False, default=str).translate(_SCRIPT_ESCAPES)


def render_report(data: ReportData, generated_at: datetime | None = None) -> str:
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    template = environment.get_template("risk_report.html.j2")
    names = {r["indicator_id"]: r["indicator_name"] for r in data.indicators}
    return template.render(
        data=data,
        generated_at=(generated_at or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC"),
        charts={
            **indicator_charts(data),
            "trend": trend_chart(data),
            "entities": ranking_chart(
                data.entities,
                "entity_name",
                "flagged_value",
                "Entities with the most flagged value (COP)",
                "chart-entities",
            ),
            "suppliers": ranking_chart(
                data.suppliers,
                "supplier_name",
                "flagged_awards",
                "Suppliers with the most flagged contracts",
                "chart-suppliers",
            ),
        },
        plotly_js=get_plotlyjs(),
        contracts_json=script_json(data.contracts),
        indicator_names_json=script_json(names),
    )
