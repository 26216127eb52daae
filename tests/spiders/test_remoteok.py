"""Remote OK API: the recorded real feed through the page object (legal notice skipped,
security filter, mojibake repaired), and a real crawl of the sandbox."""

from __future__ import annotations

import json

import pytest
from web_poet import HttpResponse

from spiders.items import PageFailure
from spiders.pages.remoteok import RemoteOkFeedPage, fix_mojibake, is_security_role
from spiders.sources import load_sources
from tests.spiders.crawl import run_crawl

RECORDING = "api_json/JACKAS5_resume-helper__remoteok.json"
CONFIG = load_sources()["remoteok"]


def feed(body: bytes) -> RemoteOkFeedPage:
    return RemoteOkFeedPage(
        response=HttpResponse(
            "https://remoteok.com/api", body=body, headers={"Content-Type": "application/json"}
        )
    )


def test_recorded_feed_filtered_to_security_roles(realdata):
    page = feed((realdata / RECORDING).read_bytes())

    assert page.job_count() == 97  # 98 elements, the first being the legal notice
    assert "mention Remote OK as a source" in page.legal_notice()
    postings = page.postings(CONFIG["title_keywords"], CONFIG["tags"])
    assert [(p.jobPostingId, p.jobTitle) for p in postings] == [
        ("1130787", "Senior Sales Engineer Data & AI Security"),
        ("1130757", "Cloud Security Architect"),
        ("1130722", "Staff Threat Intelligence Researcher"),
        ("1130696", "Security Intern"),
        ("1130686", "Security Engineer"),
    ]
    architect = postings[1]
    assert architect.hiringOrganization.name == "Altium"
    assert architect.jobLocation[0].raw == "La Jolla"
    assert (
        architect.url
        == "https://remoteOK.com/remote-jobs/remote-cloud-security-architect-altium-1130757"
    )
    assert architect.datePublished == "2026-03-13T08:00:11+00:00"
    assert architect.remoteStatus == "remote"
    assert architect.baseSalary is None and architect.payOrigin is None  # 0/0: not stated
    assert postings[4].jobLocation == []  # empty location


def test_recorded_feed_pay_and_repaired_text(realdata):
    page = feed((realdata / RECORDING).read_bytes())
    everything = {p.jobPostingId: p for p in page.postings([""], [])}
    assert len(everything) == 97  # an empty keyword keeps every job
    graphcore = everything["1130779"]
    assert graphcore.jobLocation[0].raw == "Gdańsk"
    salary = graphcore.baseSalary
    assert (salary.valueMin, salary.valueMax, salary.currency, salary.rateType) == (
        350_700,
        474_400,
        "USD",
        "YEAR",
    )
    assert graphcore.payOrigin == "posted"
    assert everything["1130733"].hiringOrganization.name == "Zócalo Health"
    assert everything["1130733"].hiringOrganization.nameRaw == "ZÃ³calo Health"
    assert sum(1 for p in everything.values() if p.baseSalary) == 18


def test_filter_rules():
    keywords, tags = CONFIG["title_keywords"], CONFIG["tags"]
    assert is_security_role({"position": "Information Security Manager"}, keywords, tags)
    assert is_security_role({"position": "CISO", "tags": []}, keywords, tags)
    assert is_security_role({"position": "Analyst", "tags": ["Cybersecurity"]}, keywords, tags)
    # The bare "security" tag is on many non-security jobs: not enough on its own.
    assert not is_security_role(
        {"position": "Staff DevOps Engineer", "tags": ["security", "devops"]}, keywords, tags
    )
    # Keywords match at a word start: "grc" is not found inside "Ingrcia".
    assert not is_security_role({"position": "Ingrcia Designer"}, keywords, tags)


@pytest.mark.parametrize(
    ("text", "fixed"),
    [("ZÃ³calo", "Zócalo"), ("Zürich", "Zürich"), ("São Paulo", "São Paulo"), (None, None)],
)
def test_fix_mojibake_only_touches_mojibake(text, fixed):
    assert fix_mojibake(text) == fixed


def test_unusable_feed_is_a_failure():
    [failure] = feed(b'[{"legal": "x"}, {"id": "1", "pos').postings(["security"], [])
    assert isinstance(failure, PageFailure) and failure.reason == "malformed_json"
    [failure] = feed(json.dumps({"jobs": []}).encode()).postings(["security"], [])
    assert failure.reason == "layout_changed"


def test_crawl_sandbox_remoteok(sandbox_url, tmp_path):
    result = run_crawl("remoteok", sandbox_url, tmp_path)

    assert result.returncode == 0, result.log_tail
    generated = [i for i in result.items if int(i["jobPostingId"]) >= 2_000_000]
    titles = {i["jobTitle"] for i in generated}
    assert generated and "Account Executive" not in titles
    assert all(i["remoteStatus"] == "remote" for i in result.items)
    paid = [i for i in generated if i["baseSalary"]]
    assert paid and all(i["baseSalary"]["valueMin"] >= 10_000 for i in paid)
    assert result.stats["secjobs/remoteok/feed_jobs"] >= len(result.items)
    assert result.stats["secjobs/items/job_posting"] == len(result.items)
    assert result.stats["downloader/request_count"] == 2  # robots.txt and the feed


def test_crawl_sandbox_serves_the_recording(realdata, sandbox_url, tmp_path):
    result = run_crawl("remoteok", sandbox_url, tmp_path)
    recorded = {i["jobPostingId"] for i in result.items if int(i["jobPostingId"]) < 2_000_000}
    assert recorded == {"1130787", "1130757", "1130722", "1130696", "1130686"}
    # The recorded feed holds jobs of other kinds too: they are left out.
    assert result.stats["secjobs/remoteok/feed_jobs"] > len(result.items)
