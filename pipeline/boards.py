"""The board registry: which employers' job boards secjobs asks on each applicant-tracking
system (ATS), where each board came from, and what crawling it has shown.

A board is ``shipped`` (the lists in ``pipeline/data/boards/``, loaded by ``secjobs db
upgrade`` and by every run), ``configured`` (``secjobs boards add`` / ``import``) or
``discovered`` (a link to it found in a page secjobs fetched). Its status comes from what
the ATS answered, not from HTTP codes, which lie in both directions (an unknown Ashby board
answers 200 with an empty list, SmartRecruiters 200 with ``totalFound: 0`` for any name):

- ``unchecked``: never crawled;
- ``active``: it listed jobs at its last crawl;
- ``empty``: it answered, with no jobs;
- ``gone``: unknown to the ATS (a 404, or the API's own "no such board") at
  ``GONE_AFTER`` crawls in a row; asked again every ``RECHECK_GONE``;
- ``deferred``: the ATS asked us to wait (429 with ``Retry-After``): tried again next run,
  not counted as a failure.

Identifiers are kept as the ATS spells them ("hamming ai", "1840&Company"); whoever puts
one into a URL encodes it (``quote_identifier``).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from pipeline.models import Board, BoardList
from pipeline.store import dialect_insert, utcnow

ATSES = ("ashby", "greenhouse", "lever", "smartrecruiters", "workable", "workday")
SHIPPED_DIR = Path(__file__).parent / "data" / "boards"
SHIPPED, DISCOVERED, CONFIGURED = "shipped", "discovered", "configured"
STATUSES = ("active", "empty", "unchecked", "deferred", "gone")
GONE_AFTER = 3  # "unknown board" answers in a row before a board counts as gone
RECHECK_GONE = timedelta(days=30)
CSV_COLUMNS = ("name", "slug", "url")
LIST_COLUMNS = (
    "ats",
    "id",
    "name",
    "status",
    "open_postings",
    "security_postings",
    "last_crawled",
)
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


# --- importing lists ------------------------------------------------------------------------


@dataclass
class ReadList:
    """A board list read from CSV: its usable entries, and a line per row it skipped."""

    entries: list[BoardEntry] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


def read_board_csv(text: str, ats: str) -> ReadList:
    """Boards of a ``name,slug,url`` CSV (as the shipped lists). A row that cannot name a
    board is skipped with its line number; ``BadBoard`` when the header is not that shape."""
    ats = check_ats(ats)
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    missing = [c for c in ("name", "slug") if c not in (reader.fieldnames or ())]
    if missing:
        raise BadBoard(
            f"the CSV needs the columns {','.join(CSV_COLUMNS)}; "
            f"its header is {','.join(reader.fieldnames or ()) or 'empty'}"
        )
    read = ReadList()
    for row in reader:
        line = reader.line_num
        if None in row or None in row.values():  # more or fewer fields than the header
            fields = sum(v is not None for k, v in row.items() if k is not None)
            fields += len(row.get(None) or ())
            read.skipped.append(f"line {line}: {fields} fields, not {len(reader.fieldnames)}")
            continue
        entry = BoardEntry(ats, row["slug"], row["name"], row.get("url"))
        try:
            read.entries.append(check_entry(entry))
        except BadBoard as bad:
            read.skipped.append(f"line {line}: {bad}")
    return read


@dataclass(frozen=True)
class Imported:
    added: int  # boards new to the registry
    known: int  # already there (their name and URL filled in where missing)


def add_boards(
    session: Session,
    entries: Iterable[BoardEntry],
    origin: str,
    found_in: str | None = None,
    now: datetime | None = None,
) -> Imported:
    """Put checked ``entries`` into the registry; a board listed twice is one board. A
    board already there keeps its status and history; a missing name or careers URL is
    filled in, and ``configured`` (a person asked for it) outranks the other origins."""
    now = now or utcnow()
    unique: dict[tuple[str, str], BoardEntry] = {}
    for entry in entries:
        key = (entry.ats, entry.identifier)
        known = unique.get(key)
        unique[key] = (
            replace(
                known,
                name=known.name or entry.name,
                careers_url=known.careers_url or entry.careers_url,
            )
            if known
            else entry
        )
    if not unique:
        return Imported(0, 0)
    existing = {
        (ats, identifier)
        for ats, identifier in session.execute(
            select(Board.ats, Board.identifier).where(Board.ats.in_({k[0] for k in unique}))
        )
    }
    new = [entry for key, entry in unique.items() if key not in existing]
    for start in range(0, len(new), 5_000):
        rows = [
            {
                "ats": e.ats,
                "identifier": e.identifier,
                "name": e.name,
                "careers_url": e.careers_url,
                "origin": origin,
                "status": "unchecked",
                "first_seen": now,
                "consecutive_failures": 0,
                "found_in": found_in,
            }
            for e in new[start : start + 5_000]
        ]
        # A run storing the same discovery at the same time must not fail this one.
        session.execute(dialect_insert(session, Board).on_conflict_do_nothing(), rows)
    for (ats, identifier), entry in unique.items():
        if (ats, identifier) not in existing:
            continue
        mine = (Board.ats == ats) & (Board.identifier == identifier)
        if entry.name:
            session.execute(update(Board).where(mine, Board.name.is_(None)).values(name=entry.name))
        if entry.careers_url:
            session.execute(
                update(Board)
                .where(mine, Board.careers_url.is_(None))
                .values(careers_url=entry.careers_url)
            )
        if origin == CONFIGURED:
            session.execute(update(Board).where(mine).values(origin=CONFIGURED))
    return Imported(len(new), len(unique) - len(new))


def load_shipped(session: Session, directory: Path = SHIPPED_DIR) -> dict[str, Imported]:
    """Load the shipped lists that changed since they were last loaded (all of them into a
    new database): 22,000 boards once, a few milliseconds at every later run."""
    loaded: dict[str, Imported] = {}
    for ats in ATSES:
        path = directory / f"{ats}.csv"
        if not path.exists():
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        name = f"shipped:{path.name}"
        known = session.scalar(
            select(BoardList.sha256).where(BoardList.ats == ats, BoardList.name == name)
        )
        if known == digest:
            continue
        read = read_board_csv(data.decode("utf-8"), ats)
        loaded[ats] = add_boards(session, read.entries, SHIPPED, found_in=name)
        record_list(session, ats, name, digest, len(read.entries))
    return loaded


def record_list(session: Session, ats: str, name: str, digest: str, rows: int) -> None:
    stmt = dialect_insert(session, BoardList).values(
        ats=ats, name=name, sha256=digest, rows=rows, loaded_at=utcnow()
    )
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["ats", "name"],
            set_={"sha256": digest, "rows": rows, "loaded_at": stmt.excluded.loaded_at},
        )
    )


# --- what crawling shows ----------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """What one crawl of a board showed. ``kind``: ``jobs`` (it listed some), ``none`` (it
    answered with none), ``unknown`` (a 404 or the ATS's own "no such board"), ``limited``
    (asked to wait: 429, Retry-After), ``error`` (a server error or a network failure:
    nothing learnt about the board)."""

    ats: str
    identifier: str
    kind: str
    open_postings: int | None = None
    security_postings: int | None = None
    detail: str | None = None


@dataclass(frozen=True)
class BoardState:
    status: str = "unchecked"
    consecutive_failures: int = 0
    last_crawled: datetime | None = None
    last_with_jobs: datetime | None = None
    open_postings: int | None = None
    security_postings: int | None = None
    last_outcome: str | None = None


def next_state(state: BoardState, outcome: Outcome, at: datetime) -> BoardState:
    """A board's state after a crawl showed ``outcome``."""
    crawled = replace(state, last_crawled=at, last_outcome=outcome.detail or outcome.kind)
    if outcome.kind == "jobs":
        return replace(
            crawled,
            status="active",
            consecutive_failures=0,
            last_with_jobs=at,
            open_postings=outcome.open_postings,
            security_postings=outcome.security_postings,
        )
    if outcome.kind == "none":
        return replace(
            crawled, status="empty", consecutive_failures=0, open_postings=0, security_postings=0
        )
    if outcome.kind == "unknown":
        failures = state.consecutive_failures + 1
        return replace(
            crawled,
            consecutive_failures=failures,
            status="gone" if failures >= GONE_AFTER else state.status,
            open_postings=0 if failures >= GONE_AFTER else state.open_postings,
            security_postings=0 if failures >= GONE_AFTER else state.security_postings,
        )
    if outcome.kind == "limited":  # not the board's fault: no failure, and no crawl either
        return replace(state, status="deferred", last_outcome=outcome.detail or "rate limited")
    if outcome.kind == "error":
        return replace(crawled, status=state.status)
    raise ValueError(f"unknown outcome {outcome.kind!r}")


def record_outcomes(session: Session, outcomes: Sequence[Outcome], at: datetime) -> int:
    """Apply crawl outcomes to the boards they name (unknown boards are added as
    ``discovered`` first: a pinned board of a TOML list is a board too)."""
    if not outcomes:
        return 0
    add_boards(session, [BoardEntry(o.ats, o.identifier) for o in outcomes], DISCOVERED, now=at)
    fields = [f for f in BoardState.__dataclass_fields__]
    for outcome in outcomes:
        board = session.scalars(
            select(Board).where(Board.ats == outcome.ats, Board.identifier == outcome.identifier)
        ).one()
        state = next_state(BoardState(**{f: getattr(board, f) for f in fields}), outcome, at)
        for name in fields:
            setattr(board, name, getattr(state, name))
    session.flush()
    return len(outcomes)


def is_due(board: Board | BoardState, now: datetime) -> bool:
    """Whether a run crawls the board: every board but a gone one, which is asked again
    once ``RECHECK_GONE`` has passed since its last crawl."""
    if board.status != "gone" or board.last_crawled is None:
        return True
    last = board.last_crawled
    if last.tzinfo is None:  # SQLite gives naive datetimes back
        last = last.replace(tzinfo=now.tzinfo)
    return now - last >= RECHECK_GONE


# --- reading the registry --------------------------------------------------------------------


def board_counts(session: Session) -> dict[str, dict[str, int]]:
    """Boards per ATS and status: ``{"greenhouse": {"active": 12, ...}}``."""
    counts: dict[str, dict[str, int]] = {}
    rows = session.execute(
        select(Board.ats, Board.status, func.count()).group_by(Board.ats, Board.status)
    )
    for ats, status, count in rows:
        counts.setdefault(ats, {})[status] = count
    return counts


def list_boards(session: Session, ats: str | None = None, status: str | None = None) -> list[Board]:
    query = select(Board).order_by(Board.ats, Board.identifier)
    if ats:
        query = query.where(Board.ats == check_ats(ats))
    if status:
        if status not in STATUSES:
            raise BadBoard(f"unknown status {status!r}; known: {', '.join(STATUSES)}")
        query = query.where(Board.status == status)
    return list(session.scalars(query))
