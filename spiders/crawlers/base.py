"""What every secjobs spider shares: a run id that names its staged feed, credentials, skipping;
and the spider every salary site's crawler is (``SalaryPagesSpider``)."""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError

from pipeline.titles import REPORTED_FAMILIES, classify_title
from spiders.items import BoardCheck, JobPosting, PageFailure
from spiders.middlewares import Blocked, failure_kind
from spiders.rendering import rendering_settings
from spiders.sources import source_spec
from spiders.urls import without_secrets


class SecjobsSpider(scrapy.Spider):
    def __init__(self, *args, run_id: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        # The staged feed and stats file are named after the run (FEEDS uses %(run_id)s).
        self.run_id = run_id or datetime.now(UTC).strftime("adhoc-%Y%m%dT%H%M%SZ")

    def credentials(self, prefix: str, *names: str) -> dict[str, str] | None:
        """``<PREFIX>_<NAME>`` settings (the sandbox sets dummies), else the environment
        variables named by ``<PREFIX>_<NAME>_ENV``. Any missing: the crawl is skipped, saying which.
        """
        found, missing = {}, []
        for name in names:
            variable = self.settings.get(f"{prefix}_{name}_ENV")
            value = self.settings.get(f"{prefix}_{name}") or (
                os.environ.get(variable) if variable else None
            )
            if value:
                found[name] = value
            else:
                missing.append(variable or f"{prefix}_{name}")
        if missing:
            self.skip(f"{' and '.join(missing)} not set")
            return None
        return found

    def skip(self, reason: str) -> None:
        """Yield nothing and say why: the run reports the source as skipped, not empty."""
        self.crawler.stats.set_value("secjobs/skipped", 1)
        self.crawler.stats.set_value("secjobs/skipped_reason", reason)

    def page_lost(self, failure):
        """Errback (set by LostPageMiddleware): a page lost on the way is a PageFailure item."""
        from spiders.middlewares import lost_page

        failure_item = lost_page(failure, self.crawler.stats)
        if failure_item is not None:
            yield failure_item


def setting_list(settings, name: str) -> list:
    """A list setting from the TOML, or from ``-s`` as a JSON list or comma-separated text."""
    value = settings.get(name)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("["):
            try:
                return list(json.loads(text))
            except ValueError as error:
                raise ValueError(f"{name} is not a JSON list: {error}") from None
        return [part.strip() for part in text.split(",") if part.strip()]
    return list(value or [])


def board_values(settings, spider: str) -> list:
    """A board spider's boards: its TOML pins (``registry.key``), then the registry's for
    this run (``SECJOBS_BOARDS_FILE``), each once."""
    key = source_spec(spider).registry.key
    pinned = setting_list(settings, f"{spider.upper()}_{key.upper()}")
    path = settings.get("SECJOBS_BOARDS_FILE")
    registry = json.loads(Path(path).read_text(encoding="utf-8")) if path else []
    return list(dict.fromkeys([*pinned, *registry]))  # pins first, each board once


class BoardSpider(SecjobsSpider):
    """A spider of employers' boards on one ATS (its TOML's ``[registry]``): the boards the
    TOML pins (its ``registry.key``) and those the board registry gives this run (a JSON
    list in the file ``SECJOBS_BOARDS_FILE``, written by the run). For each board it yields,
    beside the postings, one ``BoardCheck`` saying what the board answered
    (pipeline.boards)."""

    @property
    def ats(self) -> str:
        return source_spec(self.name).registry.ats

    def boards(self) -> list[str]:
        return board_values(self.settings, self.name)

    def board_request(
        self, url: str, board: str, callback, request_class=scrapy.Request, **kwargs
    ) -> scrapy.Request:
        """A request of a board's listing: a 404 or a rate limit there is news about the
        board (``board_failed``), not a lost page."""
        meta = {**kwargs.pop("meta", {}), "secjobs_board": board}
        return request_class(url, callback=callback, errback=self.board_failed, meta=meta, **kwargs)

    def board_checked(
        self, url: str, board: str, titles: Iterable[str | None] | None, total: int | None = None
    ) -> BoardCheck:
        """The check of a board that answered: with ``titles`` (all it lists), or with only
        its ``total`` (an API that lists a page or a search), whose security postings are
        then not known."""
        titles = None if titles is None else list(titles)
        found = len(titles) if total is None else total
        security = (
            None
            if titles is None
            else sum(classify_title(t).family in REPORTED_FAMILIES for t in titles if t)
        )
        self.crawler.stats.inc_value(f"secjobs/boards/{'jobs' if found else 'none'}")
        return BoardCheck(
            url=without_secrets(url),
            ats=self.ats,
            board=board,
            outcome="jobs" if found else "none",
            openPostings=found,
            securityPostings=security,
            detail=f"{found} jobs",
        )

    def listing_checked(
        self, url: str, board: str, postings: list[JobPosting | PageFailure]
    ) -> BoardCheck | None:
        """The check of a board whose whole listing is ``postings``; None when part of it
        could not be read (a page that says nothing sure of the board)."""
        jobs = [p for p in postings if isinstance(p, JobPosting)]
        if len(jobs) < len(postings):
            return None
        return self.board_checked(url, board, (p.jobTitle for p in jobs))

    def board_unknown(self, url: str, board: str, detail: str) -> BoardCheck:
        """The ATS's own "no such board" answer (an HTML page, an error document)."""
        self.crawler.stats.inc_value("secjobs/boards/unknown")
        return BoardCheck(
            url=without_secrets(url), ats=self.ats, board=board, outcome="unknown", detail=detail
        )

    def board_failed(self, failure):
        """Errback of board requests: 404 = unknown board, 429 = asked to wait (the board
        is deferred, the crawl goes on), anything else a lost page as for any request."""
        request, error = failure.request, failure.value
        board, url = request.meta["secjobs_board"], without_secrets(request.url)
        if isinstance(error, HttpError) and error.response.status in (404, 410):
            check = self.board_unknown(request.url, board, str(error.response.status))
        elif isinstance(error, Blocked) and error.reason == "rate_limited":
            wait = error.retry_after
            detail = f"Retry-After {wait:.0f} s" if wait is not None else "429"
            self.crawler.stats.inc_value("secjobs/boards/limited")
            check = BoardCheck(url=url, ats=self.ats, board=board, outcome="limited", detail=detail)
        else:
            self.crawler.stats.inc_value("secjobs/boards/error")
            yield BoardCheck(
                url=url, ats=self.ats, board=board, outcome="error", detail=str(error)[:200]
            )
            yield from self.page_lost(failure)  # counts the fault and the lost page
            return
        self.crawler.stats.inc_value(f"secjobs/faults/{failure_kind(failure)[0]}")
        yield check


class SalaryPagesSpider(SecjobsSpider):
    """A spider that fetches each configured ``(role, path)`` salary page of one source.

    Settings (from ``spiders/sources/<name>.toml``): ``<NAME>_BASE_URL``, ``<NAME>_PAGES``
    (a list of ``{role, path}`` tables) and ``<NAME>_RENDER`` (default false): when true the
    requests go through a headless Chromium, for when a site starts rendering its figures
    client-side only. The default path needs no browser.
    """

    callback_name = "parse_salary_page"

    @classmethod
    def update_settings(cls, settings):
        super().update_settings(settings)
        if settings.getbool(f"{cls.name.upper()}_RENDER"):
            settings.setdict(rendering_settings(), priority="spider")

    def rendering(self) -> bool:
        return self.settings.getbool(f"{self.name.upper()}_RENDER")

    def page_requests(self) -> Iterator[scrapy.Request]:
        prefix = self.name.upper()
        base_url = self.settings.get(f"{prefix}_BASE_URL", "").rstrip("/")
        meta = {"playwright": True} if self.rendering() else {}
        for page in self.settings.getlist(f"{prefix}_PAGES"):
            yield scrapy.Request(
                f"{base_url}{page['path']}",
                callback=getattr(self, self.callback_name),
                cb_kwargs={"role": page["role"]},
                meta=dict(meta),
            )

    async def start(self):
        for request in self.page_requests():
            yield request
