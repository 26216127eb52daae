"""Build the report: ``index.html``, ``report.md`` and ``baseline_comparison.csv``.

Each build writes ``<reports>/<date>/`` and refreshes ``<reports>/latest/``.
Scraped text is hostile: HTML is autoescaped, Markdown cells are escaped.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from dashboards.data import ReportData, load_report_data, source_name
from pipeline.db import session_factory

CSV_COLUMNS = [
    "source",
    "metric",
    "geography",
    "baseline_usd",
    "baseline_as_of",
    "live_usd",
    "live_observed_on",
    "change_usd",
    "change_pct",
    "status",
    "reason",
]


@dataclass(frozen=True)
class ReportPaths:
    directory: Path
    latest: Path
    html: Path
    markdown: Path
    csv: Path


def money(value: float | None) -> str:
    return "–" if value is None else f"${value:,.0f}"


def signed_money(value: float) -> str:
    return f"{'+' if value >= 0 else '−'}${abs(value):,.0f}"


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]|])")


def markdown_escape(value) -> str:
    """A value safe inside a Markdown table cell: no markup, no HTML, no line breaks.

    Angle brackets become entities (a backslash does not stop every renderer's raw HTML).
    """
    text = html.escape(" ".join(str(value).split()), quote=False)
    return _MD_SPECIAL.sub(r"\\\1", text)


def _environment(autoescape: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("dashboards", "templates"),
        autoescape=select_autoescape(["html", "html.j2"]) if autoescape else False,
        undefined=StrictUndefined,
        trim_blocks=False,
    )
    env.globals.update(money=money, signed_money=signed_money, source_name=source_name)
    env.filters["md"] = markdown_escape
    return env


def comparison_rows(data: ReportData) -> list[dict]:
    return [
        {
            "source": row.source,
            "metric": row.metric,
            "geography": row.geography,
            "baseline_usd": round(row.baseline, 2),
            "baseline_as_of": row.as_of.isoformat(),
            "live_usd": round(row.live, 2) if row.live is not None else "",
            "live_observed_on": row.observed_on.isoformat() if row.observed_on else "",
            "change_usd": round(row.change, 2) if row.change is not None else "",
            "change_pct": round(row.change_pct, 2) if row.change_pct is not None else "",
            "status": row.status,
            "reason": row.reason or "",
        }
        for row in data.baselines
    ]


def render(data: ReportData) -> tuple[str, str, str]:
    """(html, markdown, csv) for one report."""
    html = _environment(True).get_template("report.html.j2").render(data=data)
    markdown = _environment(False).get_template("report.md.j2").render(data=data)
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(comparison_rows(data))
    return html, markdown, buffer.getvalue()


def build_report(database_url: str | None, reports_dir: Path) -> tuple[ReportPaths, str, list]:
    """Render from the database into ``reports_dir``; returns paths, Markdown and table rows."""
    with session_factory(database_url)() as session:
        data = load_report_data(session)
    html, markdown, csv_text = render(data)
    directory = reports_dir / data.generated_at.strftime("%Y-%m-%d")
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "index.html").write_text(html, encoding="utf-8")
    (directory / "report.md").write_text(markdown, encoding="utf-8")
    (directory / "baseline_comparison.csv").write_text(csv_text, encoding="utf-8")
    latest = reports_dir / "latest"
    if latest.exists():
        shutil.rmtree(latest)
    shutil.copytree(directory, latest)
    paths = ReportPaths(
        directory,
        latest,
        latest / "index.html",
        latest / "report.md",
        latest / "baseline_comparison.csv",
    )
    return paths, markdown, comparison_rows(data)
