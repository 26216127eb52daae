"""Plotly figures for the HTML report, as HTML fragments without plotly.js (inlined once per page).

Scraped text (employers, metros, seniority labels) reaches Plotly, which renders a little
HTML in labels: every label is HTML-escaped so it shows as text. What a chart carries is
bounded whatever the number of postings: large groups are drawn from their figures (bins,
quartiles), not from a point per posting.
"""

from __future__ import annotations

import html
from collections import Counter, defaultdict
from dataclasses import dataclass

import plotly.graph_objects as go

from dashboards.data import ReportData
from dashboards.sections.distribution import GroupPay
from dashboards.sections.trend import TrendPoint
from dashboards.sources import source_name

PALETTE = ("#2457c5", "#c2410c", "#067647", "#7c3aed", "#b42318", "#0e7490", "#a16207", "#4b5563")
CONFIG = {"responsive": True, "displaylogo": False, "displayModeBar": False}
BIN_USD = 10_000
# Above this many postings the histogram gets counts per bin rather than every value.
HISTOGRAM_VALUES = 5_000


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


def _trend(
    key: str,
    points: list[TrendPoint],
    y_title: str,
    percent: bool = False,
    observed: str = "live",
) -> Chart | None:
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
                    else observed
                    for p in pts
                ],
                hovertemplate="%{x}: %{y:,.1f}" + ("%" if percent else "") + " (%{text})",
            )
        )
    _layout(fig, y_title=y_title, height=400)
    fig.update_yaxes(ticksuffix="%" if percent else "", tickprefix="" if percent else "$")
    return _html(key, fig)


def _box_traces(group: GroupPay, name: str, color: str, horizontal: bool) -> list:
    """A box from every value of a small group; a large group's box from its quartiles, with
    its distinct outliers as markers (the same picture without a point per posting)."""
    if group.box is None:
        values = list(group.values)
        trace = (
            go.Box(x=values, name=name, orientation="h", boxpoints="outliers")
            if horizontal
            else go.Box(y=values, name=name, boxpoints="outliers")
        )
        trace.marker.color = color
        return [trace]
    box = group.box
    figures = {
        "q1": [box.q1],
        "median": [box.median],
        "q3": [box.q3],
        "lowerfence": [box.lower_fence],
        "upperfence": [box.upper_fence],
        "name": name,
        "marker": {"color": color},
    }
    at, pay = [name] * len(box.outliers), list(box.outliers)
    if horizontal:
        trace = go.Box(y=[name], orientation="h", **figures)
        outliers = go.Scatter(x=pay, y=at, mode="markers", name=name)
    else:
        trace = go.Box(x=[name], **figures)
        outliers = go.Scatter(x=at, y=pay, mode="markers", name=name)
    outliers.marker = {"color": color, "size": 6}
    outliers.hovertemplate = "%{" + ("x" if horizontal else "y") + ":$,.0f}<extra></extra>"
    return [trace, outliers] if pay else [trace]


def _boxes(key: str, groups: list[GroupPay], horizontal: bool = False) -> Chart | None:
    if not groups:
        return None
    fig = go.Figure()
    for i, group in enumerate(groups):
        name = label(group.label, 24 if horizontal else 16)
        fig.add_traces(_box_traces(group, name, PALETTE[i % len(PALETTE)], horizontal))
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
    observed = data.origin  # "sandbox" for sandbox figures, never "live"
    charts["trend-average"] = _trend(
        "trend-average", by_group["average"], "annual pay, USD", observed=observed
    )
    charts["trend-high"] = _trend(
        "trend-high", by_group["high"], "annual pay, USD", observed=observed
    )
    charts["trend-premium"] = _trend(
        "trend-premium",
        by_group["premium"],
        "San Francisco above US",
        percent=True,
        observed=observed,
    )
    if data.family_pay:
        bins = Counter(int(v // BIN_USD) for v in data.family_pay)
        if len(data.family_pay) <= HISTOGRAM_VALUES:
            trace = go.Histogram(x=data.family_pay, xbins={"size": BIN_USD})
        else:  # one point per bin, summed: the same bars without a value per posting
            ordered = sorted(bins)
            trace = go.Histogram(
                x=[(b + 0.5) * BIN_USD for b in ordered],
                y=[bins[b] for b in ordered],
                histfunc="sum",
                xbins={"start": ordered[0] * BIN_USD, "size": BIN_USD},
            )
        trace.marker = {"color": PALETTE[0]}
        trace.hovertemplate = "%{x}: %{y} postings<extra></extra>"
        fig = go.Figure(trace)
        _layout(fig, x_title="annual pay, USD (midpoint of posted range)", y_title="postings")
        fig.update_xaxes(tickprefix="$")
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
    sources = [s for s in data.sources if s.stored]  # salary and rate sources store none
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
