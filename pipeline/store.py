"""Writes to the database: dialect-aware batched upserts, quarantine, run bookkeeping.

Functions take a ``session``; the caller owns the transaction
(``with factory.begin() as session: ...``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from itertools import chain, repeat
from operator import itemgetter
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from pipeline import fx
from pipeline.baselines import BaselineFigure
from pipeline.models import (
    Baseline,
    FxRate,
    JobPostingRecord,
    PipelineRun,
    PriceIndex,
    QuarantineRecord,
    SalaryObservation,
    SourceCrawl,
)
from pipeline.origin import LIVE

BATCH = 5_000


def utcnow() -> datetime:
    return datetime.now(UTC)


_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def dialect_insert(session: Session, model):
    """An insert in the session's dialect, which has ``on_conflict_do_update`` / ``_nothing``."""
    return _insert(session.get_bind().dialect.name)(model)


def _insert(dialect: str):
    if dialect not in _INSERTS:
        raise NotImplementedError(f"upserts are written for sqlite and postgresql, not {dialect}")
    return _INSERTS[dialect]


def _upsert(
    session: Session,
    model,
    values: list[dict[str, Any]],
    key: Sequence[str],
    keep: Sequence[str] = (),
    also: dict[str, Any] | None = None,
    constants: dict[str, Any] | None = None,
) -> int:
    """Insert ``values``; where ``key`` exists, update every other column but ``keep``
    (``also``: extra SET expressions, e.g. a counter). ``constants``: columns with the same
    value in every row (a run id, a timestamp), given once instead of copied into each row
    by the caller. Callers pass one row per key.

    A Core ``insert()`` of the table with ``on_conflict_do_update``, executed with a list
    of parameter dictionaries: SQLAlchemy's documented executemany (one DB-API
    ``executemany`` per batch, the statement compiled once). A None is stored as NULL, so
    rows differing in which columns are None share one statement, as with the ORM's
    ``render_nulls=True``; the ORM-enabled statement on the model without it leaves each
    row's None values out, which split one run's postings into thousands of statements.
    """
    if not values:
        return 0
    constants = constants or {}
    table = model.__table__
    columns, uniform = _columns(values)
    defaulted = set(_defaulted(table))
    updated = tuple(c for c in (*columns, *constants) if c not in (*key, *keep))
    if also:
        stmt = dialect_insert(session, table)
        set_ = {c: stmt.excluded[c] for c in updated}
        stmt = stmt.on_conflict_do_update(index_elements=list(key), set_={**set_, **also})
    else:
        stmt = _upsert_statement(session.get_bind().dialect.name, table, updated, tuple(key))
    constants = {c: v for c, v in constants.items() if v is not None or c not in defaulted}
    defaulted &= columns.keys()
    for batch in _batches(values):
        for rows in _by_columns(batch, uniform, defaulted):
            _executemany(session, stmt, rows, constants)
    return len(values)


@lru_cache(maxsize=64)
def _defaulted(table) -> frozenset[str]:
    """Columns where a None means "not given", as for the ORM: their default applies (a
    JSON None is JSON null, default or not)."""
    return frozenset(
        c.key
        for c in table.columns
        if (c.default is not None or c.server_default is not None)
        and not c.type.should_evaluate_none
    )


@lru_cache(maxsize=64)
def _upsert_statement(dialect: str, table, updated: tuple[str, ...], key: tuple[str, ...]):
    """The upsert that sets ``updated`` from the row a conflict on ``key`` turned away; built
    and compiled (``_compiled``) once for each shape of rows: a run stores its postings in a
    part at a time, a millisecond each."""
    stmt = _insert(dialect)(table)
    set_ = {c: stmt.excluded[c] for c in updated}
    return stmt.on_conflict_do_update(index_elements=list(key), set_=set_)


@lru_cache(maxsize=64)
def _compiled(stmt, dialect, names: tuple[str, ...]):
    return stmt.compile(dialect=dialect, column_keys=list(names))


