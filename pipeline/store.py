"""Writes to the database: dialect-aware batched upserts, quarantine, run bookkeeping.

Functions take a ``session``; the caller owns the transaction
(``with factory.begin() as session: ...``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from itertools import repeat
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


def _insert(session: Session, model):
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        return postgresql.insert(model)
    if dialect == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"upserts are written for sqlite and postgresql, not {dialect}")


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
    value in every row (a run id, a timestamp), given once instead of copied into each row.

    A Core statement on the table, executed with many parameter sets per round trip (SQLite:
    one DB-API ``executemany``; PostgreSQL: "insertmanyvalues" pages) and compiled once.
    Not the ORM-enabled statement on the model: its bulk insert leaves each row's None
    values out, so rows with different None columns became separate statements (thousands
    for one run's postings). Callers pass one row per key.
    """
    if not values:
        return 0
    constants = constants or {}
    core = _as_core_rows(model.__table__, values, constants)
    stmt = _insert(session, model.__table__ if core else model)
    set_ = {c: stmt.excluded[c] for c in (*values[0], *constants) if c not in (*key, *keep)}
    set_.update(also or {})
    stmt = stmt.on_conflict_do_update(index_elements=list(key), set_=set_)
    if core and session.get_bind().dialect.name == "sqlite":
        _executemany(session, stmt, *core)
        return len(values)
    rows, constants = core or (values, constants)  # without core rows, the ORM's statement
    for batch in _batches(rows):
        session.execute(stmt, [{**r, **constants} for r in batch] if constants else batch)
    return len(values)


def _executemany(
    session: Session, stmt, rows: list[dict[str, Any]], constants: dict[str, Any]
) -> None:
    """``session.execute(stmt, [{**row, **constants} for row in rows])`` on SQLite, where
    that is one DB-API ``executemany``: the same statement and the same bound values,
    prepared in one pass over the rows instead of SQLAlchemy's per-row parameter processing,
    which cost more than SQLite's insert."""
    connection = session.connection()
    dialect = connection.dialect
    first = {**rows[0], **constants}
    compiled = stmt.compile(dialect=dialect, column_keys=list(first))
    names = list(compiled.positiontup or ())
    if not compiled.positional or compiled.insert_prefetch or compiled.update_prefetch:
        for batch in _batches(rows):  # defaults SQLAlchemy computes per row: let it
            session.execute(stmt, [{**r, **constants} for r in batch])
        return
    literals = compiled.construct_params(first)
    binds = []
    for name in names:
        process = compiled.binds[name].type.dialect_impl(dialect).bind_processor(dialect)
        if name in constants or name not in rows[0]:
            # a constant, or a literal of the statement (the 1 of "times_seen + 1")
            value = constants[name] if name in constants else literals[name]
            binds.append((None, None, process(value) if process else value))
        else:
            binds.append((name, process, None))
    for batch in _batches(rows):
        connection.exec_driver_sql(compiled.string, _driver_params(batch, binds))


def _driver_params(batch: Sequence[dict[str, Any]], binds: list[tuple]) -> list[tuple]:
    """Each row's bound values in statement order. Built a column at a time with ``map`` and
    ``zip``, which run in C, instead of a Python expression per value (a quarter of the
    store's time at 50,000 postings)."""
    columns = []
    for name, process, constant in binds:
        if name is None:
            columns.append(repeat(constant, len(batch)))
        else:
            values = map(itemgetter(name), batch)
            columns.append(map(process, values) if process else values)
    return list(zip(*columns, strict=True))


def _as_core_rows(
    table, values: list[dict[str, Any]], constants: dict[str, Any]
) -> tuple[list[dict[str, Any]], dict[str, Any]] | None:
    """``values`` and ``constants`` with what the ORM would store for a None: the column's
    scalar default (the ORM leaves the None out, so the default applies). None when the rows
    do not all have the same columns, or hold a None that only the ORM or the server would
    fill."""
    columns = values[0].keys()
    if any(row.keys() != columns for row in values):
        return None
    fill, unknown = {}, []
    for column in table.columns:
        if column.key not in columns | constants.keys() or column.type.should_evaluate_none:
            continue  # a JSON None is stored as JSON null either way
        if column.default is not None and column.default.is_scalar:
            fill[column.key] = column.default.arg
        elif column.default is not None or column.server_default is not None:
            unknown.append(column.key)
    if any(constants.get(c, "") is None for c in unknown):
        return None
    constants = {c: fill[c] if v is None and c in fill else v for c, v in constants.items()}
    unknown = [c for c in unknown if c in columns]
    if any(row[c] is None for row in values for c in unknown):
        return None
    fill = {c: v for c, v in fill.items() if c in columns}
    if not any(row[c] is None for row in values for c in fill):
        return values, constants
    rows = [
        {**row, **{c: v for c, v in fill.items() if row[c] is None}}
        if any(row[c] is None for c in fill)
        else row
        for row in values
    ]
    return rows, constants


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
    stmt = _insert(session, PipelineRun).values(
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
    stmt = _insert(session, SourceCrawl).values(values)
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
