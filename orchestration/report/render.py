"""The risk report as one self-contained HTML file in Spanish (the default) or English: Plotly charts
(plotly.js inlined, no CDN), a searchable, sortable table of the flagged contracts with each flag's reason and
the SECOP record, and the profile of each entity and supplier of the table. Every text comes from texts/."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import plotly.graph_objects as go
from jinja2 import Environment, FileSystemLoader, select_autoescape
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from orchestration.report.data import ReportData
from orchestration.report.words import Words
from texts import DEFAULT_LANGUAGE, render_reason

TEMPLATES = Path(__file__).parent
PLOT_CONFIG = {"displaylogo": False, "responsive": True}
FLAGGED = "#c0392b"
NEUTRAL = "#34495e"
PLOT_SEPARATORS = {"es": ",.", "en": ".,"}  # Plotly's (decimal mark, thousands separator) per language
GROUP_COLUMNS = 3  # pies per row in the groups chart


def _chart(figure: go.Figure, div_id: str, height: int, words: Words) -> str:
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
        template="plotly_white",
        separators=PLOT_SEPARATORS[words.lang],
    )
    return figure.to_html(full_html=False, include_plotlyjs=False, div_id=div_id, config=PLOT_CONFIG)


def indicator_charts(data: ReportData, words: Words) -> dict[str, str]:
    """Flagged contracts and flagged amount per indicator; a bar's click filters the table (customdata)."""
    rows = sorted(data.indicators, key=lambda r: (r["flagged_awards"], r["indicator_id"]))
    height = 120 + 28 * len(rows)

    def bars(value: str, color: str, title: str, hover: str, text: list[str] | None = None) -> go.Figure:
        figure = go.Figure(
            go.Bar(
                x=[r[value] for r in rows],
                y=[words.indicator(r["indicator_id"]) for r in rows],
                orientation="h",
                marker_color=color,
                customdata=[r["indicator_id"] for r in rows],
                text=text,
                textposition="none",
                hovertemplate=f"%{{y}}<br>{hover}<extra></extra>",
            )
        )
        return figure.update_layout(title=title)

    shares = [
        words("chart.of_evaluated", share=words.share(r["share"]), evaluated=words.number(r["total_awards"]))
        for r in rows
    ]
    counts = bars(
        "flagged_awards",
        FLAGGED,
        words("chart.flagged_per_indicator"),
        f"%{{x:,}} {words('chart.flagged_contracts')} (%{{text}})",
        shares,
    )
    amounts = bars(
        "flagged_amount",
        NEUTRAL,
        words("chart.amount_per_indicator"),
        f"%{{text}} {words('chart.flagged_amount')}",
        [words.money(r["flagged_amount"]) for r in rows],
    )
    return {
        "by_indicator": _chart(counts, "chart-by-indicator", height, words),
        "amount_by_indicator": _chart(amounts, "chart-amount-by-indicator", height, words),
    }


def trend_chart(data: ReportData, words: Words) -> str:
    months = [m["month"] for m in data.months]
    figure = go.Figure()
    figure.add_bar(
        x=months,
        y=[m["flagged_awards"] for m in data.months],
        name=words("chart.flagged_contracts"),
        marker_color=FLAGGED,
    )
    figure.add_scatter(
        x=months,
        y=[m["flagged_value"] for m in data.months],
        name=words("chart.flagged_amount"),
        yaxis="y2",
        mode="lines",
    )
    figure.update_layout(
        title=words("chart.trend"),
        yaxis={"title": words("chart.contracts_axis"), "rangemode": "tozero"},
        yaxis2={
            "title": words("chart.amount_axis"),
            "overlaying": "y",
            "side": "right",
            "showgrid": False,
            "rangemode": "tozero",
        },
        legend={"orientation": "h", "y": -0.2},
    )
    return _chart(figure, "chart-trend", 380, words)


