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

A board whose listing was read whole keeps its digest (``record_listings``): the next run
gives it to the board's spider, which does not read the listing again if it is the same,
and its postings are refreshed instead.

Identifiers and links: ``pipeline.board_links``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import case, func, literal, select, update
from sqlalchemy.orm import Session

from pipeline.board_links import (
    ATSES,
    BadBoard,
    BoardEntry,
    check_ats,
    check_entry,
)
from pipeline.models import Board, BoardList, JobPostingRecord
from pipeline.store import dialect_insert, utcnow

SHIPPED_DIR = Path(__file__).parent / "data" / "boards"
SHIPPED, DISCOVERED, CONFIGURED = "shipped", "discovered", "configured"
STATUSES = ("active", "empty", "unchecked", "deferred", "gone")
GONE_AFTER = 3  # "unknown board" answers in a row before a board counts as gone
RECHECK_GONE = timedelta(days=30)
CSV_COLUMNS = ("name", "slug", "url")
DIGEST = re.compile(r"[0-9a-f]{64}")  # a board listing's (spiders/crawlers/base.py)
LIST_COLUMNS = (
    "ats",
    "id",
    "name",
    "status",
    "open_postings",
    "security_postings",
    "last_crawled",
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
    found_in: str | Mapping[tuple[str, str], str | None] | None = None,
    now: datetime | None = None,
    claim: bool = True,
) -> Imported:
    """Put checked ``entries`` into the registry; a board listed twice is one board. A
    board already there keeps its status and history; a missing name or careers URL is
    filled in, and ``configured`` (a person asked for it) outranks the other origins
    (``claim=False``: new boards only take ``origin``). ``found_in``: where they came from,
    one place for all or per ``(ats, identifier)``."""
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
                "found_in": (
                    found_in.get((e.ats, e.identifier))
                    if isinstance(found_in, Mapping)
                    else found_in
                ),
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
        if origin == CONFIGURED and claim:
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


OUTCOMES = ("jobs", "none", "unknown", "limited", "error")


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
    if outcome.kind == "error":  # nothing learnt about the board: only that it was tried
        return crawled
    raise ValueError(f"unknown outcome {outcome.kind!r}")


def record_outcomes(session: Session, outcomes: Sequence[Outcome], at: datetime) -> int:
    """Apply crawl outcomes to the boards they name, in their order. A board the registry
    does not hold yet is one a source's TOML pins: it is added as ``configured``."""
    if not outcomes:
        return 0
    add_boards(
        session,
        [BoardEntry(o.ats, o.identifier) for o in outcomes],
        CONFIGURED,
        found_in="pinned in its source's TOML",
        now=at,
        claim=False,
    )
    fields = list(BoardState.__dataclass_fields__)
    states: dict[tuple[str, str], tuple[int, BoardState]] = {}
    for ats in {o.ats for o in outcomes}:
        wanted = sorted({o.identifier for o in outcomes if o.ats == ats})
        for start in range(0, len(wanted), 1_000):  # under any driver's parameter limit
            rows = session.execute(
                select(Board.id, Board.identifier, *(getattr(Board, f) for f in fields)).where(
                    Board.ats == ats, Board.identifier.in_(wanted[start : start + 1_000])
                )
            )
            for board_id, identifier, *values in rows:
                states[(ats, identifier)] = (board_id, BoardState(*values))
    for outcome in outcomes:
        key = (outcome.ats, outcome.identifier)
        board_id, state = states[key]
        states[key] = (board_id, next_state(state, outcome, at))
    # The ORM's bulk UPDATE by primary key: one executemany.
    session.execute(
        update(Board),
        [{"id": board_id, **state.__dict__} for board_id, state in states.values()],
    )
    return len(outcomes)


@dataclass(frozen=True)
class ListingCounts:
    """What a run's board listings did (``record_listings``)."""

    recorded: int = 0  # listings read whole: their digests kept
    unchanged: int = 0  # boards not read again: their postings refreshed
    refreshed: int = 0  # postings of those boards
    stale: int = 0  # unchanged listings the store could not vouch for: read next run

    def as_dict(self) -> dict[str, int]:
        return {
            "board_listings_recorded": self.recorded,
            "boards_unchanged": self.unchanged,
            "postings_refreshed": self.refreshed,
            "boards_unchanged_stale": self.stale,
        }


