"""Workday career sites (CXS API): page objects on real recorded answers (MIT copies in
sandbox/recorded/, others read in place from ../shared/realdata), career-site URLs, the paging
rule, the spider's routing, and real crawls of the sandbox."""

from __future__ import annotations

import dataclasses
import json
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from scrapy.http import JsonRequest
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler
from web_poet import HttpResponse

from pipeline.postings import clean_posting
from spiders.crawlers.workday import WorkdayJobsSpider, configured_sites, setting_list
from spiders.items import JobPosting, PageFailure
from spiders.pages.workday import (
    LIVE_BASE_URL,
    BadSite,
    WorkdayListing,
    WorkdayListPage,
    WorkdayPostingPage,
    WorkdaySite,
    careers_url,
    jobs_body,
    jobs_url,
    next_offset,
    parse_site_url,
    posting_url,
    title_family,
)
from spiders.sources import source_spec
from tests.spiders.crawl import run_crawl

ROOT = Path(__file__).resolve().parents[2]
RECORDED = ROOT / "sandbox" / "recorded"
BOARD_LIST = ROOT.parent / "shared" / "boards" / "workday.csv"
GDIT = WorkdaySite("gdit.wd5.myworkdayjobs.com", "gdit", "External_Career_Site")
WORKDAY = WorkdaySite("workday.wd5.myworkdayjobs.com", "workday", "Workday")
ANALOG = WorkdaySite("analogdevices.wd1.myworkdayjobs.com", "analogdevices", "External")
KAINOS = WorkdaySite("kainos.wd3.myworkdayjobs.com", "kainos", "Kainos")


def response(url: str, body: bytes | object) -> HttpResponse:
    body = body if isinstance(body, bytes) else json.dumps(body).encode()
    return HttpResponse(url, body=body, headers={"Content-Type": "application/json"})


def list_page(site: WorkdaySite, body: bytes | object) -> WorkdayListPage:
    return WorkdayListPage(response=response(jobs_url(LIVE_BASE_URL, site), body))


def detail(site: WorkdaySite, path: str, body: bytes | object) -> JobPosting | PageFailure:
    page = WorkdayPostingPage(response=response(posting_url(LIVE_BASE_URL, site, path), body))
    return page.posting(site, path)


def cleaned(posting: JobPosting) -> dict:
    """The row the pipeline stores: where the pay in the description is parsed."""
    return clean_posting({**dataclasses.asdict(posting), "source": "workday"})


# --- career-site URLs ---------------------------------------------------------------------


def test_a_career_site_url_gives_host_tenant_and_site():
    assert parse_site_url("https://gdit.wd5.myworkdayjobs.com/External_Career_Site") == GDIT
    assert parse_site_url("https://3i.wd103.myworkdayjobs.com/Direct_Hire") == WorkdaySite(
        "3i.wd103.myworkdayjobs.com", "3i", "Direct_Hire"
    )
    # As shared links write them: a language before the site, a final slash, capitals.
    assert parse_site_url("https://GDIT.wd5.myworkdayjobs.com/en-US/External_Career_Site/") == GDIT
    # Under the sandbox the host is a path segment below the sandbox's address; a board
    # list's URL still names the same site (and is fetched from the sandbox).
    sandbox = "http://127.0.0.1:8765/workday/{host}"
    url = "http://127.0.0.1:8765/workday/gdit.wd5.myworkdayjobs.com/External_Career_Site"
    assert parse_site_url(url, sandbox) == GDIT
    assert (
        parse_site_url("https://gdit.wd5.myworkdayjobs.com/External_Career_Site", sandbox) == GDIT
    )
    with pytest.raises(BadSite, match="not a Workday host"):
        parse_site_url("http://127.0.0.1:8765/workday/evil.example/External", sandbox)