def ranking_chart(rows: list[dict], label: str, value: str, title: str, div_id: str, words: Words) -> str:
    ordered = list(reversed(rows))
    figure = go.Figure(
        go.Bar(
            x=[r[value] for r in ordered],
            y=[r[label] or words("no_name") for r in ordered],
            orientation="h",
            marker_color=FLAGGED,
        )
    )
    figure.update_layout(title=title, yaxis={"automargin": True})
    return _chart(figure, div_id, 120 + 26 * len(rows), words)


def department_name(row: dict, words: Words) -> str:
    return row["department"] or words("no_department")


def department_chart(data: ReportData, words: Words) -> str:
    """Flagged value per department, its flagged contracts on hover."""
    rows = [row for row in data.departments if row["flagged_awards"]]
    ordered = list(reversed(rows))
    figure = go.Figure(
        go.Bar(
            x=[r["flagged_value"] for r in ordered],
            y=[department_name(r, words) for r in ordered],
            orientation="h",
            marker_color=FLAGGED,
            text=[f"{words.money(r['flagged_value'])} · {words.number(r['flagged_awards'])}" for r in ordered],
            textposition="none",
            hovertemplate=f"%{{y}}<br>%{{text}} {words('chart.flagged_contracts')}<extra></extra>",
        )
    )
    figure.update_layout(title=words("chart.departments"), yaxis={"automargin": True})
    return _chart(figure, "chart-departments", 120 + 26 * len(rows), words)


