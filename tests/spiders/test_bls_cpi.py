"""BLS CPI-U: the real cu.data.1.AllItems flat file, API v2 answers, and real crawls."""

from __future__ import annotations

import json
from pathlib import Path

from web_poet import HttpResponse

from pipeline.observations import clean_price_index
from spiders.items import PageFailure, PriceIndexObservation
from spiders.pages.bls_cpi import CPI_U_ALL_ITEMS, CpiApiPage, CpiFilePage, month_period
from tests.spiders.crawl import run_crawl

CPI_FILE = "bls/pujaroy280_DATA608Story2__bls_cpi_cu.data.1.AllItems_2024-01.txt"
FILE_URL = "https://download.bls.gov/pub/time.series/cu/cu.data.1.AllItems"
API_URL = "https://api.bls.gov/publicAPI/v2/timeseries/data/"


def test_month_periods_skip_the_annual_average():
    assert month_period("2022", "M01") == "2022-01"
    assert month_period("2023", "M12") == "2023-12"
    assert month_period("2022", "M13") is None
    assert month_period("2022", "S01") is None


def test_real_flat_file(realdata):
    page = CpiFilePage(response=HttpResponse(FILE_URL, body=(realdata / CPI_FILE).read_bytes()))
    items = page.observations([CPI_U_ALL_ITEMS])
    assert all(isinstance(i, PriceIndexObservation) for i in items)
    by_period = {i.period: i for i in items}
    assert len(by_period) == len(items)  # one value a month: M13 and other series left out
    assert by_period["2022-01"].value == 281.148
    assert by_period["2022-01"].raw == "CUUR0000SA0      \t2022\tM01\t     281.148\t"
    assert by_period["2024-01"].value == 308.417
    assert by_period["1913-01"].value == 9.8
    assert sorted(by_period)[-1] == "2024-01"
    assert len([p for p in by_period if p.startswith("2022-")]) == 12
    assert {i.seriesId for i in items} == {CPI_U_ALL_ITEMS}
    for item in items[-24:]:
        clean_price_index(item.__dict__)
    [missing] = page.observations(["CUUR0000XX9"])
    assert isinstance(missing, PageFailure) and missing.reason == "series_missing"


def test_other_layouts_are_failures():
    page = CpiFilePage(response=HttpResponse(FILE_URL, body=b"<html>Access Denied</html>"))
    [failure] = page.observations([CPI_U_ALL_ITEMS])
    assert failure.reason == "layout_changed"


def test_api_answer_months_only():
    def datum(year, period, value):
        return {"year": year, "period": period, "value": value, "footnotes": [{}]}

    answer = {
        "status": "REQUEST_SUCCEEDED",
        "message": [],
        "Results": {
            "series": [
                {
                    "seriesID": "CUUR0000SA0",
                    "data": [
                        datum("2022", "M13", "292.655"),
                        datum("2022", "M02", "283.716"),
                        datum("2022", "M01", "281.148"),
                        datum("2021", "M10", "-"),  # not published: left out, not a zero
                    ],
                }
            ]
        },
    }
    page = CpiApiPage(response=HttpResponse(API_URL, body=json.dumps(answer).encode()))
    items = list(page.observations(["CUUR0000SA0", "CUSR0000SA0"]))
    [failure] = [i for i in items if isinstance(i, PageFailure)]
    assert (failure.reason, failure.detail) == ("series_missing", "no monthly values: CUSR0000SA0")
    values = [(i.period, i.value) for i in items if isinstance(i, PriceIndexObservation)]
    assert values == [("2022-01", 281.148), ("2022-02", 283.716)]


def test_sandbox_generated_file_has_the_real_layout():
    from sandbox.routes.bls import synthetic_cpi_file

    page = CpiFilePage(response=HttpResponse(FILE_URL, body=synthetic_cpi_file().encode()))
    items = page.observations([CPI_U_ALL_ITEMS])
    assert items[0].period == "2015-01" and items[0].value == 237.5
    assert items[-1].period == "2024-01" and len(items) == 9 * 12 + 1


def _feed(tmp_path: Path) -> list[dict]:
    return [
        json.loads(line) for line in (tmp_path / "bls_cpi" / "t1.jsonl").read_text().splitlines()
    ]


def test_crawl_sandbox_bls_cpi(realdata, sandbox_url, tmp_path):
    """A real `scrapy crawl bls_cpi`: the flat file and the API agree on the recorded values."""
    result = run_crawl("bls_cpi", sandbox_url, tmp_path)
    assert result.returncode == 0, result.log_tail
    records = _feed(tmp_path)
    assert {r["kind"] for r in records} == {"price_index"}
    from_file = {r["period"]: r["value"] for r in records if r["url"].endswith("AllItems")}
    from_api = {r["period"]: r["value"] for r in records if r["url"].endswith("/data/")}
    assert from_file["2022-01"] == from_api["2022-01"] == 281.148
    assert sorted(from_api) == sorted(p for p in from_file if "2021-01" <= p <= "2024-01")
    assert all(from_file[p] == v for p, v in from_api.items())
    for record in records:
        assert record["source"] == "bls_cpi" and record["seriesId"] == "CUUR0000SA0"
        clean_price_index(record)
    assert result.stats["secjobs/items/price_index"] == len(records)


def test_crawl_refused_api_query_and_anonymous_user_agent(sandbox_url, tmp_path):
    refused = run_crawl(
        "bls_cpi", sandbox_url, tmp_path / "a", "BLS_CPI_ROUTES=api", "BLS_CPI_API_END_YEAR=2020"
    )
    assert refused.returncode == 0, refused.log_tail
    assert [(f["reason"], f["detail"]) for f in refused.failures] == [
        ("api_request_failed", "REQUEST_FAILED_INVALID_PARAMETERS: End year is invalid.")
    ]
    anonymous = run_crawl("bls_cpi", sandbox_url, tmp_path / "b", "USER_AGENT=Scrapy/2.19")
    assert anonymous.returncode == 0, anonymous.log_tail
    assert anonymous.stats["secjobs/skipped"] == 1
    assert "no contact" in anonymous.stats["secjobs/skipped_reason"]
    assert _feed(tmp_path / "b") == []