def test_odd_identifiers_are_decoded_from_the_url_and_encoded_into_it():
    odd = parse_site_url("https://acme-co.wd1.myworkdayjobs.com/Careers%20%26%20Jobs%2Fx")
    assert odd == WorkdaySite("acme-co.wd1.myworkdayjobs.com", "acme-co", "Careers & Jobs/x")
    assert jobs_url(LIVE_BASE_URL, odd) == (
        "https://acme-co.wd1.myworkdayjobs.com/wday/cxs/acme-co/Careers%20%26%20Jobs%2Fx/jobs"
    )
    path = "/job/Zürich/Head of Security_R1"
    assert posting_url(LIVE_BASE_URL, odd, path) == (
        "https://acme-co.wd1.myworkdayjobs.com/wday/cxs/acme-co/Careers%20%26%20Jobs%2Fx"
        "/job/Z%C3%BCrich/Head%20of%20Security_R1"
    )
    assert careers_url(odd, path) == (
        "https://acme-co.wd1.myworkdayjobs.com/Careers%20%26%20Jobs%2Fx"
        "/job/Z%C3%BCrich/Head%20of%20Security_R1"
    )
    sandbox = "http://127.0.0.1:9/workday/{host}"
    assert jobs_url(sandbox, GDIT) == (
        "http://127.0.0.1:9/workday/gdit.wd5.myworkdayjobs.com/wday/cxs/gdit/External_Career_Site/jobs"
    )


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("https://gdit.wd5.myworkdayjobs.com", "no single career site"),
        ("https://gdit.wd5.myworkdayjobs.com/en-US/", "no single career site"),
        ("https://gdit.wd5.myworkdayjobs.com/a/b", "no single career site"),
        ("https://gdit.wd5.myworkdayjobs.com/wday/cxs/gdit/x/jobs", "no single career site"),
        ("https://gdit.myworkdayjobs.com/External", "not a Workday host"),
        ("https://gdit.wd5.myworkdayjobs.com.evil.example/x", "not a Workday host"),
        ("https://evil.example/gdit.wd5.myworkdayjobs.com/x", "not a Workday host"),
        ("https://gdit.wd5.myworkdayjobs.com:8443/x", "not a Workday host"),
        ("https://gdit.wd5.myworkdayjobs.com/x?q=1", "no query or fragment"),
        ("http://gdit.wd5.myworkdayjobs.com/x", "not a Workday career-site URL"),
        ("gdit/External_Career_Site", "not a Workday career-site URL"),
        ("", "not a Workday career-site URL"),
    ],
)
def test_a_malformed_site_url_is_refused_saying_what_was_expected(url, why):
    with pytest.raises(BadSite, match=why) as refused:
        parse_site_url(url)
    assert "expected https://<tenant>.wd<N>.myworkdayjobs.com/<site>" in str(refused.value)


def test_a_base_url_without_its_host_placeholder_is_refused():
    with pytest.raises(BadSite, match="has no {host}"):
        parse_site_url("https://gdit.wd5.myworkdayjobs.com/x", "https://gdit.wd5.myworkdayjobs.com")


def test_the_configured_sites_are_real_career_sites():
    sites = [parse_site_url(url) for url in source_spec("workday").sites]
    assert 5 <= len(sites) <= 10
    assert WorkdaySite("leidos.wd5.myworkdayjobs.com", "leidos", "external") in sites


def test_every_site_of_the_shared_board_list_parses():
    if not BOARD_LIST.exists():
        pytest.skip("../shared/boards is not beside this checkout")
    lines = BOARD_LIST.read_text(encoding="utf-8").splitlines()[1:]
    sites = [parse_site_url(line.rsplit(",", 1)[1]) for line in lines]
    assert len(sites) == 3530
    assert WorkdaySite("23andme.wd5.myworkdayjobs.com", "23andme", "23") in sites


# --- list pages and the paging rule ---------------------------------------------------------


