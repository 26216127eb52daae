"""Block and challenge detection, on the recorded ZipRecruiter Cloudflare page."""

from __future__ import annotations

from spiders.blocking import block_reason


def test_recorded_cloudflare_challenge_is_recognised(realdata):
    body = (
        realdata / "html_listing" / "Jyaba-Solution__ziprecruiter_cloudflare_challenge.html"
    ).read_bytes()
    assert block_reason(200, {}, body) == "challenge"
    assert block_reason(403, {"server": "cloudflare"}, body) == "challenge"


def test_status_codes_and_headers():
    assert block_reason(429, {}, b"slow down") == "rate_limited"
    assert block_reason(403, {}, b"Forbidden") == "forbidden"
    assert block_reason(200, {"cf-mitigated": "challenge"}, b"") == "challenge"


def test_real_job_pages_are_not_blocks(realdata):
    for page in (realdata / "html_jobposting").glob("*.html"):
        assert block_reason(200, {}, page.read_bytes()) is None, page.name


def test_blocked_urls_are_recorded_without_credentials():
    from spiders.middlewares import without_secrets

    url = "https://api.adzuna.com/v1/api/jobs/us/search/1?app_id=abc&app_key=s3cret&what=ciso"
    assert without_secrets(url) == "https://api.adzuna.com/v1/api/jobs/us/search/1?what=ciso"


def test_lost_pages_are_named_by_what_lost_them():
    from scrapy import Request
    from scrapy.exceptions import (
        DownloadCancelledError,
        DownloadTimeoutError,
        IgnoreRequest,
        ResponseDataLossError,
    )
    from scrapy.http import Response
    from scrapy.spidermiddlewares.httperror import HttpError
    from twisted.python.failure import Failure

    from spiders.middlewares import Blocked, failure_kind

    def kind(exc, url="https://x/a", **meta):
        failure = Failure(exc)
        failure.request = Request(url, meta=meta)
        return failure_kind(failure)

    assert kind(DownloadTimeoutError()) == ("timeout", True)
    assert kind(ResponseDataLossError()) == ("truncated", True)
    assert kind(DownloadCancelledError()) == ("too_large", True)
    assert kind(HttpError(Response("https://x/a", status=503))) == ("http_503", True)
    assert kind(Blocked("rate_limited", "blocked")) == ("blocked_rate_limited", False)
    assert kind(IgnoreRequest("Forbidden by robots.txt")) == ("robots_disallowed", False)
    loop = kind(
        IgnoreRequest("max redirections reached"), redirect_urls=["https://x/a", "https://x/b"]
    )
    assert loop == ("redirect_loop", True)
    chain = kind(
        IgnoreRequest("max redirections reached"),
        "https://x/c",
        redirect_urls=["https://x/a", "https://x/b"],
    )
    assert chain == ("too_many_redirects", True)