def _executemany(session: Session, stmt, rows: Sequence[dict[str, Any]], constants: dict) -> None:
    """``session.execute(stmt, [{**row, **constants} for row in rows])``, the one hand-built
    path (issue #18): SQLAlchemy's per-row parameter processing was a fifth of the time of
    storing a run. The statement is compiled once for the rows' columns, each value goes
    through its column type's bind processor (``TypeEngine.bind_processor`` of the type's
    ``dialect_impl``, what SQLAlchemy applies itself), and one DB-API executemany runs it
    (``Connection.exec_driver_sql``). Rows name the same columns (``_by_columns``); a
    statement with values of its own (a column default to fill in, a counter's "+ 1") goes
    SQLAlchemy's way.
    ``tests/test_store.py`` pins that both ways store the same table, on SQLite and
    PostgreSQL."""
    connection = session.connection()
    dialect = connection.dialect
    names = (*rows[0], *(c for c in constants if c not in rows[0]))
    compiled = _compiled(stmt, dialect, names)
    order = list(compiled.positiontup) if compiled.positional else list(compiled.binds)
    if any(compiled.binds[name].key not in names for name in order):
        # A column default or a SET expression's own value: SQLAlchemy's way, as it is.
        session.execute(stmt, [{**row, **constants} for row in rows] if constants else rows)
        return
    # Column by column: the rows' values taken out in C (itemgetter, zip), each processed
    # column mapped through its processor, and the parameter sets zipped back; a loop over
    # every value in Python cost a third of the time of storing.
    keys = [compiled.binds[name].key for name in order]
    given = [key for key in keys if key not in constants]
    if len(given) <= 1:  # itemgetter of one key gives the value, not a tuple
        by_key = {key: [row[key] for row in rows] for key in given}
    else:
        by_key = dict(zip(given, zip(*map(itemgetter(*given), rows), strict=True), strict=True))
    columns: list[Iterable] = []
    for name, key in zip(order, keys, strict=True):
        process = compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
        if key in constants:  # processed once, not once a row
            value = process(constants[key]) if process else constants[key]
            columns.append(repeat(value, len(rows)))
        else:
            columns.append(map(process, by_key[key]) if process else by_key[key])
    values = zip(*columns, strict=True)
    if compiled.positional:
        params = list(values)
    else:
        params = [dict(zip(order, row_values, strict=True)) for row_values in values]
    connection.exec_driver_sql(compiled.string, params)


def _columns(rows: Sequence[dict[str, Any]]) -> tuple[dict[str, None], bool]:
    """Every column named in ``rows``, in the first row's order, and whether every row
    names the same ones (checked in C: they rarely differ)."""
    first = rows[0].keys()
    if all(map(first.__eq__, map(dict.keys, rows))):
        return dict.fromkeys(first), True
    return dict.fromkeys(chain.from_iterable(rows)), False


def _by_columns(
    rows: Sequence[dict[str, Any]], uniform: bool, defaulted: set[str]
) -> list[Sequence[dict[str, Any]]]:
    """``rows`` in groups that name the same columns, as one executemany needs: SQLAlchemy
    takes the columns from the first parameter set, and would drop a later row's extra
    column without a word. ``uniform``: every row names the same columns. ``defaulted``:
    columns left out where a row holds None, so that their default applies (SQLAlchemy
    fills in a column the parameters do not name)."""
    if uniform and not any(row[c] is None for c in defaulted for row in rows):
        return [rows]  # the usual case: one statement for the batch
    groups: dict[frozenset[str], list[dict[str, Any]]] = {}
    for row in rows:
        given = {c: v for c, v in row.items() if v is not None or c not in defaulted}
        groups.setdefault(frozenset(given), []).append(given)
    return list(groups.values())


