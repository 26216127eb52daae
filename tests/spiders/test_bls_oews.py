"""BLS OEWS: series ids, the API v2 parser on recorded answers, the real May 2023 national
file (CSV and XLSX), top-coding, and real crawls of the sandbox."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from web_poet import HttpResponse

from pipeline.observations import clean_observation
from spiders.items import PageFailure, SalaryFigure
from spiders.pages.bls import (
    BlsApiPage,
    api_batches,
    api_payload,
    has_contact,
    parse_api_response,
    user_agent_with_contact,
)
from spiders.pages.bls_oews import (
    OewsApiPage,
    OewsArea,
    OewsFilePage,
    oews_file_url,
    oews_series_id,
    oews_series_ids,
    parse_oews_series_id,
    top_codes_from_config,
)
from spiders.sources import load_sources
from tests.spiders.crawl import run_crawl

NATIONAL_CSV = "html_salary/Dpride5_WGU-Stuff__bls_oews_national_M2023_dl.csv"
NATIONAL_XLSX = "html_salary/Dpride5_WGU-Stuff__bls_oews_national_M2023_dl.xlsx"
CPS_SUCCESS = "bls/associatedpress_bls_api__bls_v2_cps_2015_all_options.json"
BAD_END_YEAR = "bls/associatedpress_bls_api__bls_v2_request_failed_bad_end_year.json"
OCCUPATIONS = ["11-3021", "15-1212"]
CONFIG = load_sources()["bls_oews"]
AREAS = [OewsArea.from_config(area) for area in CONFIG["areas"]]
TOP_CODES = top_codes_from_config(CONFIG["top_code_annual"])
SF = "San Francisco-Oakland-Berkeley, CA"


def by_key(items) -> dict[tuple, SalaryFigure]:
    return {(o.roleQuery, o.geography, o.metric): o for o in items if isinstance(o, SalaryFigure)}


def file_page(body: bytes, name: str) -> OewsFilePage:
    url = f"https://www.bls.gov/oes/special-requests/{name}"
    return OewsFilePage(response=HttpResponse(url, body=body))


# --- series ids and requests --------------------------------------------------------------


def test_series_ids_follow_the_oews_layout():
    assert oews_series_id("N", "0000000", "11-3021", "13") == "OEUN000000000000011302113"
    assert oews_series_id("M", "41860", "15-1212", "15") == "OEUM004186000000015121215"
    key = parse_oews_series_id("OEUM004186000000011302104")
    assert (key.area_type, key.area_code, key.industry, key.occupation, key.datatype) == (
        "M",
        "0041860",
        "000000",
        "11-3021",
        "04",
    )
    assert parse_oews_series_id("CUUR0000SA0") is None
    for bad in (("X", "0", "11-3021", "13"), ("N", "0", "113", "13"), ("N", "0", "11-3021", "1")):
        with pytest.raises(ValueError):
            oews_series_id(*bad)


def test_configured_series_are_two_areas_two_occupations_six_statistics():
    series = oews_series_ids(AREAS, OCCUPATIONS)
    assert len(series) == 24
    assert series[:6] == [
        "OEUN000000000000011302104",
        "OEUN000000000000011302111",
        "OEUN000000000000011302112",
        "OEUN000000000000011302113",
        "OEUN000000000000011302114",
        "OEUN000000000000011302115",
    ]
    assert series[-1] == "OEUM004186000000015121215"


def test_api_payload_and_batches_keep_within_the_published_limits():
    assert api_payload(["A"], 2022, 2023) == {
        "seriesid": ["A"],
        "startyear": "2022",
        "endyear": "2023",
    }
    assert api_payload(["A"], 2022, 2023, "k")["registrationkey"] == "k"
    series = [f"S{i}" for i in range(60)]
    anonymous = api_batches(series, 2005, 2026, registered=False)
    assert [(len(s), a, b) for s, a, b in anonymous] == [
        (25, 2005, 2014),
        (25, 2005, 2014),
        (10, 2005, 2014),
        (25, 2015, 2024),
        (25, 2015, 2024),
        (10, 2015, 2024),
        (25, 2025, 2026),
        (25, 2025, 2026),
        (10, 2025, 2026),
    ]
    registered = api_batches(series, 2005, 2026, registered=True)
    assert [(len(s), a, b) for s, a, b in registered] == [
        (50, 2005, 2024),
        (10, 2005, 2024),
        (50, 2025, 2026),
        (10, 2025, 2026),
    ]
    # Years BLS will refuse are passed through so that its answer is recorded.
    assert api_batches(["A"], 2023, 2020, registered=False) == [(["A"], 2023, 2020)]


def test_file_urls_and_user_agent_contact():
    assert (
        oews_file_url("https://www.bls.gov", 2023, "nat")
        == "https://www.bls.gov/oes/special-requests/oesm23nat.zip"
    )
    project = "secjobs/0.1 (job-market research; +https://github.com/secjobs/secjobs)"
    assert user_agent_with_contact(project, "ops@example.org") == (
        "secjobs/0.1 (job-market research; +https://github.com/secjobs/secjobs; ops@example.org)"
    )
    assert user_agent_with_contact(project, None) == project
    assert has_contact(project) and has_contact("bot ops@example.org")
    assert not has_contact("Scrapy/2.19 (+https") and not has_contact("python-requests/2.32")


# --- the real national file ---------------------------------------------------------------


def test_real_national_csv_medians_and_top_code(realdata):
    """The May 2023 national CSV export: UTF-8 BOM, quoted thousands, '#' top-codes."""
    body = (realdata / NATIONAL_CSV).read_bytes()
    assert body.startswith(b"\xef\xbb\xbf")
    items = file_page(body, "national_M2023_dl.csv").observations(
        OCCUPATIONS, AREAS, 2023, TOP_CODES
    )
    found = by_key(items)
    assert found[("11-3021", "US", "median")].value == 169_510
    assert found[("11-3021", "US", "median")].raw == "A_MEDIAN=169,510"
    assert found[("15-1212", "US", "median")].value == 120_360
    assert found[("11-3021", "US", "average")].value == 180_720
    assert found[("15-1212", "US", "p90")].value == 182_370
    top = found[("11-3021", "US", "p90")]
    assert (top.value, top.qualifier, top.raw) == (239_200, ">=", "A_PCT90=#")
    assert all(o.observedOn == "2023-05-01" for o in found.values())
    assert len(found) == 12 and len(items) == 12  # the MSA is not in a national file: no failure


def test_real_national_xlsx_matches_csv_and_states_its_own_top_code(realdata):
    body = (realdata / NATIONAL_XLSX).read_bytes()
    # No configured threshold: the workbook's own note ("$239,200 per year") is used.
    items = file_page(body, "national_M2023_dl.xlsx").observations(OCCUPATIONS, AREAS, 2023, {})
    found = by_key(items)
    assert found[("11-3021", "US", "median")].value == 169_510
    assert found[("15-1212", "US", "median")].value == 120_360
    assert found[("11-3021", "US", "p90")].value == 239_200
    assert found[("11-3021", "US", "p90")].qualifier == ">="
    assert found[("11-3021", "US", "p75")].qualifier is None
    # The zip BLS serves (oesm23nat.zip -> oesm23nat/national_M2023_dl.xlsx) reads the same.
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("oesm23nat/national_M2023_dl.xlsx", body)
    zipped = by_key(
        file_page(archive.getvalue(), "oesm23nat.zip").observations(OCCUPATIONS, AREAS, 2023, {})
    )
    assert {k: o.value for k, o in zipped.items()} == {k: o.value for k, o in found.items()}
    for observation in found.values():
        clean_observation({**observation.__dict__, "source": "bls_oews"})  # never rejected


def test_csv_top_code_without_a_known_threshold_is_a_failure_not_a_zero(realdata):
    body = (realdata / NATIONAL_CSV).read_bytes()
    items = file_page(body, "national_M2023_dl.csv").observations(["11-3021"], AREAS, 2023, {})
    failures = [i for i in items if isinstance(i, PageFailure)]
    assert [(f.reason, f.detail) for f in failures] == [
        ("top_code_threshold_unknown", "2023 11-3021")
    ]
    assert "p90" not in {o.metric for o in items if isinstance(o, SalaryFigure)}


def test_unreadable_and_foreign_files_become_failures():
    [broken] = file_page(b"PK\x03\x04garbage", "oesm23nat.zip").observations(
        OCCUPATIONS, AREAS, 2023, TOP_CODES
    )
    assert broken.reason == "unreadable_file"
    [other] = file_page(b"a,b\n1,2\n", "x.csv").observations(OCCUPATIONS, AREAS, 2023, TOP_CODES)
    assert other.reason == "layout_changed"


# --- API v2 ---------------------------------------------------------------------------------


def test_generic_parser_on_a_recorded_successful_answer(realdata):
    result = parse_api_response((realdata / CPS_SUCCESS).read_bytes())
    assert result.status == "REQUEST_SUCCEEDED" and not result.failed
    assert result.messages == []
    assert [s.series_id for s in result.series] == [
        "LNS14000000",
        "LNS12000000",
        "LNS11000000",
        "LNS13000000",
    ]
    assert [len(s.data) for s in result.series] == [12, 12, 12, 12]
    first = result.series[0].data[0]
    assert (first.year, first.period, first.value, first.footnotes) == ("2015", "M12", "5.0", ())
    last = result.series[3].data[-1]
    assert (last.period, last.value) == ("M01", "8920")


def test_recorded_refusal_becomes_a_page_failure_with_the_bls_message(realdata):
    url = "https://api.bls.gov/publicAPI/v2/timeseries/data/"
    body = (realdata / BAD_END_YEAR).read_bytes()
    failure = BlsApiPage(response=HttpResponse(url, body=body)).result()
    assert isinstance(failure, PageFailure)
    assert failure.reason == "api_request_failed"
    assert failure.detail == "REQUEST_FAILED_INVALID_PARAMETERS: End year is invalid."
    [same] = list(OewsApiPage(response=HttpResponse(url, body=body)).observations(AREAS, {}))
    assert same.reason == "api_request_failed"
    assert BlsApiPage(response=HttpResponse(url, body=b"<html>")).result().reason == (
        "malformed_json"
    )


def test_api_values_top_codes_and_unreleased_estimates():
    footnote5 = {
        "code": "5",
        "text": "This wage is equal to or greater than $115.00 per hour or $239,200 per year.",
    }

    def series(series_id, value, footnotes):
        datum = {"year": "2024", "period": "A01", "periodName": "Annual", "value": value}
        return {"seriesID": series_id, "data": [datum | {"footnotes": footnotes}]}

    answer = {
        "status": "REQUEST_SUCCEEDED",
        "message": ["No Data Available for Series OEUN000000000000011302113 Year: 2025"],
        "Results": {
            "series": [
                series("OEUN000000000000011302113", "171200", [{}]),
                series("OEUM004186000000011302115", "-", [footnote5]),
                series(
                    "OEUM004186000000015121204",
                    "-",
                    [{"code": "8", "text": "Estimate not released."}],
                ),
                series("OEUM004186000000015121213", "-", [{"code": "5"}]),  # no text: table
                series("OEUS060000000000011302113", "200000", [{}]),  # an area not asked for
            ]
        },
    }
    url = "https://api.bls.gov/publicAPI/v2/timeseries/data/"
    page = OewsApiPage(response=HttpResponse(url, body=json.dumps(answer).encode()))
    found = by_key(page.observations(AREAS, {2024: 239_200.0}))
    assert set(found) == {
        ("11-3021", "US", "median"),
        ("11-3021", SF, "p90"),
        ("15-1212", SF, "median"),
    }
    assert (
        found[("11-3021", "US", "median")].value,
        found[("11-3021", "US", "median")].qualifier,
    ) == (
        171_200,
        None,
    )
    assert found[("11-3021", SF, "p90")].value == 239_200
    assert found[("11-3021", SF, "p90")].qualifier == ">="
    assert found[("15-1212", SF, "median")].qualifier == ">="
    assert found[("11-3021", SF, "p90")].observedOn == "2024-05-01"
    assert json.loads(found[("11-3021", SF, "p90")].raw)["seriesID"] == "OEUM004186000000011302115"


# --- sandbox ----------------------------------------------------------------------------------


def test_sandbox_generated_files_parse_without_recordings():
    """Years with no recording are generated (SYNTHETIC) in BLS's layout, MSA file included."""
    from sandbox.routes.bls import oews_zip

    national = by_key(
        file_page(oews_zip(2022, "nat"), "oesm22nat.zip").observations(OCCUPATIONS, AREAS, 2022, {})
    )
    metro = file_page(oews_zip(2022, "ma"), "oesm22ma.zip").observations(
        OCCUPATIONS, AREAS, 2022, {}
    )
    assert len(national) == 12 and {g for _, g, _ in national} == {"US"}
    assert national[("11-3021", "US", "p90")].qualifier == ">="
    assert national[("11-3021", "US", "p90")].value == 239_200  # from the generated notes
    assert len(metro) == 12 and {o.geography for o in metro} == {SF}  # Seattle filtered out