def test_list_page_on_a_recorded_search():
    # GDIT, searchText "data engineer", limit 4 (MIT, sandbox/recorded/).
    page = list_page(GDIT, (RECORDED / "workday_gdit_jobs.json").read_bytes())
    listings = page.listings()
    assert (page.total(), page.count(), len(listings)) == (644, 4, 4)
    assert listings[0] == WorkdayListing(
        "Data Engineer", "/job/USA-DC-Washington/Data-Engineer_RQ216675"
    )
    assert listings[3].title == "Data Engineer - TS/SCI with Polygraph"
    assert {title_family(entry.title) for entry in listings} == {"other"}


def test_later_pages_read_total_zero_so_the_first_pages_total_counts(realdata):
    # Analog Devices' first page (total 1025) and a later one (total 0), read in place.
    api = realdata / "api_json"
    first = list_page(
        ANALOG, (api / "clepine_job-agent__workday_analogdevices_jobs_list.json").read_bytes()
    )
    later = list_page(
        ANALOG,
        (api / "clepine_job-agent__workday_analogdevices_jobs_list_laterpage.json").read_bytes(),
    )
    assert (first.total(), first.count()) == (1025, 20)
    assert (later.total(), later.count()) == (0, 20)
    assert later.listings()[0] == WorkdayListing(
        "Staff Design Verification Engineer (AI/ML)",
        "/job/China-Shanghai-Puxi/Staff-Engineer--Digital-Design-Engineering_R262078",
    )
    assert next_offset(0, first.count(), first.total(), 20) == 20
    # The later page's own total (0) would end the list 1005 postings short.
    assert next_offset(20, later.count(), first.total(), 20) == 40
    assert next_offset(1020, 5, 1025, 20) is None  # the last page
    assert next_offset(40, 0, 1025, 20) is None  # an empty page ends the list
    # No total at all: a full page may have another after it, a short one has not.
    assert next_offset(0, 20, None, 20) == 20
    assert next_offset(20, 7, 0, 20) is None
    families = [title_family(entry.title) for entry in first.listings()]
    assert families.count("security_ic") == 1 and families.count("other") == 19


def test_broken_list_pages_become_failures():
    [broken] = list_page(GDIT, b'{"total": 3, "jobPostings": [').listings()
    assert isinstance(broken, PageFailure) and broken.reason == "malformed_json"
    [changed] = list_page(GDIT, {"total": 3, "jobs": []}).listings()
    assert changed.reason == "layout_changed"
    page = list_page(
        GDIT,
        {
            "total": 3,
            "jobPostings": [{"title": "x"}, {"externalPath": "job/x"}, {"externalPath": "/job/y"}],
        },
    )
    first, second, third = page.listings()
    assert first.reason == second.reason == "malformed_job"
    assert third == WorkdayListing(None, "/job/y")
    assert (page.count(), page.total()) == (3, 3)
    assert list_page(GDIT, b"<html>").count() == 0


# --- detail pages -----------------------------------------------------------------------------


def test_detail_of_a_recorded_posting_with_us_pay_in_its_description():
    path = "/job/USA-DC-Washington/Data-Engineer_RQ216675"
    posting = detail(GDIT, path, (RECORDED / "workday_gdit_job_detail.json").read_bytes())
    assert posting.jobTitle == "Data Engineer"
    assert posting.jobPostingId == "gdit:RQ216675"
    assert posting.url == (
        "https://gdit.wd5.myworkdayjobs.com/External_Career_Site/job/USA-DC-Washington/"
        "Data-Engineer_RQ216675"
    )
    assert posting.datePublished == posting.datePublishedRaw == "2026-07-07"
    assert posting.employmentType == "Full time"
    assert [loc.raw for loc in posting.jobLocation] == [
        "USA DC Washington, United States of America"
    ]
    assert posting.hiringOrganization.name == "GD Information Technology, Inc."
    assert posting.remoteStatus is None
    assert "Build, test and maintain database pipeline architectures." in posting.description
    assert "<p" not in posting.description and posting.descriptionHtml.startswith("<p")
    # No pay field: the pipeline reads the range from the description.
    assert posting.baseSalary is None and posting.payOrigin is None
    row = cleaned(posting)
    assert (row["pay_raw"], row["pay_origin"]) == ("$110,500 - $149,500", "parsed")
    assert (row["pay_min"], row["pay_max"], row["pay_currency"], row["pay_period"]) == (
        110_500,
        149_500,
        "USD",
        "year",
    )


