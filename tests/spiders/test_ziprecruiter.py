"""ZipRecruiter salary pages: the page object and a real crawl of the sandbox.

No recorded ZipRecruiter salary page exists, so the sandbox page
(``sandbox/routes/ziprecruiter.py``) mirrors the public page's structure: the summary
paragraphs ("the average annual pay ... is $X a year", "... $Y an hour ... $Z/week or
$W/month", "top earners (90th percentile) making $T annually"), the percentile table (rows
Top Earners, 75th Percentile, Average, 25th Percentile; columns Annual Salary, Monthly Pay,
Weekly Pay, Hourly Wage) and the "Highest Paying Cities" table with the same columns.
"""

from __future__ import annotations

import json
from pathlib import Path

from web_poet import HttpResponse

from pipeline.observations import clean_observation
from sandbox.routes.ziprecruiter import ROLE_PATH, salary_page
from spiders.items import PageFailure
from spiders.pages.ziprecruiter import ZipRecruiterSalaryPage
from tests.spiders.crawl import run_crawl

URL = f"https://www.ziprecruiter.com{ROLE_PATH}"
ROLE = "cybersecurity manager"


def page(body: str) -> ZipRecruiterSalaryPage:
    return ZipRecruiterSalaryPage(
        response=HttpResponse(URL, body=body.encode(), headers={"Content-Type": "text/html"})
    )


def staged(staging: Path, spider: str) -> list[dict]:
    feed = staging / spider / "t1.jsonl"
    return [json.loads(line) for line in feed.read_text().splitlines()] if feed.exists() else []


def test_percentile_table_per_period():
    results = page(salary_page()).observations(ROLE)
    figures = {(o.geography, o.metric, o.period): o.value for o in results}

    assert figures[("US", "average", "year")] == 152_340
    assert figures[("US", "average", "month")] == 12_695
    assert figures[("US", "average", "week")] == 2_929
    assert figures[("US", "average", "hour")] == 73.24
    assert figures[("US", "p25", "year")] == 128_500
    assert figures[("US", "p75", "year")] == 176_000
    # "Top Earners" is ZipRecruiter's 90th percentile and the article's "high".
    assert figures[("US", "p90", "year")] == figures[("US", "high", "year")] == 201_500
    assert figures[("US", "high", "hour")] == 96.88
    assert figures[("San Francisco, CA", "average", "year")] == 201_089
    assert figures[("San Francisco, CA", "average", "hour")] == 96.68
    assert ("US", "median", "year") not in figures  # not published: never invented
    high = next(o for o in results if o.metric == "high" and o.period == "year")
    assert high.raw == "Top Earners | $201,500 (year)"
    # 4 US rows x 4 periods, Top Earners twice, and 5 cities x 4 periods.
    assert len(results) == 20 + 20


def test_missing_percentile_table_is_a_layout_failure():
    body = salary_page().replace("Top Earners", "Highest").replace("Percentile<", "pct<")
    body = body.replace(">Average<", ">Mean<")
    [result] = page(body).observations(ROLE)
    assert isinstance(result, PageFailure) and result.reason == "layout_changed"


def test_crawl_sandbox_ziprecruiter(sandbox_url, tmp_path):
    result = run_crawl("ziprecruiter", sandbox_url, tmp_path)

    assert result.returncode == 0, result.log_tail
    records = staged(tmp_path, "ziprecruiter")
    rows = [clean_observation(r) for r in records]
    stored = {(r["geography"], r["metric"], r["period"]): r["value"] for r in rows}
    assert stored[("US", "average", "year")] == 152_340.0
    assert stored[("US", "high", "year")] == 201_500.0
    # The store keeps one figure per (source, role, place, metric, day), the last staged:
    # the annual figure comes last, so it is the one compared with the annual baselines.
    kept = {
        (r["source"], r["role_query"], r["geography"], r["metric"], r["observed_on"]): r
        for r in rows
    }
    us_average = kept[("ziprecruiter", ROLE, "US", "average", rows[0]["observed_on"])]
    assert (us_average["period"], us_average["value"]) == ("year", 152_340.0)
    assert result.stats["secjobs/items/salary_observation"] == len(records) == 40


def test_challenge_is_counted_as_blocked_and_nothing_is_stored(tmp_path):
    from sandbox.generator import Market
    from sandbox.server import running_sandbox

    faults = {f"/ziprecruiter{ROLE_PATH}": "challenge"}
    with running_sandbox(Market(size=10), faults=faults) as url:
        result = run_crawl("ziprecruiter", url, tmp_path)

    assert result.returncode == 0, result.log_tail
    assert result.stats["secjobs/blocked/challenge"] == 1
    assert staged(tmp_path, "ziprecruiter") == []


def test_live_configuration_is_polite_and_needs_no_browser():
    from spiders.sources import load_sources, source_settings

    config = load_sources()["ziprecruiter"]
    assert config["politeness"] == {"delay": 5.0, "concurrency": 1}
    assert config["render"] is False
    assert all(page["role"] == "cybersecurity manager" for page in config["pages"])
    settings = source_settings({"ziprecruiter": config})
    host = config["base_url"].removeprefix("https://")
    assert settings["DOWNLOAD_SLOTS"] == {host: {"delay": 5.0, "concurrency": 1}}
