"""Staged feeds into the database: clean, store, and record them in the ledger.

One storing path: ``store_feeds`` cleans feeds and stores them in the caller's transaction.
The Prefect flow's store task calls it in the run's transaction (beside the crawls' records);
``secjobs store`` and ``secjobs crawl --store`` (a crawler on another machine, storing into the
shared database) call ``ingest_feeds``, which wraps it in a run of its own.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from operator import itemgetter
from typing import Any

from sqlalchemy.orm import Session

from pipeline.boards import Outcome, add_discovered, record_listings, record_outcomes
from pipeline.clean import Cleaned
from pipeline.db import session_factory, upgrade
from pipeline.ledger import Feed, mark_stored
from pipeline.origin import LIVE, check_records, claim_database
from pipeline.parallel import clean_feed_parts
from pipeline.store import (
    finish_run,
    quarantine,
    start_run,
    stored_rates,
    upsert_fx_rates,
    upsert_observations,
    upsert_postings,
    upsert_price_index,
    utcnow,
)

_KEY, _PAY_FLAG = itemgetter("source", "source_id"), itemgetter("pay_flag")


def store_cleaned(
    session: Session,
    parts: Iterable[Cleaned],
    run_id: str,
    feeds: Sequence[Feed],
    feed_counts: dict[str, int],
    seen_at: datetime | None = None,
    origin: str = LIVE,
) -> dict[str, Any]:
    """Upsert every kind of cleaned row, quarantine the rest, and mark the feeds stored, in
    the caller's transaction.

    ``parts``: the run's cleaned rows, whole or in parts (``clean_feed_parts``); each
    part's postings are written as it arrives, which stores what the cleaning workers have
    done while they do the rest. A posting seen again in a later part updates the row the
    earlier one wrote, as within a part the last one seen wins.

    ``origin``: the run's, sandbox or live (pipeline.origin). Records stamped with the
    other one, or a database holding the other kind, are refused with ``MixedOrigins``
    before anything of theirs is written (records without a stamp are taken as the run's).
    """
    seen_at = seen_at or utcnow()
    rest = Cleaned()
    posting_keys: set[tuple[str, str]] = set()
    pay_flags: Counter = Counter()
    claim_database(session, origin, run_id)
    for part in parts:
        check_records(part.origins, origin)
        # Stored as it arrives (in batches, if large): once the workers are done, only the
        # last part is left to store, not a batch gathered from several.
        upsert_postings(session, part.postings, run_id, seen_at, origin)
        posting_keys.update(map(_KEY, part.postings))  # map and itemgetter run in C
        pay_flags.update(filter(None, map(_PAY_FLAG, part.postings)))
        rest.extend(replace(part, postings=[]))
    counts = {
        "postings_stored": len(posting_keys),
        "salary_observations": upsert_observations(session, rest.observations, run_id, origin),
        "price_index_values": upsert_price_index(session, rest.price_index),
        "fx_rates": upsert_fx_rates(session, rest.fx_rates),
        # Discoveries first: a board found linked in this run may be checked in it too.
        "boards_discovered": add_discovered(session, rest.board_links, seen_at),
        "board_checks": record_outcomes(
            session, [Outcome(**check) for check in rest.board_checks], seen_at
        ),
        # After the postings and checks: an unchanged board's postings are refreshed.
        **record_listings(
            session, rest.board_listings, rest.board_checks, run_id, seen_at
        ).as_dict(),
        "quarantined": quarantine(session, rest.quarantined, run_id, seen_at),
        "quarantine_reasons": dict(rest.reasons),
        "pay_flags": dict(pay_flags),
    }
    mark_stored(session, ((f, feed_counts.get(f.key, 0)) for f in feeds), run_id)
    return counts


def store_feeds(
    session: Session, feeds: Sequence[Feed], run_id: str, origin: str = LIVE
) -> dict[str, Any]:
    """Clean ``feeds`` (on worker processes, with the rates stored so far) and store them as
    they are cleaned, in the caller's transaction. The one storing path: a pipeline run's
    store task and ``ingest_feeds`` both call it."""
    parts, feed_counts = clean_feed_parts(feeds, stored_rates(session))
    return store_cleaned(session, parts, run_id, feeds, feed_counts, origin=origin)


def ingest_feeds(
    database_url: str, feeds: Sequence[Feed], run_id: str, origin: str = LIVE
) -> dict[str, Any]:
    """Store staged feeds as one run of their own (no crawl): one transaction for the data.
    ``origin``: sandbox or live, the feeds' and the database's (else ``MixedOrigins``)."""
    upgrade(database_url)
    factory = session_factory(database_url)
    with factory.begin() as session:
        claim_database(session, origin)
        start_run(session, run_id, origin=origin)
    counts: dict[str, Any] = {}
    status = "failed"
    try:
        with factory.begin() as session:
            counts = store_feeds(session, feeds, run_id, origin)
        status = "completed"
    finally:
        with factory.begin() as session:
            finish_run(session, run_id, status, {**counts, "feeds": len(feeds)})
    return counts
