"""Judge a finished crawl from its exit code and Scrapy stats (ok, partial, blocked, failed...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CrawlVerdict:
    status: str  # ok | partial | blocked | failed | empty | skipped
    reason: str | None
    items: int


def judge_crawl(returncode: int, stats: dict[str, Any] | None) -> CrawlVerdict:
    """A blocked source is reported as blocked, never as a source with zero postings."""
    stats = stats or {}
    # Content items of any kind (postings, salary figures, index values); failures are not content.
    items = sum(
        int(value)
        for key, value in stats.items()
        if key.startswith("secjobs/items/") and key != "secjobs/items/page_failure"
    )
    blocked = int(stats.get("secjobs/blocked", 0))
    if returncode != 0 or not stats:
        return CrawlVerdict("failed", f"scrapy exited with code {returncode}", items)
    if stats.get("secjobs/skipped"):
        # e.g. an API that needs a key nobody configured: not a failure, not zero postings.
        return CrawlVerdict("skipped", str(stats.get("secjobs/skipped_reason", "skipped")), items)
    finish = stats.get("finish_reason", "finished")
    if finish != "finished":
        return CrawlVerdict("failed", f"crawl ended early: {finish}", items)
    if blocked:
        reasons = sorted(
            key.removeprefix("secjobs/blocked/")
            for key in stats
            if key.startswith("secjobs/blocked/")
        )
        where = stats.get("secjobs/blocked_first_url", "")
        reason = f"{blocked} responses blocked ({', '.join(reasons)}), first at {where}"
        return CrawlVerdict("partial" if items else "blocked", reason, items)
    monitors = stats.get("secjobs/monitors_failed")
    if monitors:
        # spidermon's close monitors (spiders/monitors.py) failed: the output is not trusted.
        return CrawlVerdict("failed", f"monitors failed: {monitors}", items)
    errors = int(stats.get("log_count/ERROR", 0))
    if items == 0:
        failures = int(stats.get("secjobs/items/page_failure", 0))
        why = f"{failures} pages unparseable" if failures else "no postings found"
        return CrawlVerdict("empty", f"{why}; {errors} errors logged", items)
    return CrawlVerdict("ok", f"{errors} errors logged" if errors else None, items)