def group_chart(data: ReportData, words: Words) -> str:
    """A pie per indicator group: each indicator's share of the group's flagged contracts."""
    groups = [(group, rows) for group, rows in data.groups.items() if any(r["flagged_awards"] for r in rows)]
    columns = min(GROUP_COLUMNS, max(len(groups), 1))
    lines = max(1, -(-len(groups) // columns))
    figure = make_subplots(
        rows=lines,
        cols=columns,
        specs=[[{"type": "domain"}] * columns for _ in range(lines)],
        subplot_titles=[words.group(group) for group, _ in groups],
    )
    for index, (_, rows) in enumerate(groups):
        figure.add_trace(
            go.Pie(
                labels=[words.indicator(r["indicator_id"]) for r in rows],
                values=[r["flagged_awards"] for r in rows],
                customdata=[r["indicator_id"] for r in rows],
                textinfo="percent",
                hovertemplate=f"%{{label}}<br>%{{value:,}} {words('chart.flagged_contracts')} (%{{percent}})"
                "<extra></extra>",
                sort=False,
            ),
            row=index // columns + 1,
            col=index % columns + 1,
        )
    figure.update_layout(title=words("chart.groups"), legend={"orientation": "h", "y": -0.05})
    return _chart(figure, "chart-groups", 160 + 300 * lines, words)


# JSON inside a <script> element: `<`, `>` and `&` as \u escapes, so no `</script>`, `<!--` or `<script` in
# the data changes how the HTML parser reads the element (JSON.parse reads the same characters back).
_SCRIPT_ESCAPES = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026"})


def script_json(value: object) -> str:
    """JSON safe inside a <script> element."""
    return json.dumps(value, ensure_ascii=False, default=str).translate(_SCRIPT_ESCAPES)


def contract_rows(contracts: list[dict], words: Words) -> list[dict]:
    """The contracts as the table's script reads them: figures for sorting, texts in the report's language."""
    return [
        {
            "award_key": c["award_key"],
            "entity_key": c["entity_key"],
            "entity_name": c["entity_name"],
            "supplier_key": c["supplier_key"],
            "supplier_name": c["supplier_name"],
            "award_date": c["award_date"],
            "award_value": c["award_value"],
            "value_text": words.money(c["award_value"]),
            "risk_score": c["risk_score"],
            "risk_text": words.number(c["risk_score"], 3),
            "flag_count": c["flag_count"],
            "secop_url": c["secop_url"],
            "flags": [{"indicator": f["indicator_id"], "reason": render_reason(f, words.lang)} for f in c["flags"]],
        }
        for c in contracts
    ]


def profile_view(kind: str, key: str, profile: dict, words: Words) -> dict:
    """One profile as the script draws it: its facts, its flags by indicator and its riskiest contracts."""
    facts = [
        (words("profile.document"), key),
        (words("profile.awards"), words.number(profile["awards"])),
        (words("profile.awarded_value"), words.money(profile["awarded_value"])),
        (words("profile.flagged_awards"), words.number(profile["flagged_awards"])),
        (words("profile.flagged_value"), words.money(profile["flagged_value"])),
    ]
    if kind == "entity":
        place = ", ".join(part for part in (profile["municipality"], profile["department"]) if part)
        facts.insert(1, (words("profile.place"), place or words("no_department")))
    else:
        facts.append((words("profile.entities"), words.number(profile["entities"])))
        facts.append((words("profile.indicators_fired"), words.number(profile["indicators_fired"])))
    facts += [
        (words("profile.flagged_value_share"), words.share(profile["flagged_value_share"])),
        (words("profile.risk_score"), words.number(profile["risk_score"], 3)),
        (
            words("profile.rank"),
            words("profile.rank_value", rank=words.number(profile["risk_rank"]), peers=words.number(profile["peers"]))
            if profile["risk_rank"] is not None
            else "",
        ),
    ]
    counterpart = "supplier" if kind == "entity" else "entity"
    return {
        "title": words(f"profile.{kind}"),
        "name": profile["name"] or words("no_name"),
        "facts": facts,
        "indicators": [
            (words.indicator(r["indicator_id"]), words.number(r["flagged_awards"]), words.money(r["flagged_value"]))
            for r in profile["indicators"]
        ],
        "counterpart": words(f"profile.counterpart.{kind}"),
        "contracts": [
            {
                "award_key": c["award_key"],
                "secop_url": c["secop_url"],
                "risk": words.number(c["risk_score"], 3),
                "flags": words.number(c["flag_count"]),
                "date": c["award_date"] or "",
                "value": words.money(c["award_value"]),
                "counterpart": c[f"{counterpart}_name"] or "",
                "counterpart_kind": counterpart,
                "counterpart_key": c[f"{counterpart}_key"],
            }
            for c in profile["contracts"]
        ],
    }


def script_texts(words: Words) -> dict[str, str]:
    """The texts the table's and the profiles' script writes."""
    keys = ("table.shown", "profile.by_indicator", "profile.riskiest", "profile.close", "no_name")
    columns = ("indicator", "flagged_contracts", "flagged_amount", "contract", "risk", "flags", "date", "value")
    return {
        **{key: words(key, shown="{shown}", total="{total}") for key in keys},
        **{f"column.{key}": words(f"column.{key}") for key in columns},
    }


def render_report(
    data: ReportData,
    lang: str = DEFAULT_LANGUAGE,
    generated_at: datetime | None = None,
    other_language: str | None = None,
) -> str:
    """The report in `lang`; `other_language` is the address of its translation (a link at the top), if any."""
    words = Words(lang)
    environment = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]))
    template = environment.get_template("risk_report.html.j2")
    names = {r["indicator_id"]: words.indicator(r["indicator_id"]) for r in data.indicators}
    profiles = {
        f"{kind}:{key}": profile_view(kind, key, profile, words)
        for kind, found in data.profiles.items()
        for key, profile in found.items()
    }
    return template.render(
        data=data,
        t=words,
        lang=words.lang,
        other_language=other_language,
        generated_at=(generated_at or datetime.now(timezone.utc)).strftime("%Y-%m-%d %H:%M UTC"),
        charts={
            **indicator_charts(data, words),
            "groups": group_chart(data, words),
            "departments": department_chart(data, words),
            "trend": trend_chart(data, words),
            "entities": ranking_chart(
                data.entities, "entity_name", "flagged_value", words("chart.entities"), "chart-entities", words
            ),
            "suppliers": ranking_chart(
                data.suppliers, "supplier_name", "flagged_awards", words("chart.suppliers"), "chart-suppliers", words
            ),
        },
        plotly_js=get_plotlyjs(),
        contracts_json=script_json(contract_rows(data.contracts, words)),
        indicator_names_json=script_json(names),
        profiles_json=script_json(profiles),
        texts_json=script_json(script_texts(words)),
    )
