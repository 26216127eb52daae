"""What every secjobs spider shares: a run id that names its staged feed, credentials, skipping;
and the spider every salary site's crawler is (``SalaryPagesSpider``)."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache, cached_property
from pathlib import Path

import scrapy
from scrapy.spidermiddlewares.httperror import HttpError

from pipeline.titles import REPORTED_FAMILIES, classify_title
from spiders.items import BoardCheck, BoardListing, JobPosting, PageFailure
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


@dataclass(frozen=True)
class BoardFile:
    """What a run tells a board spider (``SECJOBS_BOARDS_FILE``, pipeline.boards.write_board_file):
    the registry's boards to crawl, and the listings of boards the store holds whole,
    ``{board: {"digest": ..., "since": run id}}``. A bare JSON list is boards alone."""

    boards: list = field(default_factory=list)
    listings: dict[str, dict[str, str]] = field(default_factory=dict)


def board_file(settings) -> BoardFile:
    path = settings.get("SECJOBS_BOARDS_FILE")
    if not path:
        return BoardFile()
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, list):
        return BoardFile(data)
    return BoardFile(list(data.get("boards") or []), dict(data.get("listings") or {}))


def board_values(settings, spider: str) -> list:
    """A board spider's boards: its TOML pins (``registry.key``), then the registry's for
    this run (``SECJOBS_BOARDS_FILE``), each once."""
    key = source_spec(spider).registry.key
    pinned = setting_list(settings, f"{spider.upper()}_{key.upper()}")
    return list(dict.fromkeys([*pinned, *board_file(settings).boards]))  # pins first, once each


# ``-s SECJOBS_BOARD_REPARSE=1``: read every board's listing, even one the store holds as it is.
REPARSE = "SECJOBS_BOARD_REPARSE"
PROJECT = Path(__file__).resolve().parents[2]
# The code that turns a listing into stored rows: spiders, page objects, items, and the
# pipeline's cleaning (pipeline/*.py). A digest is keyed by all of it, so any change there
# makes every listing new to the next crawl, which reads every board again.
PARSING_CODE = ("spiders/crawlers", "spiders/pages", "spiders/items.py", "pipeline")


@cache
def parsing_key() -> bytes:
    """sha256 of the files of ``PARSING_CODE`` (each directory's own ``*.py``)."""
    paths = []
    for name in PARSING_CODE:
        path = PROJECT / name
        paths += sorted(path.glob("*.py")) if path.is_dir() else [path]
    digest = hashlib.sha256()
    for path in paths:
        digest.update(f"{path.relative_to(PROJECT).as_posix()}\0".encode())
        digest.update(path.read_bytes())
    return digest.digest()


class BoardSpider(SecjobsSpider):
    """A spider of employers' boards on one ATS (its TOML's ``[registry]``): the boards the
    TOML pins (its ``registry.key``) and those the board registry gives this run (the file
    ``SECJOBS_BOARDS_FILE``, written by the run). For each board it yields, beside the
    postings (each stamped with its ``board``), one ``BoardCheck`` saying what the board
    answered (pipeline.boards).

    Incremental: a spider whose board is listed in one response digests it
    (``listing_digest``). When the listing was read whole and everything it led to is
    staged, a ``BoardListing`` records the digest (``listing_read``); at the next crawl a
    listing with the same digest as the store holds (the board file's ``listings``) is
    neither parsed nor followed: one ``BoardListing`` says it is unchanged since the run
    whose postings of it are current (``unchanged_listing``), and the store refreshes
    those. A board listed over several pages is always read.
    """

    @property
    def ats(self) -> str:
        return source_spec(self.name).registry.ats

    def boards(self) -> list[str]:
        return board_values(self.settings, self.name)

    @cached_property
    def known_listings(self) -> dict[str, dict[str, str]]:
        return {} if self.settings.getbool(REPARSE) else board_file(self.settings).listings

    def listing_context(self, board: str) -> str:
        """The settings that shape what this board's listing becomes (which details are
        fetched, the company's display name): part of its digest."""
        return ""

    def listing_digest(self, response, board: str) -> str:
        """sha256 of the listing's body, keyed by the parsing code, the source, the board
        and its ``listing_context``."""
        digest = hashlib.sha256(parsing_key())
        for part in (self.name, self.ats, board, self.listing_context(board)):
            digest.update(f"{part}\0".encode())
        digest.update(response.body)
        return digest.hexdigest()

    def unchanged_listing(self, response, board: str, digest: str) -> BoardListing | None:
        """The record saying the board's listing is the one the store holds, or None: then
        it is to be read. Its links were found when it was read (spiders/discovery.py)."""
        known = self.known_listings.get(board)
        if not known or known.get("digest") != digest or not known.get("since"):
            return None
        self.crawler.stats.inc_value("secjobs/boards/unchanged")
        response.meta["secjobs_unchanged"] = True
        return BoardListing(
            url=without_secrets(response.url),
            ats=self.ats,
            board=board,
            digest=digest,
            unchangedSince=known["since"],
        )

    def listing_read(self, url: str, board: str, digest: str) -> BoardListing:
        """The record of a listing read whole: yield it after everything it led to."""
        return BoardListing(url=without_secrets(url), ats=self.ats, board=board, digest=digest)

    def await_details(self, listing: BoardListing, keys: Iterable[str]) -> BoardListing | None:
        """``listing`` now if it led to no detail requests, else held until each of ``keys``
        is ``detail_done`` (a detail lost or unreadable: never; a crawl resumed from its
        job directory or sharing its frontier: never either, which only costs a re-read)."""
        waiting = set(keys)
        if not waiting:
            return listing
        self._awaiting[listing.board] = (listing, waiting)
        return None

    def detail_done(self, board: str, key: str, read: bool) -> Iterator[BoardListing]:
        """A detail of ``board``'s listing came back (``read``: and was read): its
        ``BoardListing`` once the last one is in."""
        listing, waiting = self._awaiting.get(board, (None, set()))
        if listing is None:
            return
        if not read:
            del self._awaiting[board]
            return
        waiting.discard(key)
        if not waiting:
            del self._awaiting[board]
            yield listing

    @cached_property
    def _awaiting(self) -> dict[str, tuple[BoardListing, set[str]]]:
        return {}

    @staticmethod
    def on_board(postings, board: str):
        """``postings`` (a list or one item), each ``JobPosting`` stamped with its board."""
        for item in postings if isinstance(postings, list) else [postings]:
            if isinstance(item, JobPosting):
                item.board = board
        return postings

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