def _feed(tmp_path: Path, spider: str) -> list[dict]:
    return [json.loads(line) for line in (tmp_path / spider / "t1.jsonl").read_text().splitlines()]


def test_crawl_sandbox_bls_oews(realdata, sandbox_url, tmp_path):
    """A real `scrapy crawl bls_oews`: API and flat files, national (recorded) and the MSA."""
    result = run_crawl("bls_oews", sandbox_url, tmp_path)
    assert result.returncode == 0, result.log_tail
    records = _feed(tmp_path, "bls_oews")
    observations = [r for r in records if r["kind"] == "salary_observation"]
    assert [r for r in records if r["kind"] != "salary_observation"] == []
    api = {
        (r["roleQuery"], r["geography"], r["metric"]): r
        for r in observations
        if r["url"].endswith("/timeseries/data/")
    }
    files = {
        (r["roleQuery"], r["geography"], r["metric"]): r
        for r in observations
        if r["url"].endswith(".zip")
    }
    assert len(api) == 24 and len(files) == 24
    for found in (api, files):
        assert found[("11-3021", "US", "median")]["value"] == 169_510
        assert found[("15-1212", "US", "median")]["value"] == 120_360
        assert found[("11-3021", "US", "p90")]["qualifier"] == ">="
        assert found[("11-3021", "US", "p90")]["value"] == 239_200
        assert found[("11-3021", SF, "p90")]["qualifier"] == ">="
    assert {k: r["value"] for k, r in api.items()} == {k: r["value"] for k, r in files.items()}
    for record in observations:
        assert record["source"] == "bls_oews" and record["observedOn"] == "2023-05-01"
        clean_observation(record)
    assert result.stats["secjobs/items/salary_observation"] == 48


def test_crawl_refused_api_query_is_recorded_as_failure(sandbox_url, tmp_path):
    result = run_crawl(
        "bls_oews",
        sandbox_url,
        tmp_path,
        "BLS_OEWS_ROUTES=api",
        "BLS_OEWS_API_START_YEAR=2023",
        "BLS_OEWS_API_END_YEAR=2020",
    )
    assert result.returncode == 0, result.log_tail
    assert [(f["reason"], f["detail"]) for f in result.failures] == [
        ("api_request_failed", "REQUEST_FAILED_INVALID_PARAMETERS: End year is invalid.")
    ]
    assert result.stats["secjobs/page_failure/api_request_failed"] == 1
