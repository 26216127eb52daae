"""Employer boards named by identifier or by link: checking what a list or a person gives,
and recognising links to boards on the six ATSs in any text (pipeline.boards keeps them).

Identifiers are kept as the ATS spells them ("hamming ai", "1840&Company"); whoever puts one
into a URL encodes it (``quote_identifier``). No database here: spiders use it too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, unquote, urlsplit

ATSES = ("ashby", "greenhouse", "lever", "smartrecruiters", "workable", "workday")

_MAX_IDENTIFIER = 255
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_WORKDAY_HOST = re.compile(r"(?P<tenant>[a-z0-9-]+)\.(?P<wd>wd\d{1,3})\.myworkdayjobs\.com")
_WORKDAY_LOCALE = re.compile(r"[a-z]{2}-[A-Z]{2}")  # "/en-US/<site>" on shared links
# Path segments that name a page of the board, not the board ("/embed/job_board").
_NOT_BOARDS = {"embed", "v0", "v1", "wday", "api", "jobs", "job", "postings", "en-us"}


class BadBoard(ValueError):
    """An identifier or careers URL that cannot name a board."""


@dataclass(frozen=True)
class BoardEntry:
    ats: str
    identifier: str
    name: str | None = None
    careers_url: str | None = None


def check_ats(ats: str) -> str:
    name = ats.strip().lower()
    if name not in ATSES:
        raise BadBoard(f"unknown ATS {ats!r}; known: {', '.join(ATSES)}")
    return name


def check_entry(entry: BoardEntry) -> BoardEntry:
    """``entry`` with its fields trimmed, or ``BadBoard`` saying what is wrong."""
    ats = check_ats(entry.ats)
    identifier = (entry.identifier or "").strip()
    if not identifier:
        raise BadBoard("no identifier")
    if len(identifier) > _MAX_IDENTIFIER or _CONTROL.search(identifier):
        raise BadBoard(f"not an identifier: {identifier[:60]!r}")
    url = (entry.careers_url or "").strip() or None
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or _CONTROL.search(url):
            raise BadBoard(f"not a careers URL: {url[:80]!r}")
    if ats == "workday":
        # The host's wd<N> is in the careers URL only; some lists write "<tenant>/wd<N>/<site>".
        parts = identifier.split("/")
        tenant, site = parts[0], parts[-1]
        if len(parts) not in (2, 3) or not tenant or not site:
            raise BadBoard(f"a Workday board is <tenant>/<site>, not {identifier!r}")
        found = board_from_url(url) if url else None
        if not found or found.identifier.lower() != f"{tenant}/{site}".lower():
            raise BadBoard(
                f"a Workday board needs its careers URL "
                f"(https://{tenant}.wd<N>.myworkdayjobs.com/{site}), not {url!r}"
            )
        identifier, url = found.identifier, found.careers_url
    name = (entry.name or "").strip() or None
    return BoardEntry(ats, identifier, name, url)


def quote_identifier(identifier: str) -> str:
    """An identifier as one URL path segment: "hamming ai" -> "hamming%20ai"."""
    return quote(identifier, safe="")


def board_from_url(url: str) -> BoardEntry | None:
    """The board a link points to (a careers page, a job on it, its API, Greenhouse's embed
    script ``?for=<id>``), or None when it is no board link secjobs knows."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    segments = [unquote(s) for s in parts.path.split("/") if s]
    if host.endswith(".myworkdayjobs.com"):
        return _workday_board(host, segments)
    first = segments[0] if segments else ""
    if host in ("boards.greenhouse.io", "job-boards.greenhouse.io", "boards.eu.greenhouse.io"):
        embedded = re.search(r"(?:^|&)for=([^&#]+)", parts.query)
        if embedded:  # <script src=".../embed/job_board/js?for=<id>">
            return BoardEntry("greenhouse", unquote(embedded[1]))
        if first and first not in _NOT_BOARDS:
            return BoardEntry("greenhouse", first)
    elif host == "boards-api.greenhouse.io" and segments[:2] == ["v1", "boards"]:
        return _entry("greenhouse", segments[2:3])
    elif host in ("jobs.lever.co", "jobs.eu.lever.co") and first:
        return BoardEntry("lever", first)
    elif host in ("api.lever.co", "api.eu.lever.co") and segments[:2] == ["v0", "postings"]:
        return _entry("lever", segments[2:3])
    elif host == "jobs.ashbyhq.com" and first and first not in _NOT_BOARDS:
        return BoardEntry("ashby", first)
    elif host == "api.ashbyhq.com" and segments[:2] == ["posting-api", "job-board"]:
        return _entry("ashby", segments[2:3])
    elif host == "apply.workable.com" and first and first not in ("api", "j"):
        return BoardEntry("workable", first)
    elif host in ("careers.smartrecruiters.com", "jobs.smartrecruiters.com") and first:
        return BoardEntry("smartrecruiters", first)
    elif host == "api.smartrecruiters.com" and segments[:2] == ["v1", "companies"]:
        return _entry("smartrecruiters", segments[2:3])
    return None


def _entry(ats: str, identifier: list[str]) -> BoardEntry | None:
    return BoardEntry(ats, identifier[0]) if identifier else None


def _workday_board(host: str, segments: list[str]) -> BoardEntry | None:
    match = _WORKDAY_HOST.fullmatch(host)
    if not match:
        return None
    tenant = match["tenant"]
    if segments[:2] == ["wday", "cxs"]:  # the API: /wday/cxs/<tenant>/<site>/...
        site = segments[3] if len(segments) > 3 else ""
    else:
        rest = segments[1:] if segments and _WORKDAY_LOCALE.fullmatch(segments[0]) else segments
        site = rest[0] if rest else ""
    if not site or site == "wday":  # a site may well be called "jobs"
        return None
    return BoardEntry(
        "workday", f"{tenant}/{site}", careers_url=f"https://{host}/{quote_identifier(site)}"
    )


# Where a link to a board may start, in any text (HTML, JSON with escaped slashes, prose).
_LINK = re.compile(
    r"https?:(?:\\?/){2}(?:[a-z0-9-]+\.)*(?:greenhouse\.io|lever\.co|ashbyhq\.com|workable\.com|"
    r"smartrecruiters\.com|myworkdayjobs\.com)(?:\\?/[^\s\"'<>()\\]*|\?[^\s\"'<>()\\]*)*",
    re.IGNORECASE,
)


def find_board_links(text: str) -> Iterator[BoardEntry]:
    """Every board a text links to, once each, in order."""
    seen: set[tuple[str, str]] = set()
    for match in _LINK.finditer(text):
        board = board_from_url(match.group().replace("\\/", "/").rstrip(".,;:"))
        if board is None:
            continue
        try:
            board = check_entry(board)
        except BadBoard:
            continue
        if (board.ats, board.identifier) not in seen:
            seen.add((board.ats, board.identifier))
            yield board
