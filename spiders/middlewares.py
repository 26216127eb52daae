"""Downloader middlewares."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from scrapy.exceptions import IgnoreRequest

# Query parameters that carry credentials (Adzuna app_key, BLS registrationkey, ...).
SECRET_PARAMS = {
    "app_id",
    "app_key",
    "api_key",
    "apikey",
    "key",
    "token",
    "access_token",
    "registrationkey",
    "client_secret",
}


def without_secrets(url: str) -> str:
    """The URL with credential query parameters removed, safe for stats and reports."""
    parts = urlsplit(url)
    query = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k.lower() not in SECRET_PARAMS
    ]
    return urlunsplit(parts._replace(query=urlencode(query)))


class BlockDetectionMiddleware:
    """Counts blocked and challenged responses in stats and stops them reaching parsers.

    A blocked source then shows as ``blocked`` in the run, never as "zero postings".
    Stats: ``secjobs/blocked`` and ``secjobs/blocked/<reason>``, plus the first URL.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        from spiders.blocking import block_reason

        headers = {
            k.decode("latin-1").lower(): v[0].decode("latin-1") if v else ""
            for k, v in response.headers.items()
        }
        reason = block_reason(response.status, headers, response.body)
        if reason is None:
            return response
        stats = self.crawler.stats
        stats.inc_value("secjobs/blocked")
        stats.inc_value(f"secjobs/blocked/{reason}")
        if stats.get_value("secjobs/blocked_first_url") is None:
            stats.set_value("secjobs/blocked_first_url", without_secrets(response.url))
        if request.url.endswith("/robots.txt"):
            return response  # RobotsTxtMiddleware treats a blocked robots.txt itself
        raise IgnoreRequest(f"blocked ({reason}): {response.status} {response.url}")