def _batches(rows: Sequence[dict], size: int = BATCH) -> Iterable[Sequence[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def upsert_postings(
    session: Session,
    rows: Sequence[dict[str, Any]],
    run_id: str,
    seen_at: datetime | None = None,
    origin: str = LIVE,
) -> int:
    """Insert new postings, refresh known ones; ``first_seen`` never moves. ``origin``: the
    run's (pipeline.origin), which checked the database holds no other kind."""
    seen_at = seen_at or utcnow()
    # One row per key: a board listing a job twice must not fail the batch.
    unique = list({(r["source"], r["source_id"]): r for r in rows}.values())
    # Seen again means open again, even if an earlier crawl had closed it.
    seen = {
        "first_seen": seen_at,
        "last_seen": seen_at,
        "last_run_id": run_id,
        "status": "open",
        "closed_at": None,
        "origin": origin,
    }
    return _upsert(
        session,
        JobPostingRecord,
        unique,
        ("source", "source_id"),
        keep=("first_seen",),
        constants=seen,
    )


def quarantine(
    session: Session,
    records: Sequence[dict[str, Any]],
    run_id: str,
    seen_at: datetime | None = None,
) -> int:
    """Keep unusable records with their reason; seeing one again bumps ``times_seen``."""
    seen_at = seen_at or utcnow()
    unique = {(r["source"], r["fingerprint"]): r for r in records}.values()
    values = [
        {**r, "first_seen": seen_at, "last_seen": seen_at, "last_run_id": run_id, "times_seen": 1}
        for r in unique
    ]
    return _upsert(
        session,
        QuarantineRecord,
        values,
        ("source", "fingerprint"),
        keep=("first_seen", "stage", "payload", "times_seen"),
        also={"times_seen": QuarantineRecord.times_seen + 1},
    )


def sync_baselines(session: Session, figures: Sequence[BaselineFigure]) -> int:
    fields = (
        "dataset",
        "source",
        "metric",
        "geography",
        "value",
        "currency",
        "period",
        "as_of",
        "note",
        "cited_in",
    )
    values = [{f: getattr(figure, f) for f in fields} for figure in figures]
    return _upsert(session, Baseline, values, ("dataset", "source", "metric", "geography"))


def start_run(
    session: Session, run_id: str, counts: dict[str, Any] | None = None, origin: str = LIVE
) -> None:
    stmt = dialect_insert(session, PipelineRun).values(
        run_id=run_id, started_at=utcnow(), status="running", counts=counts or {}, origin=origin
    )
    session.execute(stmt.on_conflict_do_nothing(index_elements=["run_id"]))


def finish_run(session: Session, run_id: str, status: str, counts: dict[str, Any]) -> None:
    run = session.scalars(select(PipelineRun).where(PipelineRun.run_id == run_id)).one()
    run.status = status
    run.finished_at = utcnow()
    run.counts = counts


def record_crawl(
    session: Session,
    run_id: str,
    source: str,
    status: str,
    reason: str | None,
    items: int,
    stats: dict[str, Any],
) -> None:
    values = {
        "run_id": run_id,
        "source": source,
        "status": status,
        "reason": reason,
        "items": items,
        "stats": stats,
    }
    stmt = dialect_insert(session, SourceCrawl).values(values)
    session.execute(
        stmt.on_conflict_do_update(
            index_elements=["run_id", "source"],
            set_={k: stmt.excluded[k] for k in ("status", "reason", "items", "stats")},
        )
    )


def count_rows(session: Session, model) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def upsert_observations(
    session: Session, rows: Sequence[dict[str, Any]], run_id: str, origin: str = LIVE
) -> int:
    """One figure per source, role, place, statistic, period and day; a re-crawl updates it."""
    key = ("source", "role_query", "geography", "metric", "period", "observed_on")
    unique = {tuple(r[k] for k in key): r for r in rows}.values()
    values = [{**r, "last_run_id": run_id, "origin": origin} for r in unique]
    return _upsert(session, SalaryObservation, values, key)


def upsert_price_index(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    unique = {(r["series_id"], r["period"]): r for r in rows}.values()
    return _upsert(session, PriceIndex, list(unique), ("series_id", "period"))


def close_missing_postings(
    session: Session, source: str, run_id: str, closed_at: datetime | None = None
) -> int:
    """Postings of ``source`` not seen in this complete crawl have closed."""
    result = session.execute(
        update(JobPostingRecord)
        .where(
            JobPostingRecord.source == source,
            JobPostingRecord.status == "open",
            JobPostingRecord.last_run_id != run_id,
        )
        .values(status="closed", closed_at=closed_at or utcnow())
    )
    return result.rowcount or 0


DEDUPE_FIELDS = (
    "source",
    "source_id",
    "company",
    "company_parent",
    "title",
    "location_raw",
    "description",
    "url",
    "city",
    "state",
    "annual_min_usd",
    "annual_max_usd",
)


def postings_for_dedupe(session: Session) -> list[dict[str, Any]]:
    """Open postings with the fields ``pipeline.dedupe.assign_clusters`` compares."""
    columns = [
        JobPostingRecord.id,
        *(getattr(JobPostingRecord, f) for f in DEDUPE_FIELDS),
        JobPostingRecord.cluster_id,
    ]
    rows = session.execute(select(*columns).where(JobPostingRecord.status == "open"))
    return [dict(row._mapping) for row in rows]


def set_clusters(
    session: Session, postings: Sequence[dict[str, Any]], clusters: dict[tuple[str, str], str]
) -> int:
    """Write changed cluster ids (ORM bulk UPDATE by primary key); returns how many changed."""
    changes = [
        {"id": p["id"], "cluster_id": clusters[(p["source"], p["source_id"])]}
        for p in postings
        if clusters.get((p["source"], p["source_id"])) not in (None, p["cluster_id"])
    ]
    for batch in _batches(changes, 2_000):
        session.execute(update(JobPostingRecord), list(batch))
    return len(changes)


def upsert_fx_rates(session: Session, rows: Sequence[dict[str, Any]]) -> int:
    unique = {(r["currency"], r["rate_date"]): r for r in rows}.values()
    return _upsert(session, FxRate, list(unique), ("currency", "rate_date"))


def stored_rates(session: Session) -> list[fx.Rate]:
    """Exchange rates stored by earlier runs."""
    return [
        fx.Rate(r.currency, r.rate_date, r.usd_per_unit, r.source)
        for r in session.scalars(select(FxRate))
    ]