def record_listings(
    session: Session,
    listings: Sequence[dict],
    checks: Sequence[dict],
    run_id: str,
    at: datetime,
) -> ListingCounts:
    """Keep what this run's board crawls say of their listings (``clean_board_listing``
    rows), after their postings and checks (``record_outcomes``) are stored:

    - a listing read whole: its digest, and this run as the one whose postings of the board
      are current;
    - a board checked without one (read in part, not at all, a detail lost, a new status):
      no digest, so its next crawl reads it;
    - a listing unchanged since run R: the board's postings R stored are seen again in this
      run (open, ``last_seen``, ``last_run_id``) and the board counts as crawled, with its
      status and counts as they were. Only while the board is active with that digest and
      R, and no posting of it was stored since without its listing; else its digest goes
      and the next crawl reads it (its postings close meanwhile if a complete crawl
      misses them)."""
    read = {(x["ats"], x["identifier"]): x for x in listings if not x["unchanged_since"]}
    unchanged = {
        (x["ats"], x["identifier"]): x
        for x in listings
        if x["unchanged_since"] and (x["ats"], x["identifier"]) not in read
    }
    voided = {(c["ats"], c["identifier"]) for c in checks} - read.keys()
    boards = _boards_by_key(session, voided | read.keys() | unchanged.keys())
    vouched = {
        key: x
        for key, x in unchanged.items()
        if (board := boards.get(key)) is not None
        and board.status == "active"
        and (board.listing_digest, board.listing_run_id) == (x["digest"], x["unchanged_since"])
    }
    for key in _stored_since(session, vouched):
        del vouched[key]
    refreshed = _refresh_postings(session, vouched.values(), run_id, at)
    forget = [boards[k].id for k in (voided | unchanged.keys()) - vouched.keys() if k in boards]
    updates = [
        [{"id": i, "listing_digest": None, "listing_run_id": None} for i in forget],
        [
            {"id": boards[k].id, "listing_digest": x["digest"], "listing_run_id": run_id}
            for k, x in read.items()
            if k in boards
        ],
        [
            {
                "id": boards[k].id,
                "listing_run_id": run_id,
                "last_crawled": at,
                "last_with_jobs": at,
                "consecutive_failures": 0,
                "last_outcome": f"unchanged since run {x['unchanged_since']}"[:200],
            }
            for k, x in vouched.items()
        ],
    ]
    for rows in updates:  # the ORM's bulk UPDATE by primary key, one executemany each
        if rows:
            session.execute(update(Board), rows)
    return ListingCounts(
        recorded=sum(k in boards for k in read),
        unchanged=len(vouched),
        refreshed=refreshed,
        stale=len(unchanged) - len(vouched),
    )


def _boards_by_key(session: Session, keys: set[tuple[str, str]]) -> dict[tuple[str, str], Any]:
    found = {}
    for ats in {k[0] for k in keys}:
        wanted = sorted(identifier for a, identifier in keys if a == ats)
        for start in range(0, len(wanted), 1_000):  # under any driver's parameter limit
            rows = session.execute(
                select(
                    Board.id,
                    Board.identifier,
                    Board.status,
                    Board.listing_digest,
                    Board.listing_run_id,
                ).where(Board.ats == ats, Board.identifier.in_(wanted[start : start + 1_000]))
            )
            for row in rows:
                found[(ats, row.identifier)] = row
    return found


def _stored_since(session: Session, listings: dict[tuple[str, str], dict]) -> set[tuple[str, str]]:
    """Boards of ``listings`` with a posting stored after the board's last crawl: stored
    by a crawl that did not record the board's listing, which its digest no longer tells."""
    groups: dict[tuple[str, str], list[str]] = {}
    for (ats, identifier), listing in listings.items():
        groups.setdefault((listing["source"], ats), []).append(identifier)
    since = set()
    for (source, ats), identifiers in groups.items():
        for start in range(0, len(identifiers), 1_000):
            rows = session.scalars(
                select(JobPostingRecord.board)
                .join(
                    Board,
                    (Board.ats == ats) & (Board.identifier == JobPostingRecord.board),
                )
                .where(
                    JobPostingRecord.source == source,
                    JobPostingRecord.board.in_(identifiers[start : start + 1_000]),
                    JobPostingRecord.last_seen > Board.last_crawled,
                )
                .distinct()
            )
            since.update((ats, board) for board in rows)
    return since