def test_detail_of_a_recorded_onsite_posting():
    path = "/job/USAVAReston/Sr-Site-Reliability-Engineer--US-Federal-_JR-0105486"
    posting = detail(WORKDAY, path, (RECORDED / "workday_workday_job_detail.json").read_bytes())
    assert posting.jobTitle == "Sr. Site Reliability Engineer (US Federal)"
    assert posting.jobPostingId == "workday:JR-0105486"
    assert posting.url == f"https://workday.wd5.myworkdayjobs.com/Workday{path}"
    assert posting.datePublished == "2026-07-25"
    assert posting.remoteStatus == "onsite"  # remoteType "Onsite"
    assert [loc.raw for loc in posting.jobLocation] == ["USA.VA.Reston, United States of America"]
    assert posting.hiringOrganization.name == "Workday Government, LLC"
    assert "Your work days are brighter here." in posting.description
    row = cleaned(posting)
    assert (row["pay_raw"], row["pay_min"], row["pay_max"]) == (
        "$151,500 USD - $227,300 USD",
        151_500,
        227_300,
    )
    assert (row["pay_origin"], row["country"]) == ("parsed", "US")


def test_detail_with_several_locations_and_no_pay(realdata):
    # Kainos (UK), read in place from the shared recordings.
    body = (realdata / "api_json" / "Pavlana_getjo__workday_kainos_job_detail.json").read_bytes()
    posting = detail(KAINOS, "/job/Belfast/Data-Engineer_JR_18460", body)
    assert posting.jobTitle == "Lead Data Engineer"
    assert posting.jobPostingId == "kainos:JR_18460"
    assert (
        posting.url
        == "https://kainos.wd3.myworkdayjobs.com/Kainos/job/Belfast/Data-Engineer_JR_18460"
    )
    assert posting.datePublished == "2026-09-28"
    assert [loc.raw for loc in posting.jobLocation] == [
        "Belfast, United Kingdom",
        "London",
        "Homeworker - UK",
        "Birmingham",
    ]
    assert posting.hiringOrganization.name == "Kainos Software Limited"
    assert "Join Kainos and Shape the Future" in posting.description
    row = cleaned(posting)
    assert row["pay_min"] is None and row["pay_origin"] is None
    assert row["country"] == "GB"


def test_a_detail_without_its_url_or_company_falls_back_to_the_site():
    path = "/job/Remote/Head-of-Security_R9"
    posting = detail(
        GDIT, path, {"jobPostingInfo": {"title": "Head of Security", "remoteType": "Flex"}}
    )
    assert posting.url == f"https://gdit.wd5.myworkdayjobs.com/External_Career_Site{path}"
    assert posting.hiringOrganization.name == "gdit"
    assert posting.jobPostingId is None and posting.jobLocation == []
    assert posting.remoteStatus is None  # "Flex" says too little


def test_broken_details_become_failures():
    path = "/job/x/y_1"
    assert detail(GDIT, path, b"{").reason == "malformed_json"
    assert detail(GDIT, path, {"jobPostingInfo": {}}).reason == "layout_changed"
    assert detail(GDIT, path, []).reason == "layout_changed"


# --- the spider's routing -----------------------------------------------------------------------


def spider_with(**settings) -> WorkdayJobsSpider:
    crawler = get_crawler(WorkdayJobsSpider, {"WORKDAY_BASE_URL": LIVE_BASE_URL, **settings})
    return WorkdayJobsSpider.from_crawler(crawler)


