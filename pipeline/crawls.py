"""Judge a finished crawl from its exit code and Scrapy stats (ok, partial, blocked, failed...)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class CrawlVerdict:
    status: str  # ok | partial | blocked | failed | empty | skipped
    reason: str | None
    items: int


def _failed_monitors(stats: dict[str, Any]) -> set[str]:
    names = stats.get("secjobs/monitors_failed_names")
    if isinstance(names, list):
        return {str(n) for n in names}
    message = str(stats.get("secjobs/monitors_failed") or "")
    return {part.split(":")[0].split("/")[0].strip() for part in message.split(" | ") if part}


def _breakdown(stats: dict[str, Any], prefix: str) -> str:
    return ", ".join(
        f"{key.removeprefix(prefix)} {int(value)}"
        for key, value in sorted(stats.items())
        if key.startswith(prefix)
    )


# How each failure to reach a host reads (spiders.middlewares.NetworkFailureMiddleware's kinds).
_NETWORK_WORDS = {
    "dns": "could not resolve {hosts} (DNS)",
    "connection_refused": "connection refused by {hosts}",
    "tls": "TLS handshake failed with {hosts}",
    "timeout": "timed out after {seconds} s waiting for {hosts}",
}


def network_reason(stats: dict[str, Any]) -> str | None:
    """What kept a crawl from its hosts, in words, most frequent first: ``could not resolve
    boards-api.greenhouse.io (DNS)``; None when no download failed on the way."""
    counts = {
        kind: int(stats.get(f"secjobs/network/{kind}", 0))
        for kind in _NETWORK_WORDS
        if stats.get(f"secjobs/network/{kind}")
    }
    seconds = stats.get("secjobs/network_timeout")
    parts = [
        _NETWORK_WORDS[kind].format(
            hosts=stats.get(f"secjobs/network_hosts/{kind}") or "the source",
            seconds=f"{float(seconds):g}" if seconds else "?",
        )
        for kind in sorted(counts, key=lambda k: -counts[k])
    ]
    return "; ".join(parts) or None


# Staged items that are not content: what failed, what a board answered, links to boards,
# board listings' digests.
NOT_CONTENT = ("page_failure", "board_check", "board_link", "board_listing")


def content_items(stats: dict[str, Any]) -> int:
    """Items that are content (postings, salary figures, index values, rates)."""
    return sum(
        int(value)
        for key, value in stats.items()
        if key.startswith("secjobs/items/")
        and key.removeprefix("secjobs/items/") not in NOT_CONTENT
    )


def unchanged_boards(stats: dict[str, Any]) -> int:
    """Boards whose listing was the one stored, so not read again: content as good as read
    (spiders/crawlers/base.py, pipeline.boards.record_listings)."""
    return int(stats.get("secjobs/boards/unchanged", 0))


def judge_crawl(returncode: int, stats: dict[str, Any] | None) -> CrawlVerdict:
    """A blocked source is reported as blocked, never as a source with zero postings.

    A crawl that got no response at all because its hosts could not be reached (DNS, refused,
    TLS, timeouts: ``secjobs/network/<kind>``) is ``failed`` with that cause and the hosts.
    Pages lost on the way (timeouts, resets, truncated bodies, 5xx after retries, redirect
    loops, pages over the size cap: ``secjobs/lost_pages``) make a crawl ``partial``, or
    ``failed`` when nothing else came through. A valid source with no results is ``empty``;
    boards whose listings are unchanged since their last crawl count as results.
    """
    stats = stats or {}
    items = content_items(stats)
    unchanged = unchanged_boards(stats)
    # A board whose ATS asked us to wait is deferred to the next run (pipeline.boards), not
    # a blocked crawl: its 429 counts under secjobs/boards/limited, not here.
    deferred = int(stats.get("secjobs/boards/limited", 0))
    blocked = int(stats.get("secjobs/blocked", 0)) - deferred
    lost = int(stats.get("secjobs/lost_pages", 0))
    if returncode != 0 or not stats:
        return CrawlVerdict("failed", f"scrapy exited with code {returncode}", items)
    if stats.get("secjobs/skipped"):
        # e.g. an API that needs a key nobody configured: not a failure, not zero postings.
        return CrawlVerdict("skipped", str(stats.get("secjobs/skipped_reason", "skipped")), items)
    finish = stats.get("finish_reason", "finished")
    if finish != "finished":
        return CrawlVerdict("failed", f"crawl ended early: {finish}", items)
    network = network_reason(stats)
    if network and not items and not stats.get("downloader/response_count"):
        # Every request failed on the way: that is the cause, whatever the monitors then said
        # (no items, the error robots.txt logged); their messages stay in the stats.
        return CrawlVerdict("failed", network, items)
    lost_reason = f"{lost} pages lost ({_breakdown(stats, 'secjobs/lost_pages/')})" if lost else ""
    if blocked:
        reasons = sorted(
            key.removeprefix("secjobs/blocked/")
            for key in stats
            if key.startswith("secjobs/blocked/")
        )
        where = stats.get("secjobs/blocked_first_url", "")
        reason = f"{blocked} responses blocked ({', '.join(reasons)}), first at {where}"
        if lost_reason:
            reason = f"{reason}; {lost_reason}"
        return CrawlVerdict("partial" if items or unchanged else "blocked", reason, items)
    monitors = stats.get("secjobs/monitors_failed")
    # With no items the item-count monitor only repeats what the verdicts below say.
    if monitors and not (items == 0 and _failed_monitors(stats) <= {"Item count"}):
        # spidermon's close monitors (spiders/monitors.py) failed: the output is not trusted.
        return CrawlVerdict("failed", f"monitors failed: {monitors}", items)
    if lost:
        return CrawlVerdict("partial" if items or unchanged else "failed", lost_reason, items)
    errors = int(stats.get("log_count/ERROR", 0))
    if items == 0 and not unchanged:
        failures = int(stats.get("secjobs/items/page_failure", 0))
        robots = int(stats.get("secjobs/faults/robots_disallowed", 0))
        unparseable = failures - robots - int(stats.get("secjobs/lost_pages", 0))
        whys = []
        if unparseable > 0:
            whys.append(f"{unparseable} pages unparseable")
        if robots:
            whys.append(f"{robots} pages disallowed by robots.txt")
        why = "; ".join(whys) or "no postings found"
        return CrawlVerdict("empty", f"{why}; {errors} errors logged", items)
    notes = [f"{errors} errors logged"] if errors else []
    if deferred:
        notes.append(f"{deferred} boards deferred (rate limited)")
    if unchanged:
        notes.append(f"{unchanged} boards unchanged since their last crawl")
    return CrawlVerdict("ok", "; ".join(notes) or None, items)
