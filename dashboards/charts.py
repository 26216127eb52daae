"""Plotly figures for the HTML report, as HTML fragments without plotly.js (inlined once per page).

Scraped text (employers, metros, seniority labels) reaches Plotly, which renders a little
HTML in labels: every label is HTML-escaped so it shows as text.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from dataclasses import dataclass

import plotly.graph_objects as go

from dashboards.data import ReportData, TrendPoint, source_name

PALETTE = ("#2457c5", "#c2410c", "#067647", "#7c3aed", "#b42318", "#0e7490", "#a16207", "#4b5563")
CONFIG = {"responsive": True, "displaylogo": False, "displayModeBar": False}


@dataclass(frozen=True)
class Chart:
    key: str  # kebab-case; the plot div's id is ``chart-<key>`` (section ids stay free)
    html: str


def label(value: object, limit: int | None = None) -> str:
    """Text Plotly shows as is: escaped, and for axis labels cut to ``limit`` characters."""
    text = " ".join(str(value).split())
    if limit and len(text) > limit:
        text = text[: limit - 1].rstrip() + "…"
    return html.escape(text, quote=False)


def _layout(fig: go.Figure, *, x_title: str = "", y_title: str = "", height: int = 360) -> None:
    fig.update_layout(
        template="plotly_white",
        height=height,
        autosize=True,
        margin={"l": 8, "r": 8, "t": 8, "b": 8},
        font={"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 12},
        legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0, "xanchor": "left"},
        hoverlabel={"namelength": -1},
    )
    fig.update_xaxes(title_text=label(x_title), automargin=True)
    fig.update_yaxes(title_text=label(y_title), automargin=True)


def _html(key: str, fig: go.Figure) -> Chart:
    fragment = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        div_id=f"chart-{key}",
        config=CONFIG,
        default_height=f"{fig.layout.height}px",
    )
    return Chart(key, fragment)


def _trend(key: str, points: list[TrendPoint], y_title: str, percent: bool = False) -> Chart | None:
    if not any(p.kind != "article" for p in points):
        return None
    series: dict[str, list[TrendPoint]] = defaultdict(list)
    for point in points:
        series[point.series].append(point)
    fig = go.Figure()
    for i, (name, pts) in enumerate(sorted(series.items())):
        pts.sort(key=lambda p: p.when)
        color = PALETTE[i % len(PALETTE)]
        fig.add_trace(
            go.Scatter(
                x=[p.when.isoformat() for p in pts],
                y=[p.value for p in pts],
                name=label(name),
                mode="lines+markers",
                line={"color": color},
                marker={
                    "color": color,
                    "size": [11 if p.kind == "article" else 7 for p in pts],
                    "symbol": ["diamond" if p.kind == "article" else "circle" for p in pts],
                },
                text=[
                    "the article (January 2022)"
                    if p.kind == "article"
                    else f"n = {p.n}"
                    if p.n
                    else "live"
                    for p in pts
                ],
                hovertemplate="%{x}: %{y:,.1f}" + ("%" if percent else "") + " (%{text})",
            )
        )
    _layout(fig, y_title=y_title, height=400)
    fig.update_yaxes(ticksuffix="%" if percent else "", tickprefix="" if percent else "$")
    return _html(key, fig)


def _boxes(key: str, groups, horizontal: bool = False) -> Chart | None:
    if not groups:
        return None
    fig = go.Figure()
    for i, group in enumerate(groups):
        name = label(group.label, 24 if horizontal else 16)
        values = list(group.values)
        trace = (
            go.Box(x=values, name=name, orientation="h", boxpoints="outliers")
            if horizontal
            else go.Box(y=values, name=name, boxpoints="outliers")
        )
        trace.marker.color = PALETTE[i % len(PALETTE)]
        fig.add_trace(trace)
    _layout(fig, height=max(320, 60 + 36 * len(groups)) if horizontal else 360)
    fig.update_layout(showlegend=False)
    if horizontal:
        fig.update_xaxes(tickprefix="$", title_text="annual pay, USD")
        fig.update_yaxes(autorange="reversed")
    else:
        fig.update_yaxes(tickprefix="$", title_text="annual pay, USD")
    return _html(key, fig)


def build_charts(data: ReportData) -> dict[str, Chart]:
    """Every chart that has data, by key; a missing key means the section has nothing to plot."""
    charts: dict[str, Chart | None] = {}
    by_group: dict[str, list[TrendPoint]] = defaultdict(list)
    for point in data.trend:
        by_group[point.group].append(point)
    charts["trend-average"] = _trend("trend-average", by_group["average"], "annual pay, USD")
    charts["trend-high"] = _trend("trend-high", by_group["high"], "annual pay, USD")
    charts["trend-premium"] = _trend(
        "trend-premium", by_group["premium"], "San Francisco above US", percent=True
    )
    if data.family_pay:
        fig = go.Figure(
            go.Histogram(
                x=data.family_pay,
                xbins={"size": 10_000},
                marker={"color": PALETTE[0]},
                hovertemplate="%{x}: %{y} postings<extra></extra>",
            )
        )
        _layout(fig, x_title="annual pay, USD (midpoint of posted range)", y_title="postings")
        fig.update_xaxes(tickprefix="$")
        bins = Counter(int(v // 10_000) for v in data.family_pay)
        if max(bins.values()) < 6:  # whole postings on the count axis
            fig.update_yaxes(dtick=1)
        charts["pay-histogram"] = _html("pay-histogram", fig)
    charts["pay-by-seniority"] = _boxes("pay-by-seniority", data.by_seniority)
    charts["pay-by-metro"] = _boxes("pay-by-metro", data.by_metro[:8], horizontal=True)
    req = data.requirements
    if req and req.analysed:
        shares = req.certifications + req.degrees
        fig = go.Figure(
            go.Bar(
                y=[label(s.label, 24) for s in shares],
                x=[s.pct for s in shares],
                orientation="h",
                marker={"color": PALETTE[0]},
                text=[f"{s.pct:.0f}%" for s in shares],
                textposition="auto",
                hovertemplate="%{y}: %{x:.1f}% of postings<extra></extra>",
            )
        )
        _layout(fig, x_title="share of security-manager postings", height=60 + 28 * len(shares))
        fig.update_xaxes(ticksuffix="%", range=[0, 100])
        fig.update_yaxes(autorange="reversed")
        charts["requirements"] = _html("requirements", fig)
    sources = [s for s in data.sources if s.stored or s.items]
    if sources:
        names = [label(source_name(s.source), 16) for s in sources]
        fig = go.Figure(
            [
                go.Bar(x=names, y=[s.open for s in sources], name="open postings"),
                go.Bar(x=names, y=[s.usable_pay for s in sources], name="with usable pay"),
            ]
        )
        _layout(fig, y_title="postings", height=320)
        fig.update_layout(barmode="group", colorway=PALETTE)
        charts["postings-by-source"] = _html("postings-by-source", fig)
    return {key: chart for key, chart in charts.items() if chart is not None}
