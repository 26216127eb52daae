"""PayScale salary research pages: the page object on the recorded real page, the generated
page, and a real crawl of the sandbox.

The recorded page (``html_salary/abdu95_web_scraping_2020__payscale.html``, read in place) is
a 2020 PayScale Data Scientist page: an ``OccupationAggregation`` JSON-LD block whose
``estimatedSalary`` holds total/base/bonus ``MonetaryAmountDistribution``s, and a
``__NEXT_DATA__`` state with the headline narratives. The generated Cyber Security Manager
page (``sandbox/routes/payscale.py``) has the same two blocks.
"""

from __future__ import annotations

import json
from pathlib import Path

from web_poet import HttpResponse

from pipeline.observations import clean_observation
from sandbox.routes.payscale import GENERATED_JOB, salary_page
from spiders.items import PageFailure
from spiders.pages.payscale import PayScaleSalaryPage
from tests.spiders.crawl import run_crawl

RECORDED_URL = "https://www.payscale.com/research/US/Job=Data_Scientist/Salary"


def page(body: bytes, url: str = RECORDED_URL) -> PayScaleSalaryPage:
    return PayScaleSalaryPage(
        response=HttpResponse(url, body=body, headers={"Content-Type": "text/html"})
    )


def staged(staging: Path, spider: str) -> list[dict]:
    feed = staging / spider / "t1.jsonl"
    return [json.loads(line) for line in feed.read_text().splitlines()] if feed.exists() else []


def test_recorded_payscale_page(realdata):
    body = (realdata / "html_salary" / "abdu95_web_scraping_2020__payscale.html").read_bytes()
    results = page(body).observations("data scientist")
    figures = {(o.metric, o.period): o.value for o in results}

    assert figures == {
        ("p10", "year"): 66_924.24,
        ("p25", "year"): 79_786.42,
        ("median", "year"): 96_314.73,
        ("p75", "year"): 116_391.17,
        ("p90", "year"): 134_183.27,
        ("total_pay", "year"): 98_921.78,
        ("additional_pay", "year"): 8_861.05,
        ("average", "year"): 96_315.0,
        ("average", "hour"): 36.11,
    }
    assert all(o.geography == "US" and o.currency == "USD" for o in results)
    assert all(o.sampleSize == 10_744 and not o.isEstimate for o in results)
    median = next(o for o in results if o.metric == "median")
    assert median.raw.startswith("median: ") and '"name": "base"' in median.raw
    average = next(o for o in results if o.metric == "average" and o.period == "year")
    assert average.raw == "The average pay for a Data Scientist is $96,315 per year."


def test_generated_cyber_security_manager_page():
    url = f"https://www.payscale.com/research/US/{GENERATED_JOB}/Salary"
    results = page(salary_page().encode(), url).observations("cybersecurity manager")
    figures = {(o.metric, o.period): o.value for o in results}

    assert figures[("median", "year")] == 136_912.66
    assert figures[("p90", "year")] == 181_544.90
    assert figures[("total_pay", "year")] == 146_018.33
    assert figures[("additional_pay", "year")] == 10_250.50
    assert figures[("average", "year")] == 136_913
    assert figures[("average", "hour")] == 65.82
    assert len(results) == 9


def test_page_without_jsonld_is_a_layout_failure():
    [result] = page(b"<html><head><title>PayScale</title></head><body></body></html>").observations(
        "data scientist"
    )
    assert isinstance(result, PageFailure) and result.reason == "layout_changed"


def test_crawl_sandbox_payscale(sandbox_url, tmp_path, realdata):
    result = run_crawl("payscale", sandbox_url, tmp_path)

    assert result.returncode == 0, result.log_tail
    records = staged(tmp_path, "payscale")
    stored = {
        (r["role_query"], r["metric"], r["period"]): r["value"]
        for r in map(clean_observation, records)
    }
    assert stored[("cybersecurity manager", "median", "year")] == 136_912.66
    assert stored[("data scientist", "p90", "year")] == 134_183.27
    assert result.stats["secjobs/items/salary_observation"] == len(records) == 18


def test_challenge_is_counted_as_blocked_and_nothing_is_stored(tmp_path):
    from sandbox.generator import Market
    from sandbox.server import running_sandbox

    faults = {f"/payscale/research/US/{GENERATED_JOB}/Salary": "challenge"}
    with running_sandbox(Market(size=10), faults=faults) as url:
        result = run_crawl("payscale", url, tmp_path)

    assert result.returncode == 0, result.log_tail
    assert result.stats["secjobs/blocked/challenge"] == 1
    roles = {r["roleQuery"] for r in staged(tmp_path, "payscale")}
    assert "cybersecurity manager" not in roles


def test_live_configuration_is_polite_and_needs_no_browser():
    from spiders.sources import load_sources, source_settings

    config = load_sources()["payscale"]
    assert config["politeness"] == {"delay": 5.0, "concurrency": 1}
    assert config["render"] is False
    assert all(page["role"] == "cybersecurity manager" for page in config["pages"])
    settings = source_settings({"payscale": config})
    host = config["base_url"].removeprefix("https://")
    assert settings["DOWNLOAD_SLOTS"] == {host: {"delay": 5.0, "concurrency": 1}}