def test_sites_come_as_a_json_list_or_comma_separated_once_each():
    sites = [
        "https://gdit.wd5.myworkdayjobs.com/External_Career_Site",
        "https://gdit.wd5.myworkdayjobs.com/en-US/External_Career_Site/",
        "https://gdit.myworkdayjobs.com/oops",
        "https://workday.wd5.myworkdayjobs.com/Workday",
    ]
    as_json = spider_with(WORKDAY_SITES=json.dumps(sites)).settings
    assert setting_list(as_json, "WORKDAY_SITES") == sites
    good, bad = configured_sites(as_json)
    assert good == [GDIT, WORKDAY]
    assert list(bad) == ["https://gdit.myworkdayjobs.com/oops"]
    as_text = spider_with(WORKDAY_SITES=", ".join(sites)).settings
    assert configured_sites(as_text)[0] == [GDIT, WORKDAY]
    assert setting_list(spider_with(WORKDAY_SEARCHES="").settings, "WORKDAY_SEARCHES") == []
    with pytest.raises(ValueError, match="WORKDAY_SITES is not a JSON list"):
        setting_list(Settings({"WORKDAY_SITES": '["https://gdit'}), "WORKDAY_SITES")


def test_the_politeness_slot_is_given_to_every_tenant_host():
    spider = spider_with(
        WORKDAY_SITES=["https://gdit.wd5.myworkdayjobs.com/External_Career_Site"],
        DOWNLOAD_SLOTS={"{host}": {"delay": 1.0, "concurrency": 2}, "other.example": {"delay": 9}},
    )
    assert spider.settings.getdict("DOWNLOAD_SLOTS") == {
        "{host}": {"delay": 1.0, "concurrency": 2},
        "other.example": {"delay": 9},
        "gdit.wd5.myworkdayjobs.com": {"delay": 1.0, "concurrency": 2},
    }


def test_a_list_page_asks_details_for_managers_and_leaders_only_then_the_next_page():
    spider = spider_with(
        WORKDAY_DETAIL_FAMILIES=["security_manager", "security_leader"], WORKDAY_PAGE_SIZE=3
    )
    page = list_page(
        GDIT,
        {
            "total": 0,  # a later page
            "jobPostings": [
                {"title": "Information Security Manager", "externalPath": "/job/DC/ISM_R1"},
                {"title": "Security Analyst", "externalPath": "/job/DC/SA_R2"},
                {"title": "Chief Information Security Officer", "externalPath": "/job/DC/CISO_R3"},
            ],
        },
    )
    out = list(spider.parse_list(None, page, GDIT, "security", offset=3, first_total=10))
    details = [r for r in out if not isinstance(r, JsonRequest)]
    assert [r.url for r in details] == [
        "https://gdit.wd5.myworkdayjobs.com/wday/cxs/gdit/External_Career_Site/job/DC/ISM_R1",
        "https://gdit.wd5.myworkdayjobs.com/wday/cxs/gdit/External_Career_Site/job/DC/CISO_R3",
    ]
    assert {r.meta["download_slot"] for r in out} == {"gdit.wd5.myworkdayjobs.com"}
    assert spider.crawler.stats.get_value("secjobs/workday/skipped_by_title") == 1
    [following] = [r for r in out if isinstance(r, JsonRequest)]
    assert json.loads(following.body) == jobs_body("security", 6, 3)
    assert following.method == "POST" and following.cb_kwargs["first_total"] == 10


# --- the sandbox and real crawls of it ------------------------------------------------------------


