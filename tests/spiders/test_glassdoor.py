"""Glassdoor salary pages: the parser on recorded real Apollo-cache JSON, the page object on
the sandbox page, and a real crawl.

No recorded Glassdoor salary HTML exists. The recorded ``scrapfly__glassdoor_salaries.json``
(JSON extracted from a real Glassdoor salaries page's Apollo state) gives the shape of the
statistics; the sandbox page (``sandbox/routes/glassdoor.py``) embeds an Apollo cache of that
shape the way glassdoor.com does: ``<script id="__NEXT_DATA__">`` with
``props.pageProps.apolloCache``, ``ROOT_QUERY`` pointing by ``__ref`` at JobTitle, Location
and Currency objects, and base/additional/total pay as ``percentiles`` ``[{ident, value}]``.
"""

from __future__ import annotations

import json
from pathlib import Path

from web_poet import HttpResponse

from pipeline.observations import clean_observation
from sandbox.routes.glassdoor import ROLE_PATH, apollo_cache, salary_page
from spiders.items import PageFailure
from spiders.pages.glassdoor import GlassdoorSalaryPage, resolve_refs, results_observations
from tests.spiders.crawl import run_crawl

URL = f"https://www.glassdoor.com{ROLE_PATH}"
ROLE = "cybersecurity manager"


def page(body: str) -> GlassdoorSalaryPage:
    return GlassdoorSalaryPage(
        response=HttpResponse(URL, body=body.encode(), headers={"Content-Type": "text/html"})
    )


def staged(staging: Path, spider: str) -> list[dict]:
    feed = staging / spider / "t1.jsonl"
    return [json.loads(line) for line in feed.read_text().splitlines()] if feed.exists() else []


def test_recorded_apollo_salary_estimates(realdata):
    data = json.loads((realdata / "html_salary" / "scrapfly__glassdoor_salaries.json").read_text())
    results = results_observations(data, url="https://www.glassdoor.com/Salary/x", where="US")

    assert len(results) == 60  # 30 job titles, each a min and a max of base pay
    first = [o for o in results if o.roleQuery == "Software Engineer 3"]
    assert [(o.metric, o.value) for o in first] == [("low", 189_000.0), ("high", 245_000.0)]
    assert all(o.sampleSize == 921 and o.isEstimate for o in first)
    assert json.loads(first[0].raw)["basePayStatistics"]["percentiles"][0] == {
        "ident": "min",
        "value": 189000.0,
    }
    pm = {o.metric: o.value for o in results if o.roleQuery == "Product Manager"}
    assert pm["low"] == 172_000.0


def test_occupation_page_figures():
    results = page(salary_page()).observations(ROLE)
    figures = {o.metric: o for o in results}

    assert figures["average"].value == figures["median"].value == 146_500
    assert figures["p10"].value == figures["low"].value == 109_000
    assert figures["p90"].value == figures["high"].value == 198_000
    assert figures["p25"].value == 126_400 and figures["p75"].value == 171_200
    assert (figures["most_likely_low"].value, figures["most_likely_high"].value) == (
        141_900,
        201_700,
    )
    assert figures["total_pay"].value == 167_800
    assert figures["additional_pay"].value == 21_300
    assert all(o.isEstimate and o.geography == "US" and o.sampleSize == 4_817 for o in results)
    assert all(o.currency == "USD" and o.period == "year" for o in results)
    assert len(results) == 12


def test_references_are_resolved():
    cache = apollo_cache()
    root = resolve_refs(cache["ROOT_QUERY"], cache)
    [estimate] = [v for k, v in root.items() if k.startswith("occSalaryEstimates")]
    assert estimate["location"]["name"] == "United States"
    assert estimate["currency"]["code"] == "USD"


def test_older_apollo_state_variable_is_read_too():
    state = json.dumps(apollo_cache())
    body = f'<html><body><script>window.appCache={{"apolloState":{state}}};</script></body></html>'
    figures = {o.metric: o.value for o in page(body).observations(ROLE)}
    assert figures["average"] == 146_500


def test_missing_state_or_statistics_is_a_layout_failure():
    [no_state] = page("<html><body><h1>Salaries</h1></body></html>").observations(ROLE)
    assert isinstance(no_state, PageFailure) and no_state.reason == "layout_changed"
    body = salary_page().replace("basePayStatistics", "basePayStats")
    [no_stats] = page(body).observations(ROLE)
    assert no_stats.reason == "layout_changed"


def test_crawl_sandbox_glassdoor(sandbox_url, tmp_path):
    result = run_crawl("glassdoor", sandbox_url, tmp_path)

    assert result.returncode == 0, result.log_tail
    records = staged(tmp_path, "glassdoor")
    stored = {r["metric"]: r for r in map(clean_observation, records)}
    assert stored["average"]["value"] == 146_500.0
    assert stored["high"]["value"] == 198_000.0
    assert stored["high"]["is_estimate"] is True
    assert result.stats["secjobs/items/salary_observation"] == len(records) == 12


def test_challenge_is_counted_as_blocked_and_nothing_is_stored(tmp_path):
    from sandbox.generator import Market
    from sandbox.server import running_sandbox

    faults = {f"/glassdoor{ROLE_PATH}": "challenge"}
    with running_sandbox(Market(size=10), faults=faults) as url:
        result = run_crawl("glassdoor", url, tmp_path)

    assert result.returncode == 0, result.log_tail
    assert result.stats["secjobs/blocked/challenge"] == 1
    assert staged(tmp_path, "glassdoor") == []


def test_live_configuration_is_polite_and_needs_no_browser():
    from spiders.sources import load_sources, source_settings

    config = load_sources()["glassdoor"]
    assert config["politeness"] == {"delay": 5.0, "concurrency": 1}
    assert config["render"] is False
    assert all(page["role"] == "cybersecurity manager" for page in config["pages"])
    settings = source_settings({"glassdoor": config})
    host = config["base_url"].removeprefix("https://")
    assert settings["DOWNLOAD_SLOTS"] == {host: {"delay": 5.0, "concurrency": 1}}
