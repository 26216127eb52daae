"""Build the report: ``index.html``, ``report.md`` and a CSV per table, plus an index of runs.

Each build writes ``<reports>/<date>/``, refreshes ``<reports>/latest/`` and rewrites
``<reports>/index.html`` listing every run. The HTML is one self-contained file: plotly.js is
inlined once, before the charts. Scraped text is hostile: HTML is autoescaped, Markdown cells
are escaped, chart labels are escaped (``dashboards.charts``), CSV cells cannot start a
spreadsheet formula.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from dashboards.charts import build_charts
from dashboards.data import ReportData, load_report_data
from dashboards.sources import ATTRIBUTION, source_name
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
    # Added after the first release: keep the columns above first and in this order.
    "baseline_today_usd",
    "cpi_month",
    "beats_inflation",
    "postings_statistic",
    "postings_usd",
    "postings_n",
    "postings_ci_low_usd",
    "postings_ci_high_usd",
]
REPORT_DIR = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Table:
    """One table of the report: a CSV file and a Prefect table artifact under ``key``."""

    key: str  # kebab-case, stable
    description: str
    columns: list[str]
    rows: list[dict[str, Any]]

    @property
    def filename(self) -> str:
        return self.key.replace("-", "_") + ".csv"


@dataclass(frozen=True)
class ReportArtifact:
    """What the flow publishes: ``markdown`` or ``table`` is set, never both."""

    key: str
    description: str
    markdown: str | None = None
    table: list[dict[str, Any]] | None = None


@dataclass(frozen=True)
class ReportPaths:
    directory: Path
    latest: Path
    html: Path
    markdown: Path
    csv: Path
    index: Path | None = None
    tables: dict[str, Path] = field(default_factory=dict)
    artifacts: tuple[ReportArtifact, ...] = ()


def money(value: float | None) -> str:
    return "–" if value is None else f"${value:,.0f}"


def signed_money(value: float) -> str:
    return f"{'+' if value >= 0 else '−'}${abs(value):,.0f}"


def signed_pct(value: float | None) -> str:
    return "–" if value is None else f"{'+' if value >= 0 else '−'}{abs(value):.1f}%"


def pct(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}%"


def share(s) -> str:
    return "–" if not s.total else f"{s.count} of {s.total} ({100 * s.count / s.total:.0f}%)"


def proportion(p) -> str:
    """ "12% (8–17%)": a share with its 95% interval; "–" for none."""
    if p is None or not p.total:
        return "–"
    low, high = p.interval
    return f"{p.pct:.0f}% ({low:.0f}–{high:.0f}%)"


def ci(estimate) -> str:
    if estimate is None or estimate.ci_low is None:
        return "–"
    return f"{money(estimate.ci_low)}–{money(estimate.ci_high)}"


def pct_ci(estimate) -> str:
    if estimate is None or estimate.ci_low is None:
        return "–"
    return f"{signed_pct(estimate.ci_low)} to {signed_pct(estimate.ci_high)}"


def yes_no(value: bool | None) -> str:
    return "–" if value is None else "yes" if value else "no"


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
    env.globals.update(
        attribution=ATTRIBUTION,
        money=money,
        signed_money=signed_money,
        signed_pct=signed_pct,
        pct=pct,
        share=share,
        proportion=proportion,
        ci=ci,
        pct_ci=pct_ci,
        yes_no=yes_no,
        source_name=source_name,
    )
    env.filters["md"] = markdown_escape
    env.filters["breakable"] = breakable
    return env


def breakable(value) -> Markup:
    """``value`` escaped, with a line break allowed after each ":" (``<wbr>``): a quarantine
    reason such as ``page_failure:malformed_jsonld`` wraps there, not inside a word."""
    return escape(str(value)).replace(":", Markup(":<wbr>"))


def _r(value: float | None, digits: int = 2):
    return "" if value is None else round(value, digits)


def _d(value) -> str:
    return value.isoformat() if value is not None else ""


def comparison_rows(data: ReportData) -> list[dict]:
    return [
        {
            "source": row.source,
            "metric": row.metric,
            "geography": row.geography,
            "baseline_usd": round(row.baseline, 2),
            "baseline_as_of": row.as_of.isoformat(),
            "live_usd": _r(row.live),
            "live_observed_on": _d(row.observed_on),
            "change_usd": _r(row.change),
            "change_pct": _r(row.change_pct),
            "status": row.status,
            "reason": row.reason or "",
            "baseline_today_usd": _r(row.baseline_today),
            "cpi_month": row.restated.latest_month.strftime("%Y-%m") if row.restated else "",
            "beats_inflation": yes_no(row.beats_inflation).replace("–", ""),
            "postings_statistic": row.postings_statistic or "",
            "postings_usd": _r(row.postings.value if row.postings else None),
            "postings_n": row.postings.n if row.postings else 0,
            "postings_ci_low_usd": _r(row.postings.ci_low if row.postings else None),
            "postings_ci_high_usd": _r(row.postings.ci_high if row.postings else None),
        }
        for row in data.baselines
    ]


def _table(key: str, description: str, rows: list[dict], columns: list[str] | None = None):
    return Table(key, description, columns or (list(rows[0]) if rows else []), rows)


def report_tables(data: ReportData) -> list[Table]:
    """Every table of the report, in the order it shows them."""
    tables = [
        Table(
            "baseline-comparison",
            "One row per article baseline: live figure, CPI-adjusted baseline, postings",
            CSV_COLUMNS,
            comparison_rows(data),
        ),
        _table(
            "bls-reference",
            "BLS OEWS figures for SOC 11-3021 and 15-1212",
            [
                {
                    "soc_code": r.soc_code,
                    "occupation": r.occupation,
                    "geography": r.geography,
                    "metric": r.metric,
                    "value_usd": _r(r.value),
                    "observed_on": _d(r.observed_on),
                }
                for r in data.references
            ],
            ["soc_code", "occupation", "geography", "metric", "value_usd", "observed_on"],
        ),
        _table(
            "sf-premium",
            "San Francisco vs US, per source, beside the article's 46%",
            [
                {
                    "source": r.source,
                    "figure": r.label,
                    "us_usd": _r(r.us),
                    "sf_usd": _r(r.sf),
                    "premium_pct": _r(r.premium_pct),
                    "premium_ci_low_pct": _r(r.premium.ci_low if r.premium else None),
                    "premium_ci_high_pct": _r(r.premium.ci_high if r.premium else None),
                    "n_sf": r.premium.n if r.premium and r.source == "postings" else "",
                    "observed_on": _d(r.observed_on),
                    "article_premium_pct": _r(data.article_premium_pct),
                    "reason": r.reason or "",
                }
                for r in data.premiums
            ],
        ),
        _table(
            "trend",
            "Every figure over time: the article, each observation date, each run",
            [
                {
                    "series": p.series,
                    "chart": p.group,
                    "date": p.when.isoformat(),
                    "value": _r(p.value),
                    "n": "" if p.n is None else p.n,
                    "kind": p.kind,
                }
                for p in sorted(data.trend, key=lambda p: (p.group, p.series, p.when))
            ],
            ["series", "chart", "date", "value", "n", "kind"],
        ),
    ]
    for key, what, groups in (
        ("pay-by-seniority", "seniority", data.by_seniority),
        ("pay-by-metro", "metro", data.by_metro),
        ("pay-by-employer", "employer", data.by_employer),
    ):
        tables.append(
            _table(
                key,
                f"Annual pay of security-manager postings by {what}",
                [
                    {
                        what: g.label,
                        "n": g.n,
                        "median_usd": _r(g.median),
                        "min_usd": _r(g.low),
                        "max_usd": _r(g.high),
                    }
                    for g in groups
                ],
                [what, "n", "median_usd", "min_usd", "max_usd"],
            )
        )
    tables.append(
        _table(
            "top-postings",
            "The best-paid open security-manager postings",
            [
                {
                    "title": p.title,
                    "company": p.company or "",
                    "metro": p.metro_name or p.metro_code or "",
                    "source": p.source,
                    "annual_usd": _r(p.annual),
                }
                for p in data.top_postings
            ],
            ["title", "company", "metro", "source", "annual_usd"],
        )
    )
    req = data.requirements
    req_rows = []
    if req:
        for category, shares in (
            ("certification", req.certifications),
            ("degree", req.degrees),
            ("years of experience", req.years),
            ("experience", [req.equivalent_experience_ok]),
        ):
            for s in shares:
                req_rows.append(
                    {
                        "category": category,
                        "asks_for": s.label,
                        "postings": s.count,
                        "of_postings": s.total,
                        "pct": _r(s.pct, 1),
                        "required": "" if s.required is None else s.required,
                        "preferred": "" if s.preferred is None else s.preferred,
                    }
                )
    tables.append(
        _table(
            "requirements",
            "What security-manager postings ask for",
            req_rows,
            ["category", "asks_for", "postings", "of_postings", "pct", "required", "preferred"],
        )
    )
    tables.append(
        _table(
            "requirements-how",
            "How security-manager postings ask: required, one of alternatives, preferred",
            [
                {
                    "asks_for": row.label,
                    "of_postings": row.required.total,
                    **{
                        f"{name}{suffix}": value
                        for name, p in (
                            ("required", row.required),
                            ("one_of", row.one_of),
                            ("preferred", row.preferred),
                        )
                        for suffix, value in (
                            ("", "" if p is None else p.count),
                            ("_pct", "" if p is None else _r(p.pct, 1)),
                            ("_low", "" if p is None or not p.total else _r(p.interval[0], 1)),
                            ("_high", "" if p is None or not p.total else _r(p.interval[1], 1)),
                        )
                    },
                }
                for row in (req.asked_how if req else [])
            ],
            [
                "asks_for",
                "of_postings",
                *(
                    f"{name}{suffix}"
                    for name in ("required", "one_of", "preferred")
                    for suffix in ("", "_pct", "_low", "_high")
                ),
            ],
        )
    )
    tables.append(
        _table(
            "article-claims",
            "The article's claims beside the share of postings",
            [
                {
                    "claim": c.claim,
                    "measure": c.measure,
                    "postings": c.share.count,
                    "of_postings": c.share.total,
                    "pct": _r(c.share.pct, 1),
                }
                for c in (req.claims if req else [])
            ],
            ["claim", "measure", "postings", "of_postings", "pct"],
        )
    )
    tables.append(
        _table(
            "sources",
            "Each source on its latest crawl: status, reason, postings, pay coverage, crawl stats",
            [
                {
                    "source": s.source,
                    "status": s.status,
                    "reason": s.reason or "",
                    "items_latest_crawl": s.items,
                    "stored": s.stored,
                    "open": s.open,
                    "usable_pay": s.usable_pay,
                    "pay_coverage_pct": _r(s.pay_coverage_pct, 1),
                    "estimates_excluded": s.estimates,
                    "pay_flagged": s.flagged,
                    "requests": "" if s.requests is None else s.requests,
                    "responses": "" if s.responses is None else s.responses,
                    "blocked_responses": s.blocked,
                    "finish_reason": s.finish_reason or "",
                    "elapsed_s": _r(s.elapsed_s, 1),
                }
                for s in data.sources
            ],
        )
    )
    quality = [
        {"what": "postings stored", "detail": "", "count": data.postings_total},
        {"what": "open postings with usable pay", "detail": "", "count": data.postings_with_pay},
        {"what": "open security-manager postings", "detail": "", "count": data.family_postings},
        {"what": "pay excluded", "detail": "platform estimate", "count": data.estimates_excluded},
        *(
            {"what": "pay flagged", "detail": flag, "count": n}
            for flag, n in data.flagged_pay.items()
        ),
        {"what": "duplicate clusters", "detail": "", "count": data.duplicate_clusters},
        {"what": "duplicates merged", "detail": "", "count": data.duplicates_merged},
        *(
            {"what": "quarantined", "detail": q.reason, "count": q.records}
            for q in data.quarantine_rows
        ),
    ]
    tables.append(_table("data-quality", "Coverage, exclusions, duplicates, quarantine", quality))
    if data.boards:
        tables.append(
            _table(
                "boards",
                "Employer boards per ATS and status, with what their last crawls found",
                [
                    {
                        "ats": b.ats,
                        **b.counts,
                        "all": b.total,
                        "crawled_this_run": b.crawled,
                        "open_postings": b.open_postings,
                        "security_postings": b.security_postings,
                    }
                    for b in data.boards
                ],
            )
        )
    if data.employers:
        tables.append(
            _table(
                "top-employers",
                "The employer boards whose last crawl found the most security-manager postings",
                [
                    {
                        "employer": e.name,
                        "ats": e.ats,
                        "security_postings": e.security_postings,
                        "open_postings": e.open_postings,
                    }
                    for e in data.employers
                ],
            )
        )
    tables.append(
        _table(
            "quarantine",
            "Quarantined records by reason",
            [
                {
                    "reason": q.reason,
                    "records": q.records,
                    "times_seen": q.times_seen,
                    "sources": q.sources,
                }
                for q in data.quarantine_rows
            ],
            ["reason", "records", "times_seen", "sources"],
        )
    )
    tables.append(
        _table(
            "runs",
            "Every pipeline run",
            [
                {
                    "run_id": r.run_id,
                    "started_at": r.started_at.isoformat(),
                    "status": r.status,
                    "postings_stored": "" if r.postings_stored is None else r.postings_stored,
                    "quarantined": "" if r.quarantined is None else r.quarantined,
                }
                for r in data.runs
            ],
            ["run_id", "started_at", "status", "postings_stored", "quarantined"],
        )
    )
    # Every row says what data it is of (live, sandbox or mixed): a sheet cut out of a
    # sandbox report, or a table artifact, still says so.
    return [
        Table(
            t.key,
            t.description,
            [*t.columns, "data_origin"],
            [{**row, "data_origin": data.origin} for row in t.rows],
        )
        for t in tables
    ]


# A spreadsheet opening a CSV runs a cell that starts with one of these as a formula (CSV
# injection): scraped text, a company named "=HYPERLINK(...)", gets a leading apostrophe, as
# OWASP advises. Numbers stay numbers, negative ones included.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        try:
            float(value)
        except ValueError:
            return "'" + value
    return value


def _csv(table: Table) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=table.columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in table.rows)
    return buffer.getvalue()


def plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    return get_plotlyjs()


def render(data: ReportData) -> tuple[str, str, str]:
    """(html, markdown, baseline csv) for one report."""
    charts = build_charts(data)
    tables = report_tables(data)
    html_text = (
        _environment(True)
        .get_template("report.html.j2")
        .render(
            data=data,
            charts=charts,
            plotly_js=plotly_js() if charts else "",
            csv_files={t.key: t.filename for t in tables},
        )
    )
    markdown = _environment(False).get_template("report.md.j2").render(data=data)
    return html_text, markdown, _csv(tables[0])


def artifacts(markdown: str, tables: list[Table]) -> tuple[ReportArtifact, ...]:
    """The Markdown report and every table, under stable kebab-case keys."""
    return (
        ReportArtifact("secjobs-report", "The report: article baselines vs live figures", markdown),
        *(ReportArtifact(t.key, t.description, table=t.rows) for t in tables),
    )


def write_runs_index(reports_dir: Path, banner: str | None = None) -> Path:
    """``<reports>/index.html``: every dated report, newest first (``banner``: what data
    they are of, when not live)."""
    days = sorted(
        (p.name for p in reports_dir.iterdir() if p.is_dir() and REPORT_DIR.match(p.name)),
        reverse=True,
    )
    page = _environment(True).get_template("runs.html.j2").render(days=days, banner=banner)
    path = reports_dir / "index.html"
    path.write_text(page, encoding="utf-8")
    return path


def build_report(
    database_url: str | None,
    reports_dir: Path,
    *,
    include_parsed: bool = False,
    now: datetime | None = None,
) -> tuple[ReportPaths, str, list]:
    """Render from the database into ``reports_dir``; returns paths, Markdown and table rows.

    ``paths.artifacts`` holds everything to publish (the Markdown and every table).
    """
    with session_factory(database_url)() as session:
        data = load_report_data(session, include_parsed=include_parsed, now=now)
    charts_html, markdown, _ = render(data)
    tables = report_tables(data)
    directory = reports_dir / data.generated_at.strftime("%Y-%m-%d")
    if directory.exists():
        shutil.rmtree(directory)
    directory.mkdir(parents=True)
    (directory / "index.html").write_text(charts_html, encoding="utf-8")
    (directory / "report.md").write_text(markdown, encoding="utf-8")
    for table in tables:
        (directory / table.filename).write_text(_csv(table), encoding="utf-8")
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
        index=write_runs_index(reports_dir, data.banner),
        tables={t.key: latest / t.filename for t in tables},
        artifacts=artifacts(markdown, tables),
    )
    return paths, markdown, tables[0].rows
