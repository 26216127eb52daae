"""The pre-run reachability check: which hosts the sources crawl, and "no network" only when
none of them resolves and accepts a connection (127.0.0.1 and ``.invalid`` names only)."""

from __future__ import annotations

import socket
import time

import pytest

from spiders.reach import (
    Host,
    NoNetwork,
    require_network,
    source_hosts,
    source_urls,
    unreachable_hosts,
)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_hosts_come_from_the_sources_settings(monkeypatch):
    monkeypatch.delenv("SECJOBS_SANDBOX_URL", raising=False)
    urls = source_urls(["greenhouse", "bls_cpi"])
    assert "https://boards-api.greenhouse.io" in urls
    assert Host("download.bls.gov", 443) in source_hosts(urls)
    assert Host("api.bls.gov", 443) in source_hosts(urls)
    assert not any("lever" in url for url in urls)  # only the spiders asked for


def test_a_host_template_is_no_host_but_each_career_site_is(monkeypatch):
    monkeypatch.delenv("SECJOBS_SANDBOX_URL", raising=False)
    urls = source_urls(["workday"])
    assert not [u for u in urls if "{" in u]  # base_url "https://{host}"
    hosts = {host.name for host in source_hosts(urls)}
    assert "capitalone.wd12.myworkdayjobs.com" in hosts and len(hosts) == 9


def test_the_sandbox_and_crawl_settings_override_them(monkeypatch):
    monkeypatch.delenv("SECJOBS_SANDBOX_URL", raising=False)
    sandbox = "http://127.0.0.1:8765"
    assert source_hosts(source_urls(["greenhouse", "bls_oews"], sandbox)) == [
        Host("127.0.0.1", 8765)
    ]
    # As the crawl's -s settings do (a comma-separated list is a list to Scrapy).
    overrides = {
        "GREENHOUSE_BASE_URL": "http://nosuchhost.invalid",
        "CAREERS_SITEMAPS": "http://a.invalid:8080/s.xml,http://b.invalid/s.xml",
    }
    hosts = source_hosts(source_urls(["greenhouse", "careers", "lever"], sandbox, overrides))
    assert hosts == [
        Host("127.0.0.1", 8765),
        Host("a.invalid", 8080),
        Host("b.invalid", 80),
        Host("nosuchhost.invalid", 80),
    ]
    monkeypatch.setenv("SECJOBS_SANDBOX_URL", sandbox)  # what `scrapy crawl` would read
    assert source_hosts(source_urls(["lever"])) == [Host("127.0.0.1", 8765)]


def test_a_proxy_is_the_host_to_reach(monkeypatch):
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:3128")
    monkeypatch.setenv("no_proxy", "")
    assert source_hosts(["https://boards-api.greenhouse.io"]) == [Host("127.0.0.1", 3128)]


def test_no_host_reachable_is_no_network_with_how_many():
    port = closed_port()
    spiders = ["greenhouse", "lever", "comparably"]
    overrides = {"GREENHOUSE_BASE_URL": "http://nosuchhost.invalid"}
    started = time.monotonic()
    with pytest.raises(NoNetwork) as raised:
        require_network(spiders, f"http://127.0.0.1:{port}", overrides, timeout=2)
    assert time.monotonic() - started < 5
    assert str(raised.value) == "no network: none of the 2 source hosts could be reached"
    assert raised.value.problems == {
        f"127.0.0.1:{port}": f"connection refused by 127.0.0.1:{port}",
        "nosuchhost.invalid:80": "could not resolve nosuchhost.invalid (DNS)",
    }


def test_a_single_unreachable_host_is_named():
    port = closed_port()
    with pytest.raises(NoNetwork) as raised:
        require_network(["lever", "comparably"], f"http://127.0.0.1:{port}", timeout=2)
    assert str(raised.value) == (
        f"no network: the one source host (127.0.0.1:{port}) could not be reached"
    )


def test_one_host_reachable_is_enough():
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(4)  # the kernel accepts the connection: nothing else is needed
        port = listener.getsockname()[1]
        overrides = {"GREENHOUSE_BASE_URL": "http://nosuchhost.invalid"}
        down = require_network(["greenhouse", "lever"], f"http://127.0.0.1:{port}", overrides)
    assert down == {Host("nosuchhost.invalid", 80): "could not resolve nosuchhost.invalid (DNS)"}


def test_a_host_that_never_answers_counts_as_unreachable_after_the_timeout():
    # A listener whose backlog is full leaves the next connection hanging (no SYN-ACK).
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(0)
        host = Host("127.0.0.1", listener.getsockname()[1])
        fillers = []
        for _ in range(4):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", host.port))
            fillers.append(filler)
        started = time.monotonic()
        down = unreachable_hosts([host], timeout=1)
        elapsed = time.monotonic() - started
        for filler in fillers:
            filler.close()
    assert elapsed < 3
    assert down == {host: f"no answer from {host} within 1 s"}


def test_no_sources_no_check():
    assert require_network([]) == {}
