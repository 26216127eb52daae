"""Settings for a crawl whose frontier lives in Redis (scrapy-redis), shared by N processes."""

from __future__ import annotations


def redis_settings(url: str, prefix: str) -> dict[str, object]:
    raise NotImplementedError("distributed crawling is being built (issue #7)")
