"""Comparably salary pages: the page object and real crawls of the sandbox.

No recorded Comparably page exists, so the sandbox page (``sandbox/routes/comparably.py``)
mirrors the public page's structure: the sentence "The average salary for a Cybersecurity
Manager is $X in <year>", the "Base Salary $L - $H" and "Total Comp" ranges with "Based on
N salaries", and the "Salaries by City" table whose rows read "San Francisco, CA | $X |
N% above national average". The page object reads that visible text (Comparably publishes no
JSON-LD or documented JSON state for it).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from web_poet import HttpResponse

from pipeline.observations import clean_observation
from sandbox.routes.comparably import ROLE_PATH, salary_page
from spiders.items import PageFailure, SalaryFigure
from spiders.pages.comparably import ComparablySalaryPage, percent_versus_national
from tests.spiders.crawl import run_crawl

URL = f"https://www.comparably.com{ROLE_PATH}"
ROLE = "cybersecurity manager"


def page(body: str) -> ComparablySalaryPage:
    return ComparablySalaryPage(
        response=HttpResponse(URL, body=body.encode(), headers={"Content-Type": "text/html"})
    )


def staged(staging: Path, spider: str) -> list[dict]:
    feed = staging / spider / "t1.jsonl"
    return [json.loads(line) for line in feed.read_text().splitlines()] if feed.exists() else []


def by_key(records) -> dict[tuple, float]:
    return {
        (r["geography"], r["metric"]): r["value"]
        for r in records
        if r["kind"] == "salary_observation"
    }


def test_national_average_range_and_cities():
    results = page(salary_page()).observations(ROLE)

    assert all(isinstance(r, SalaryFigure) for r in results)
    figures = {(o.geography, o.metric): o for o in results}
    us = figures[("US", "average")]
    assert (us.value, us.period, us.currency, us.sampleSize) == (148_250, "year", "USD", 1_214)
    assert us.raw == "The average salary for a Cybersecurity Manager is $148,250 in 2026"
    assert figures[("US", "low")].value == 104_000
    assert figures[("US", "high")].value == 212_000
    assert figures[("US", "high")].raw == "Base Salary $104,000 - $212,000"
    sf = figures[("San Francisco, CA", "average")]
    assert sf.value == 207_550
    assert sf.raw == "San Francisco, CA $207,550 40% above national average"
    assert percent_versus_national(sf.raw) == 40.0
    # The published percentage agrees with the two figures, to the page's rounding.
    assert round(100 * (sf.value / us.value - 1)) == 40
    assert figures[("Columbus, OH", "average")].value == 133_400
    assert percent_versus_national(figures[("Columbus, OH", "average")].raw) == -10.0
    assert {o.roleQuery for o in results} == {ROLE}
    assert not any(o.isEstimate for o in results)
    assert len(results) == 8


def test_article_sentence_parses():
    assert percent_versus_national("San Francisco, CA $172,000 46% above national average") == 46


def test_missing_headline_is_a_layout_failure_not_an_exception():
    changed = salary_page().replace("The average salary for a", "Typical pay of a")
    [result] = page(changed).observations(ROLE)
    assert isinstance(result, PageFailure)
    assert result.reason == "layout_changed"


def test_page_without_city_table_still_yields_national_figures():
    body = salary_page()
    body = body[: body.index('<section class="citySalaries">')] + "</main></body></html>"
    results = page(body).observations(ROLE)
    assert {(o.geography, o.metric) for o in results} == {
        ("US", "average"),
        ("US", "low"),
        ("US", "high"),
    }


def test_crawl_sandbox_comparably(sandbox_url, tmp_path):
    result = run_crawl("comparably", sandbox_url, tmp_path)

    assert result.returncode == 0, result.log_tail
    records = staged(tmp_path, "comparably")
    figures = by_key(records)
    assert figures[("US", "average")] == 148_250
    assert figures[("San Francisco, CA", "average")] == 207_550
    assert all(r["source"] == "comparably" and r["crawlRunId"] == "t1" for r in records)
    assert result.stats["secjobs/items/salary_observation"] == len(records) == 8
    # What the pipeline stores: every figure passes validation unchanged.
    rows = [clean_observation(r) for r in records]
    assert {(r["geography"], r["metric"], r["value"]) for r in rows} >= {
        ("US", "average", 148_250.0),
        ("San Francisco, CA", "average", 207_550.0),
    }


def test_challenge_is_counted_as_blocked_and_nothing_is_stored(tmp_path):
    from sandbox.generator import Market
    from sandbox.server import running_sandbox

    with running_sandbox(Market(size=10), faults={f"/comparably{ROLE_PATH}": "challenge"}) as url:
        result = run_crawl("comparably", url, tmp_path)

    assert result.returncode == 0, result.log_tail
    assert result.stats["secjobs/blocked"] == 1
    assert result.stats["secjobs/blocked/challenge"] == 1
    assert staged(tmp_path, "comparably") == []
    assert "secjobs/items/salary_observation" not in result.stats


@pytest.mark.skipif(
    not Path("/usr/bin/chromium").exists(),
    reason="/usr/bin/chromium is not installed; the rendering path needs the system Chromium",
)
def test_rendering_path_through_system_chromium(sandbox_url, tmp_path):
    result = run_crawl("comparably", sandbox_url, tmp_path, "COMPARABLY_RENDER=true")

    assert result.returncode == 0, result.log_tail
    figures = by_key(staged(tmp_path, "comparably"))
    assert figures[("US", "average")] == 148_250
    assert figures[("San Francisco, CA", "average")] == 207_550
    # The page really went through the browser.
    assert result.stats.get("playwright/request_count", 0) >= 1, result.log_tail


def test_changed_layout_is_a_counted_failure_not_a_crash(tmp_path):
    from sandbox.generator import Market
    from sandbox.server import running_sandbox

    # The sandbox's "malformed" fault answers a truncated JSON body instead of the page.
    with running_sandbox(Market(size=10), faults={f"/comparably{ROLE_PATH}": "malformed"}) as url:
        result = run_crawl("comparably", url, tmp_path)

    assert result.returncode == 0, result.log_tail
    assert result.stats["secjobs/page_failure/layout_changed"] == 1
    [record] = staged(tmp_path, "comparably")
    assert record["kind"] == "page_failure" and record["reason"] == "layout_changed"
    assert record["url"].endswith(ROLE_PATH)


def test_live_configuration_is_polite_and_needs_no_browser():
    from spiders.sources import load_sources, source_settings

    config = load_sources()["comparably"]
    assert config["politeness"] == {"delay": 5.0, "concurrency": 1}
    assert config["render"] is False
    assert all(page["role"] == "cybersecurity manager" for page in config["pages"])
    settings = source_settings({"comparably": config})
    host = config["base_url"].removeprefix("https://")
    assert settings["DOWNLOAD_SLOTS"] == {host: {"delay": 5.0, "concurrency": 1}}


def test_headline_wording_and_case_variants_are_read():
    body = salary_page().replace("The average salary for a", "THE AVERAGE BASE SALARY FOR A")
    first = page(body).observations(ROLE)[0]
    assert (first.geography, first.metric, first.value) == ("US", "average", 148_250)