def _refresh_postings(session: Session, listings: Iterable[dict], run_id: str, at: datetime) -> int:
    """The postings each unchanged listing's run stored of its board, seen in this run."""
    groups: dict[tuple[str, str], list[str]] = {}
    for listing in listings:
        key = (listing["source"], listing["unchanged_since"])
        groups.setdefault(key, []).append(listing["identifier"])
    ids: list[int] = []
    for (source, since), identifiers in groups.items():
        for start in range(0, len(identifiers), 1_000):
            ids += session.scalars(
                select(JobPostingRecord.id).where(
                    JobPostingRecord.source == source,
                    JobPostingRecord.last_run_id == since,
                    JobPostingRecord.board.in_(identifiers[start : start + 1_000]),
                )
            )
    seen = {"last_seen": at, "last_run_id": run_id, "status": "open", "closed_at": None}
    for start in range(0, len(ids), 5_000):
        session.execute(
            update(JobPostingRecord), [{"id": i, **seen} for i in ids[start : start + 5_000]]
        )
    return len(ids)


def clean_board_check(record: dict) -> dict:
    """A staged ``BoardCheck`` item as an ``Outcome``'s fields; ``Rejected`` when it cannot
    name a board or an outcome."""
    from pipeline.postings import Rejected

    ats, board, kind = record.get("ats"), record.get("board"), record.get("outcome")
    if ats not in ATSES or not isinstance(board, str) or not board.strip():
        raise Rejected("bad_board_check", f"no board: ats={ats!r} board={board!r}")
    if kind not in OUTCOMES:
        raise Rejected("bad_board_check", f"unknown outcome {kind!r}")
    counts = [record.get("openPostings"), record.get("securityPostings")]
    if any(c is not None and (not isinstance(c, int) or c < 0) for c in counts):
        raise Rejected("bad_board_check", f"bad counts {counts!r}")
    return {
        "ats": ats,
        "identifier": board.strip(),
        "kind": kind,
        "open_postings": counts[0],
        "security_postings": counts[1],
        "detail": (record.get("detail") or None) and str(record["detail"])[:200],
    }


def clean_board_listing(record: dict) -> dict:
    """A staged ``BoardListing`` item as a listing to record; ``Rejected`` when it cannot
    name a board and a digest."""
    from pipeline.postings import Rejected

    ats, board, digest = record.get("ats"), record.get("board"), record.get("digest")
    source, since = record.get("source"), record.get("unchangedSince")
    if ats not in ATSES or not isinstance(board, str) or not board.strip():
        raise Rejected("bad_board_listing", f"no board: ats={ats!r} board={board!r}")
    if not isinstance(source, str) or not source:
        raise Rejected("bad_board_listing", "no source")
    if not isinstance(digest, str) or not DIGEST.fullmatch(digest):
        raise Rejected("bad_board_listing", f"not a sha256 digest: {digest!r}")
    if since is not None and (not isinstance(since, str) or not 0 < len(since) <= 64):
        raise Rejected("bad_board_listing", f"bad run id {since!r}")
    return {
        "source": source,
        "ats": ats,
        "identifier": board.strip(),
        "digest": digest,
        "unchanged_since": since,
    }


def clean_board_link(record: dict) -> dict:
    """A staged ``BoardLink`` item as a board to add; ``Rejected`` when it names none."""
    from pipeline.postings import Rejected

    entry = BoardEntry(
        str(record.get("ats") or ""), str(record.get("board") or ""), None, record.get("careersUrl")
    )
    try:
        entry = check_entry(entry)
    except BadBoard as bad:
        raise Rejected("bad_board_link", str(bad)) from None
    return {**entry.__dict__, "found_in": str(record.get("url") or "")[:1000] or None}


