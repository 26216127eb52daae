"""Staged feeds into the database: clean, store, and record them in the ledger.

The Prefect flow uses these steps as tasks; ``secjobs store`` and ``secjobs crawl --store``
(a crawler on another machine, storing into the shared database) call ``ingest_feeds``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy.orm import Session

from pipeline.clean import Cleaned
from pipeline.db import session_factory, upgrade
from pipeline.ledger import Feed, mark_stored
from pipeline.parallel import clean_feeds
from pipeline.store import (
    finish_run,
    quarantine,
    start_run,
    stored_rates,
    upsert_fx_rates,
    upsert_observations,
    upsert_postings,
    upsert_price_index,
)


def store_cleaned(
    session: Session,
    cleaned: Cleaned,
    run_id: str,
    feeds: Sequence[Feed],
    feed_counts: dict[str, int],
) -> dict[str, Any]:
    """Upsert every kind of cleaned row, quarantine the rest, and mark the feeds stored, in
    the caller's transaction."""
    counts = {
        "postings_stored": upsert_postings(session, cleaned.postings, run_id),
        "salary_observations": upsert_observations(session, cleaned.observations, run_id),
        "price_index_values": upsert_price_index(session, cleaned.price_index),
        "fx_rates": upsert_fx_rates(session, cleaned.fx_rates),
        "quarantined": quarantine(session, cleaned.quarantined, run_id),
        "quarantine_reasons": dict(cleaned.reasons),
        "pay_flags": dict(Counter(r["pay_flag"] for r in cleaned.postings if r["pay_flag"])),
    }
    mark_stored(session, ((f, feed_counts.get(f.key, 0)) for f in feeds), run_id)
    return counts


def ingest_feeds(database_url: str, feeds: Sequence[Feed], run_id: str) -> dict[str, Any]:
    """Store staged feeds as one run of their own (no crawl): one transaction for the data."""
    upgrade(database_url)
    factory = session_factory(database_url)
    with factory.begin() as session:
        start_run(session, run_id)
        known_rates = stored_rates(session)
    cleaned, feed_counts = clean_feeds(feeds, known_rates)
    counts: dict[str, Any] = {}
    status = "failed"
    try:
        with factory.begin() as session:
            counts = store_cleaned(session, cleaned, run_id, feeds, feed_counts)
        status = "completed"
    finally:
        with factory.begin() as session:
            finish_run(session, run_id, status, {**counts, "feeds": len(feeds)})
    return counts
