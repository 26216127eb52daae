"""A source whose every request failed on the way is judged by why (DNS, refused, TLS, a
timeout) and where, not by the monitors that then failed: judge_crawl on such stats, and real
crawls against a closed port, a name that does not resolve, a server that speaks no TLS and
one that never answers (all on 127.0.0.1, or a ``.invalid`` name)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from pipeline.crawls import judge_crawl
from tests.spiders.crawl import run_crawl

# What spidermon says of such a crawl: kept in the stats, never the reason.
MONITORS = {
    "finish_reason": "finished",
    "log_count/ERROR": 1,
    "secjobs/items/page_failure": 2,
    "secjobs/lost_pages": 2,
    "secjobs/monitors_failed": "Error Count Monitor/test_stat_monitor: Expecting "
    "'log_count/ERROR' to be '<=' to '0.0' | Item count/the crawl produced content: 0 items",
    "secjobs/monitors_failed_names": ["Error Count Monitor", "Item count"],
}
# One board, one try, no backoff: each crawl takes seconds.
QUICK = ("GREENHOUSE_BOARDS=gitlab", "RETRY_TIMES=1", "RETRY_BACKOFF_BASE=0", "DOWNLOAD_TIMEOUT=2")


@pytest.mark.parametrize(
    ("kind", "hosts", "reason"),
    [
        ("dns", "boards-api.greenhouse.io", "could not resolve boards-api.greenhouse.io (DNS)"),
        ("connection_refused", "127.0.0.1:9", "connection refused by 127.0.0.1:9"),
        ("tls", "api.lever.co", "TLS handshake failed with api.lever.co"),
        ("timeout", "www.comparably.com", "timed out after 30 s waiting for www.comparably.com"),
    ],
)
def test_every_request_failed_on_the_way_says_why_and_where(kind, hosts, reason):
    stats = {
        **MONITORS,
        "secjobs/network": 8,
        f"secjobs/network/{kind}": 8,
        f"secjobs/network_hosts/{kind}": hosts,
        "secjobs/network_timeout": 30.0,
    }
    verdict = judge_crawl(0, stats)
    assert (verdict.status, verdict.reason, verdict.items) == ("failed", reason, 0)


def test_two_causes_read_most_frequent_first():
    stats = {
        **MONITORS,
        "secjobs/network/dns": 1,
        "secjobs/network_hosts/dns": "api.bls.gov",
        "secjobs/network/timeout": 4,
        "secjobs/network_hosts/timeout": "download.bls.gov",
        "secjobs/network_timeout": 30,
    }
    assert judge_crawl(0, stats).reason == (
        "timed out after 30 s waiting for download.bls.gov; could not resolve api.bls.gov (DNS)"
    )


def test_a_crawl_that_got_answers_is_judged_as_before():
    # Some requests failed on the way, others were answered: lost pages, not "the network".
    stats = {
        "finish_reason": "finished",
        "downloader/response_count": 3,
        "secjobs/items/job_posting": 40,
        "secjobs/lost_pages": 1,
        "secjobs/lost_pages/timeout": 1,
        "secjobs/network/timeout": 4,
        "secjobs/network_hosts/timeout": "boards-api.greenhouse.io",
    }
    assert judge_crawl(0, stats).reason == "1 pages lost (timeout 1)"


# --- real crawls ---------------------------------------------------------------------------


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def listening(reply: bytes | None = None) -> Iterator[int]:
    """A TCP server on 127.0.0.1 that accepts connections and sends ``reply`` (None: says
    nothing, ever); yields its port."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return  # closed: the test is over
            accepted.append(conn)
            if reply is not None:
                conn.sendall(reply)
                conn.close()

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
        for conn in accepted:
            conn.close()


def crawl_verdict(base_url: str, staging):
    # The base URL stands in for the sandbox: every source is sent there (tests/spiders/crawl.py).
    result = run_crawl("greenhouse", base_url, staging, *QUICK)
    assert result.returncode == 0, result.log_tail
    return result, judge_crawl(result.returncode, result.stats)


@pytest.mark.crawl
def test_crawl_of_a_closed_port_is_refused_by_that_host(tmp_path):
    port = closed_port()
    result, verdict = crawl_verdict(f"http://127.0.0.1:{port}", tmp_path)
    assert (verdict.status, verdict.reason) == ("failed", f"connection refused by 127.0.0.1:{port}")
    # The monitors failed too, and say so in the stats; the lost page is quarantined as before.
    assert "Item count" in result.stats["secjobs/monitors_failed"]
    assert [f["reason"] for f in result.failures] == ["connection_refused"]


@pytest.mark.crawl
def test_crawl_of_a_name_that_does_not_resolve_says_dns(tmp_path):
    result, verdict = crawl_verdict("http://nosuchhost.invalid", tmp_path)
    assert (verdict.status, verdict.reason) == (
        "failed",
        "could not resolve nosuchhost.invalid (DNS)",
    )
    assert [f["reason"] for f in result.failures] == ["dns"]  # it read "download_error"
    # robots.txt and the board, each tried twice (RETRY_TIMES=1).
    assert result.stats["secjobs/network/dns"] == 4


@pytest.mark.crawl
def test_crawl_of_a_server_speaking_no_tls_says_tls(tmp_path):
    with listening(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n") as port:
        _, verdict = crawl_verdict(f"https://127.0.0.1:{port}", tmp_path)
    assert (verdict.status, verdict.reason) == (
        "failed",
        f"TLS handshake failed with 127.0.0.1:{port}",
    )


@pytest.mark.crawl
def test_crawl_of_a_server_that_never_answers_says_timed_out(tmp_path):
    with listening() as port:
        _, verdict = crawl_verdict(f"http://127.0.0.1:{port}", tmp_path)
    assert (verdict.status, verdict.reason) == (
        "failed",
        f"timed out after 2 s waiting for 127.0.0.1:{port}",
    )