def add_discovered(session: Session, links: Sequence[dict], now: datetime) -> int:
    """Boards found linked from fetched pages (``clean_board_link`` rows): new ones are added
    as ``discovered``, with the first page they were found in. How many were new."""
    entries = [BoardEntry(k["ats"], k["identifier"], None, k.get("careers_url")) for k in links]
    pages: dict[tuple[str, str], str | None] = {}
    for link in links:
        pages.setdefault((link["ats"], link["identifier"]), link.get("found_in"))
    return add_boards(session, entries, DISCOVERED, found_in=pages, now=now).added


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


@dataclass(frozen=True)
class AtsCoverage:
    """What one ATS's boards gave: boards crawled since a time (this run), and the open and
    security-manager postings their last crawls found."""

    crawled: int
    open_postings: int
    security_postings: int


def board_coverage(session: Session, since: datetime | None) -> dict[str, AtsCoverage]:
    """``AtsCoverage`` per ATS; ``since``: the run's start (None: nothing crawled yet)."""
    crawled = (
        func.count(case((Board.last_crawled >= since, 1))) if since is not None else literal(0)
    )
    rows = session.execute(
        select(
            Board.ats,
            crawled,
            func.coalesce(func.sum(Board.open_postings), 0),
            func.coalesce(func.sum(Board.security_postings), 0),
        ).group_by(Board.ats)
    )
    return {ats: AtsCoverage(int(n), int(open_), int(security)) for ats, n, open_, security in rows}


def top_employers(session: Session, limit: int = 10) -> list[Board]:
    """The boards whose last crawl found the most security-manager postings."""
    return list(
        session.scalars(
            select(Board)
            .where(Board.security_postings > 0)
            .order_by(Board.security_postings.desc(), Board.ats, Board.identifier)
            .limit(limit)
        )
    )


def list_boards(session: Session, ats: str | None = None, status: str | None = None) -> list[Board]:
    query = select(Board).order_by(Board.ats, Board.identifier)
    if ats:
        query = query.where(Board.ats == check_ats(ats))
    if status:
        if status not in STATUSES:
            raise BadBoard(f"unknown status {status!r}; known: {', '.join(STATUSES)}")
        query = query.where(Board.status == status)
    return list(session.scalars(query))


# --- what a run crawls: the plan ----------------------------------------------------------------

DAILY_BUDGET_SECONDS = 2 * 3600  # a daily run's crawls must fit in this, at live politeness
# Per-request figures of the arithmetic where politeness does not bound a crawl (boards on
# hosts of their own): a typical API answer's latency, and Scrapy's CONCURRENT_REQUESTS.
LATENCY_SECONDS = 0.5
CONCURRENT_REQUESTS = 8


@dataclass(frozen=True)
class SourceCost:
    """What crawling one source's boards costs, from its TOML (spiders/sources)."""

    source: str
    ats: str
    host: str  # its API host, or a pattern of them
    delay: float  # seconds between requests to one host
    concurrency: int  # requests in flight to one host
    requests_per_board: float
    pinned: list[str]  # the boards its TOML always crawls
    value: str = "identifier"  # what the spider takes: identifier | careers_url
    host_per_board: bool = False

    def seconds_per_board(self) -> float:
        """A board's share of the crawl's wall time: one host's requests are spaced by its
        delay; boards on hosts of their own are bound by latency and concurrency."""
        if self.host_per_board:
            return self.requests_per_board * LATENCY_SECONDS / CONCURRENT_REQUESTS
        per_request = max(self.delay, LATENCY_SECONDS / self.concurrency)
        return self.requests_per_board * per_request


@dataclass(frozen=True)
class BoardPlan:
    """The boards of one source for one run, and what they cost."""

    cost: SourceCost
    registered: int  # boards of its ATS in the registry
    every_run: int  # active and deferred boards: crawled every run
    quiet: int  # due boards that are unchecked, empty, or gone a month
    quiet_today: int
    rotation_days: int  # a quiet board's turn comes every this many runs
    not_due: int  # gone boards waiting for their monthly check
    boards: list[str]  # what the spider gets (identifiers or careers URLs), pins excluded
    # The ATS's active boards whose listing the store holds whole: {value: {digest, since}}.
    listings: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def crawled(self) -> int:
        return len(self.cost.pinned) + len(self.boards)

    @property
    def requests(self) -> float:
        return self.crawled * self.cost.requests_per_board

    @property
    def seconds(self) -> float:
        return self.crawled * self.cost.seconds_per_board()


