"""Salary.com research pages: the page object and a real crawl of the sandbox.

No recorded Salary.com page exists. The sandbox pages (``sandbox/routes/salarycom.py``)
mirror what the public national and city pages publish for search engines: one schema.org
``Occupation`` JSON-LD block whose ``estimatedSalary[0]`` is a MonetaryAmountDistribution with
percentile10/25, median, percentile75/90 and whose ``occupationLocation`` names the country
or city, plus the visible "The average ... salary ... is $X ... between $P25 and $P75".
"""

from __future__ import annotations

import json
from pathlib import Path

from web_poet import HttpResponse

from pipeline.observations import clean_observation
from sandbox.routes.salarycom import ROLE_SLUG, salary_page
from spiders.items import PageFailure
from spiders.pages.salarycom import SalaryComSalaryPage
from tests.spiders.crawl import run_crawl

URL = f"https://www.salary.com/research/salary/alternate/{ROLE_SLUG}"
ROLE = "cybersecurity manager"


def page(body: str, url: str = URL) -> SalaryComSalaryPage:
    return SalaryComSalaryPage(
        response=HttpResponse(url, body=body.encode(), headers={"Content-Type": "text/html"})
    )


def staged(staging: Path, spider: str) -> list[dict]:
    feed = staging / spider / "t1.jsonl"
    return [json.loads(line) for line in feed.read_text().splitlines()] if feed.exists() else []


def test_national_percentiles():
    results = page(salary_page()).observations(ROLE)
    assert [(o.geography, o.metric, o.value) for o in results] == [
        ("US", "p10", 118_730),
        ("US", "p25", 131_560),
        ("US", "median", 145_660),
        ("US", "p75", 160_120),
        ("US", "p90", 173_290),
    ]
    assert all(o.period == "year" and o.currency == "USD" for o in results)


def test_city_page_geography_matches_the_baselines_spelling():
    results = page(salary_page(city="san-francisco-ca"), f"{URL}/san-francisco-ca").observations(
        ROLE
    )
    figures = {o.metric: o.value for o in results}
    assert {o.geography for o in results} == {"San Francisco, CA"}
    assert figures["median"] == 182_075  # 145,660 x 1.25


def test_page_without_occupation_is_a_layout_failure():
    body = salary_page().replace('"Occupation"', '"WebPage"')
    [result] = page(body).observations(ROLE)
    assert isinstance(result, PageFailure) and result.reason == "layout_changed"


def test_crawl_sandbox_salarycom(sandbox_url, tmp_path):
    result = run_crawl("salarycom", sandbox_url, tmp_path)

    assert result.returncode == 0, result.log_tail
    records = staged(tmp_path, "salarycom")
    stored = {(r["geography"], r["metric"]): r["value"] for r in map(clean_observation, records)}
    assert stored[("US", "median")] == 145_660.0
    assert stored[("San Francisco, CA", "p90")] == 216_612.0
    assert result.stats["secjobs/items/salary_observation"] == len(records) == 10


def test_live_configuration_is_polite_and_needs_no_browser():
    from spiders.sources import load_sources, source_settings

    config = load_sources()["salarycom"]
    assert config["politeness"] == {"delay": 5.0, "concurrency": 1}
    assert config["render"] is False
    assert all(page["role"] == "cybersecurity manager" for page in config["pages"])
    settings = source_settings({"salarycom": config})
    host = config["base_url"].removeprefix("https://")
    assert settings["DOWNLOAD_SLOTS"] == {host: {"delay": 5.0, "concurrency": 1}}
