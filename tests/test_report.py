"""The report: one CSV row per baseline, live figures when stored, hostile text escaped."""

from __future__ import annotations

import csv
from datetime import date

from dashboards.report import build_report, markdown_escape
from pipeline.baselines import load_baselines
from pipeline.db import session_factory, upgrade
from pipeline.models import SalaryObservation
from pipeline.postings import clean_posting
from pipeline.store import record_crawl, start_run, sync_baselines, upsert_postings

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)> | **bold** [link](javascript:1)'


def seed(url: str) -> None:
    upgrade(url)
    with session_factory(url).begin() as session:
        start_run(session, "r1")
        sync_baselines(session, load_baselines())
        record_crawl(session, "r1", "greenhouse", "ok", None, 3, {})
        record_crawl(
            session,
            "r1",
            "glassdoor",
            "blocked",
            "1 responses blocked (challenge), first at https://www.glassdoor.com/x",
            0,
            {},
        )
        rows = [
            clean_posting(
                {
                    "kind": "job_posting",
                    "source": "greenhouse",
                    "url": f"https://x/{i}",
                    "jobPostingId": str(i),
                    "jobTitle": title,
                    "baseSalary": {"raw": pay},
                    "payOrigin": "posted",
                }
            )
            for i, (title, pay) in enumerate(
                [
                    (HOSTILE, "$100,000 - $140,000 USD"),
                    ("Information Security Manager", "$150,000 - $170,000 USD"),
                    ("IT Security Manager", "$10 - $20 per year"),  # implausible: not averaged
                ]
            )
        ]
        upsert_postings(session, rows, "r1")
        session.add(
            SalaryObservation(
                source="comparably",
                role_query="cybersecurity manager",
                geography="US",
                metric="average",
                value=131_000,
                currency="USD",
                period="year",
                observed_on=date(2026, 11, 20),
                url="https://www.comparably.com/x",
                raw="$131,000",
            )
        )


def test_report_files_and_baseline_rows(sqlite_url, tmp_path):
    seed(sqlite_url)
    paths, markdown, table = build_report(sqlite_url, tmp_path / "reports")

    assert paths.html.exists() and paths.markdown.exists() and paths.csv.exists()
    assert paths.latest == tmp_path / "reports" / "latest"
    with paths.csv.open() as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) == len(load_baselines()) == len(table) == 6
    comparably = rows[0]
    assert (comparably["source"], comparably["live_usd"], comparably["status"]) == (
        "comparably",
        "131000.0",
        "live",
    )
    assert comparably["change_usd"] == "13420.0"  # 131,000 - 117,580
    glassdoor = [r for r in rows if r["source"] == "glassdoor"]
    assert all(r["status"] == "blocked" and "challenge" in r["reason"] for r in glassdoor)
    zip_rows = [r for r in rows if r["source"] == "ziprecruiter"]
    assert all(r["status"] == "no live data yet" and r["live_usd"] == "" for r in zip_rows)
    # Median of the two plausible midpoints (120k, 160k); the implausible one is excluded.
    assert "$140,000" in markdown
    assert "Postings stored: 3" in markdown


def test_scraped_text_is_escaped_everywhere(sqlite_url, tmp_path):
    seed(sqlite_url)
    with session_factory(sqlite_url).begin() as session:
        record_crawl(session, "r1", "greenhouse", "partial", HOSTILE, 3, {})
    paths, markdown, _ = build_report(sqlite_url, tmp_path / "reports")
    html = paths.html.read_text()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "<script" not in markdown and "<img" not in markdown
    assert "&lt;script&gt;" in markdown and "\\| \\*\\*bold\\*\\*" in markdown


def test_markdown_escape_keeps_cells_on_one_line():
    assert markdown_escape("a\n|b <i>") == "a \\|b &lt;i&gt;"
