"""The sandbox job market: deterministic generation, real URL layouts, faults on demand."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

import pytest

from sandbox.generator import BOARD_TOKENS, Market, generate_posting
from sandbox.server import running_sandbox


def get(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


def test_generation_is_seeded_and_random_access():
    assert generate_posting(7, 123) == generate_posting(7, 123)
    assert generate_posting(7, 123) != generate_posting(8, 123)
    big = Market(size=1_000_000)
    far = big.posting(999_999)  # no need to build the other 999,999
    assert far.index == 999_999 and far.title
    with pytest.raises(IndexError):
        big.posting(1_000_000)


def test_market_is_realistic():
    postings = list(Market(size=2_000))
    managers = [p for p in postings if "Manager" in p.title]
    assert len(managers) / len(postings) > 0.4
    yearly = [p for p in postings if p.pay_min and p.pay_period == "year"]
    assert all(30_000 < p.pay_min <= p.pay_max < 600_000 for p in yearly)
    sf = [p.pay_max for p in yearly if p.city == "San Francisco"]
    columbus = [p.pay_max for p in yearly if p.city == "Columbus"]
    assert sum(sf) / len(sf) > sum(columbus) / len(columbus)
    assert 0.05 < sum(p.on_greenhouse and p.on_careers_site for p in postings) / 2_000 < 0.3


def test_greenhouse_layout_and_faults():
    faults = {"/greenhouse/v1/boards/contosohealth/jobs": "challenge"}
    with running_sandbox(Market(size=48), faults=faults) as url:
        status, body = get(f"{url}/greenhouse/v1/boards/{BOARD_TOKENS[0]}/jobs?content=true")
        jobs = json.loads(body)["jobs"]
        assert status == 200 and jobs and all("content" in j for j in jobs)
        job = jobs[0]
        _, detail = get(
            f"{url}/greenhouse/v1/boards/{BOARD_TOKENS[0]}/jobs/{job['id']}?pay_transparency=true"
        )
        assert json.loads(detail)["title"] == job["title"]
        with pytest.raises(urllib.error.HTTPError) as blocked:
            get(f"{url}/greenhouse/v1/boards/contosohealth/jobs")
        assert blocked.value.code == 403 and b"Just a moment" in blocked.value.read()
        with pytest.raises(urllib.error.HTTPError) as missing:
            get(f"{url}/greenhouse/v1/boards/nosuchboard/jobs")
        assert missing.value.code == 404


def test_faults_by_source_name_glob_and_count():
    faults = {
        "lever": "503x1",
        "/greenhouse/v1/boards/*/jobs": "429:7",
        "/remoteok/*": "robots",
    }
    with running_sandbox(Market(size=12), faults=faults) as url:
        with pytest.raises(urllib.error.HTTPError) as burst:
            get(f"{url}/lever/v0/postings/northwindsecurity?mode=json")
        assert burst.value.code == 503
        status, _ = get(f"{url}/lever/v0/postings/northwindsecurity?mode=json")
        assert status == 200  # one 503 per path, then the page
        with pytest.raises(urllib.error.HTTPError) as limited:
            get(f"{url}/greenhouse/v1/boards/{BOARD_TOKENS[0]}/jobs")
        assert limited.value.code == 429 and limited.value.headers["Retry-After"] == "7"
        _, robots = get(f"{url}/robots.txt")
        assert b"Disallow: /remoteok/*" in robots
        _, served = get(f"{url}/_health")
        times = json.loads(served)["times"]
        assert len(times["/lever/v0/postings/northwindsecurity"]) == 2


def test_unknown_fault_is_refused():
    with (
        pytest.raises(ValueError, match="unknown fault"),
        running_sandbox(Market(size=1), faults={"/x": "explode"}),
    ):
        pass