def post(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_the_sandbox_states_the_total_on_the_first_page_only(sandbox_url):
    jobs = (
        f"{sandbox_url}/workday/woodgrovebank.wd1.myworkdayjobs.com"
        "/wday/cxs/woodgrovebank/WoodgroveCareers/jobs"
    )
    status, first = post(jobs, jobs_body("information security", 0, 5))
    assert (status, first["total"], len(first["jobPostings"])) == (200, 7, 5)
    status, later = post(jobs, jobs_body("information security", 5, 5))
    assert (status, later["total"], len(later["jobPostings"])) == (200, 0, 2)
    assert post(jobs, jobs_body("information security", 0, 21))[0] == 400
    assert post(jobs, jobs_body("no such words", 0, 20))[1]["total"] == 0
    assert post(jobs.replace("woodgrovebank/", "contosohealth/"), jobs_body("", 0, 20))[0] == 404


def server_hits(sandbox_url: str) -> dict[str, int]:
    with urllib.request.urlopen(f"{sandbox_url}/_health") as answer:
        return json.load(answer)["hits"]


def test_crawl_sandbox_workday(sandbox_url, tmp_path):
    """The sandbox's five sites with the TOML's three searches: 16 generated postings on three
    employers' sites and 8 recorded ones on two."""
    result = run_crawl("workday", sandbox_url, tmp_path)

    assert result.returncode == 0, result.log_tail
    assert not result.failures
    stats = result.stats
    # Details only for the 10 generated manager and leader titles, each fetched once though
    # 25 search results named them; skipped: the 8 recorded titles in each of the 3
    # searches, and 8 generated results (physical security, analysts, sales).
    assert len(result.items) == len({i["jobPostingId"] for i in result.items}) == 10
    assert stats["dupefilter/filtered"] == 15
    assert stats["secjobs/workday/skipped_by_title"] == 8 * 3 + 8
    # 5 sites' totals; 5 sites x 3 searches; the recorded sites' first pages say 644 and 347
    # postings but show 4, so each asks for a second page, which is empty; 10 details;
    # robots.txt.
    assert stats["downloader/request_count"] == 5 + 15 + 2 * 3 + 10 + 1
    assert "secjobs/workday/bad_site" not in stats
    # Each site's first answer is its board check: the list's total, one posting long.
    checks = {c["board"]: (c["outcome"], c["openPostings"]) for c in result.checks}
    assert checks == {
        "gdit/External_Career_Site": ("jobs", 644),  # the recorded lists' totals
        "workday/Workday": ("jobs", 347),
        "woodgrovebank/WoodgroveCareers": ("jobs", 7),  # the generated employers' postings
        "contosohealth/Contoso_Health_External": ("jobs", 5),
        "northwindsecurity/External": ("jobs", 4),
    }
    assert {title_family(i["jobTitle"]) for i in result.items} == {
        "security_manager",
        "security_leader",
    }
    details = {path: n for path, n in server_hits(sandbox_url).items() if "/job/" in path}
    assert len(details) == 10 and set(details.values()) == {1}
    assert {i["hiringOrganization"]["name"] for i in result.items} == {
        "Woodgrove Bank",
        "Contoso Health",
        "Northwind Security",
    }
    [director] = [i for i in result.items if i["jobPostingId"] == "woodgrovebank:R700040"]
    assert director["jobTitle"] == "Director of Information Security"
    assert director["url"] == (
        "https://woodgrovebank.wd1.myworkdayjobs.com/WoodgroveCareers/job/Seattle-WA/"
        "Director-of-Information-Security_R700040"
    )
    assert director["datePublished"] == "2026-09-26"
    assert director["jobLocation"] == [{"raw": "Seattle, WA, United States of America"}]
    assert director["remoteStatus"] == "onsite"
    assert director["baseSalary"] is None
    row = clean_posting(director)
    assert (row["pay_raw"], row["pay_origin"]) == ("$237,000 USD - $319,000 USD", "parsed")
    assert (row["city"], row["metro_name"]) == ("Seattle", "Seattle-Tacoma-Bellevue, WA")
    # Northwind's Senior Manager states an hourly range in the description's own words.
    [hourly] = [i for i in result.items if i["jobPostingId"] == "northwindsecurity:R700048"]
    assert hourly["remoteStatus"] == "hybrid"
    row = clean_posting(hourly)
    assert (row["pay_min"], row["pay_max"], row["pay_period"]) == (107, 146, "hour")
    # Pay in 6 of the 10 descriptions (4 a field on other sources, 2 written in the text).
    assert sum(1 for i in result.items if clean_posting(i)["pay_min"] is not None) == 6
    assert {i["origin"] for i in result.items} == {"sandbox"}


def test_crawl_sandbox_workday_pages_through_sites_given_as_json(sandbox_url, tmp_path):
    """Two postings a page over the three generated sites, given with -s as a JSON list with a
    repeat, a board list's URL and a malformed one, as a board registry would pass them."""
    base = f"{sandbox_url}/workday"
    sites = [
        f"{base}/woodgrovebank.wd1.myworkdayjobs.com/WoodgroveCareers",
        f"{base}/contosohealth.wd5.myworkdayjobs.com/Contoso_Health_External",
        "https://northwindsecurity.wd12.myworkdayjobs.com/External",  # as a board list has it
        f"{base}/woodgrovebank.wd1.myworkdayjobs.com/en-US/WoodgroveCareers/",
        "https://woodgrovebank.myworkdayjobs.com/WoodgroveCareers",
    ]
    result = run_crawl(
        "workday",
        sandbox_url,
        tmp_path,
        "WORKDAY_PAGE_SIZE=2",
        f"WORKDAY_SITES={json.dumps(sites)}",
    )

    assert result.returncode == 0, result.log_tail
    assert len(result.items) == 10 and not result.failures
    assert result.stats["secjobs/workday/bad_site"] == 1
    assert result.stats["log_count/WARNING"] == 1  # the skipped site, said once
    lists = {
        path.split("/")[2].split(".")[0]: n
        for path, n in server_hits(sandbox_url).items()
        if path.endswith("/jobs")
    }
    # Results per search (security manager, information security, cybersecurity), two a
    # page: Woodgrove 5, 7, 6 -> 3 + 4 + 3 pages; Contoso 3, 5, 1 -> 2 + 3 + 1;
    # Northwind 2, 4, 0 -> 1 + 2 + 1 (its empty answer).
    # And one list request each for the site's total.
    assert lists == {"woodgrovebank": 11, "contosohealth": 7, "northwindsecurity": 5}
    assert result.stats["downloader/request_count"] == 3 + 20 + 10 + 1


def test_crawl_sandbox_workday_reads_the_recorded_details(sandbox_url, tmp_path):
    """Every family's detail on the two recorded sites: the two recorded details are read,
    the six postings recorded in the lists only are gone (404) and quarantined."""
    base = f"{sandbox_url}/workday"
    sites = [
        f"{base}/gdit.wd5.myworkdayjobs.com/External_Career_Site",
        f"{base}/workday.wd5.myworkdayjobs.com/Workday",
    ]
    result = run_crawl(
        "workday",
        sandbox_url,
        tmp_path,
        f"WORKDAY_SITES={json.dumps(sites)}",
        "WORKDAY_SEARCHES=data engineer",
        'WORKDAY_DETAIL_FAMILIES=["other", "security_ic"]',
    )

    assert result.returncode == 0, result.log_tail
    by_id = {i["jobPostingId"]: i for i in result.items}
    assert sorted(by_id) == ["gdit:RQ216675", "workday:JR-0105486"]
    assert by_id["gdit:RQ216675"]["hiringOrganization"]["name"] == "GD Information Technology, Inc."
    assert by_id["workday:JR-0105486"]["url"].startswith("https://workday.wd5.myworkdayjobs.com/")
    assert len(result.failures) == 6 and {f["reason"] for f in result.failures} == {"http_404"}
