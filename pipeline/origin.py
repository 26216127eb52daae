"""Sandbox or live: where a run's data came from, and the rule that the two never meet.

The sandbox job market only ever serves on the loopback interface, so a response from a
loopback address is sandbox data, anything else is the live web. A database holds one kind:
a run of the other kind is refused before it stores anything (``claim_database``), so the
sandbox's generated figures can never pass for live ones in a report.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from pipeline.models import PipelineRun

SANDBOX = "sandbox"
LIVE = "live"
ORIGINS = (LIVE, SANDBOX)
MIXED = "mixed"  # a database holding both, from before they were kept apart
SANDBOX_BANNER = (
    "Sandbox data: generated and recorded pages served on 127.0.0.1, not the live market"
)


class MixedOrigins(RuntimeError):
    """Sandbox data offered to a live database, or live data to a sandbox one."""


def is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() in ("localhost", "localhost.localdomain") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def origin_of_url(url: str | None) -> str:
    """``sandbox`` for a URL on a loopback host, else ``live``."""
    try:
        host = urlsplit(url or "").hostname
    except ValueError:  # a malformed URL is not the sandbox's
        return LIVE
    return SANDBOX if is_loopback(host) else LIVE


def run_origin(sandbox_url: str | None) -> str:
    return SANDBOX if sandbox_url else LIVE


def stored_origins(session: Session, *, except_run: str | None = None) -> dict[str, int]:
    """How many runs of each origin the database holds (``except_run`` left out)."""
    query = select(PipelineRun.origin, func.count()).group_by(PipelineRun.origin)
    if except_run is not None:
        query = query.where(PipelineRun.run_id != except_run)
    return {origin: count for origin, count in session.execute(query)}


def claim_database(
    session: Session, origin: str, run_id: str | None = None, database: str = "the database"
) -> None:
    """Refuse ``origin`` data for a database that holds runs of the other origin (``run_id``,
    the run storing it, left out).

    ``database``: how to name it in the error (a URL without its password)."""
    if origin not in ORIGINS:
        raise ValueError(f"origin must be one of {ORIGINS}, not {origin!r}")
    other = SANDBOX if origin == LIVE else LIVE
    stored = stored_origins(session, except_run=run_id)
    runs = stored.get(other, 0)
    if runs:
        hint = (
            "use the sandbox database (the default for --sandbox: data/sandbox.db, or "
            "SECJOBS_SANDBOX_DATABASE_URL)"
            if origin == SANDBOX
            else "point SECJOBS_DATABASE_URL at a database of live runs"
        )
        if stored.get(origin, 0):
            hint = (
                "it mixes both kinds from before secjobs kept them apart: "
                "`secjobs db drop-sandbox` deletes its sandbox data"
            )
        raise MixedOrigins(
            f"refusing to store {origin} data in {database}, which holds {other} data "
            f"({runs} {other} runs): {hint}"
        )


def check_records(origins: Iterable[str | None], origin: str) -> None:
    """Every record of a run must be of the run's origin (None: not stamped, taken as it)."""
    foreign = {o for o in origins if o is not None and o != origin}
    if foreign:
        raise MixedOrigins(
            f"refusing to store {'/'.join(sorted(foreign))} records in a {origin} run: "
            "a feed crawled from the sandbox (127.0.0.1) cannot be stored as live data, "
            "nor the other way round"
        )


def drop_sandbox_data(session: Session) -> dict[str, int]:
    """Delete what sandbox runs stored in this database (the migration to 0009 marked it):
    for a database that mixes both kinds from before they were kept apart. Price-index
    values and exchange rates are dropped where their URL is on a loopback host."""
    from sqlalchemy import delete, or_

    from pipeline.models import (
        FxRate,
        JobPostingRecord,
        PriceIndex,
        QuarantineRecord,
        SalaryObservation,
        SourceCrawl,
        StagedFeed,
    )

    runs = select(PipelineRun.run_id).where(PipelineRun.origin == SANDBOX)
    loopback = ("http://127.", "https://127.", "http://localhost", "http://[::1]")
    statements = {
        "job_posting": delete(JobPostingRecord).where(JobPostingRecord.origin == SANDBOX),
        "salary_observation": delete(SalaryObservation).where(SalaryObservation.origin == SANDBOX),
        "quarantine": delete(QuarantineRecord).where(QuarantineRecord.last_run_id.in_(runs)),
        "staged_feed": delete(StagedFeed).where(StagedFeed.stored_by_run.in_(runs)),
        "source_crawl": delete(SourceCrawl).where(SourceCrawl.run_id.in_(runs)),
        "price_index": delete(PriceIndex).where(
            or_(*(PriceIndex.source_url.startswith(url) for url in loopback))
        ),
        "fx_rate": delete(FxRate).where(or_(*(FxRate.source.startswith(url) for url in loopback))),
        "pipeline_run": delete(PipelineRun).where(PipelineRun.origin == SANDBOX),
    }
    return {table: session.execute(stmt).rowcount for table, stmt in statements.items()}