def _turn_order(ats: str, value: str) -> bytes:
    """Where a quiet board comes in the rotation: stable across runs and machines."""
    return hashlib.sha256(f"{ats}\0{value}".encode()).digest()


def plan_source(
    session: Session,
    cost: SourceCost,
    now: datetime,
    budget_seconds: float = DAILY_BUDGET_SECONDS,
    max_boards: int | None = None,
) -> BoardPlan:
    """Which registry boards of ``cost.ats`` a run started at ``now`` crawls: every active
    and deferred board, and the due quiet ones (unchecked, empty, gone a month) as far as
    ``budget_seconds`` goes; past that, a rotating share of the quiet ones, each in its turn
    every ``rotation_days`` runs. ``max_boards``: at most this many (a sandbox demo). With
    them go the listings the store holds whole of the ATS's active boards, whichever the
    spider crawls (pins of its live or sandbox TOML, or of ``-s``)."""
    rows = session.execute(
        select(
            Board.identifier,
            Board.careers_url,
            Board.status,
            Board.last_crawled,
            Board.listing_digest,
            Board.listing_run_id,
        )
        .where(Board.ats == cost.ats)
        .order_by(Board.security_postings.desc().nulls_last(), Board.identifier)
    ).all()
    pinned = set(cost.pinned)
    every_run, quiet, not_due = [], [], 0
    listings: dict[str, dict[str, str]] = {}
    for identifier, careers_url, status, last_crawled, digest, since in rows:
        value = careers_url if cost.value == "careers_url" else identifier
        if status == "active" and digest and since:
            listings[value] = {"digest": digest, "since": since}
        if value in pinned:
            continue
        if not is_due(BoardState(status=status, last_crawled=last_crawled), now):
            not_due += 1
            continue
        (every_run if status in ("active", "deferred") else quiet).append(value)
    capacity = int(budget_seconds // cost.seconds_per_board()) - len(pinned)
    if max_boards is not None:
        capacity = min(capacity, max_boards)
    capacity = max(capacity, 0)
    chosen = every_run[:capacity]
    room = capacity - len(chosen)
    days = 1 if len(quiet) <= room else -(-len(quiet) // max(room, 1))
    if days == 1:
        today = quiet
    elif room == 0:
        today = []
    else:
        # Quiet boards in a fixed order (by a hash of each, not by name, so one employer's
        # many boards spread), cut in ``days`` equal turns; today's turn by the date.
        ordered = sorted(quiet, key=lambda value: _turn_order(cost.ats, value))
        size = -(-len(ordered) // days)
        turn = now.date().toordinal() % days
        today = ordered[turn * size : (turn + 1) * size]
    return BoardPlan(
        cost=cost,
        registered=len(rows),
        every_run=len(every_run),
        quiet=len(quiet),
        quiet_today=len(today),
        rotation_days=days if room else 0,
        not_due=not_due,
        boards=chosen + today,
        listings=listings,
    )


def write_board_file(plan: BoardPlan, path: Path) -> Path:
    """The plan's boards and their known listings as the JSON a board spider reads
    (``SECJOBS_BOARDS_FILE``, spiders.crawlers.base.board_file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"boards": plan.boards, "listings": plan.listings}
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def prune_board_files(staging: Path, now: datetime, keep: timedelta = timedelta(days=1)) -> int:
    """Delete the board files (``<spider>/<run id>.boards.json``) of runs over ``keep`` ago:
    their crawls are done. How many were deleted."""
    removed = 0
    for path in staging.glob("*/*.boards.json"):
        if now.timestamp() - path.stat().st_mtime > keep.total_seconds():
            path.unlink(missing_ok=True)
            removed += 1
    return removed
