"""Downloader middlewares."""

from __future__ import annotations

from scrapy.exceptions import IgnoreRequest


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
            stats.set_value("secjobs/blocked_first_url", response.url)
        if request.url.endswith("/robots.txt"):
            return response  # RobotsTxtMiddleware treats a blocked robots.txt itself
        raise IgnoreRequest(f"blocked ({reason}): {response.status} {response.url}")
