"""Storage on SQLite and on the real PostgreSQL server: migrations, upserts, quarantine."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

from pipeline.baselines import load_baselines
from pipeline.db import compare_type, make_engine, session_factory, upgrade
from pipeline.models import (
    Base,
    Baseline,
    JobPostingRecord,
    PriceIndex,
    QuarantineRecord,
    SalaryObservation,
)
from pipeline.observations import clean_observation, clean_price_index
from pipeline.postings import clean_posting
from pipeline.store import (
    close_missing_postings,
    count_rows,
    postings_for_dedupe,
    quarantine,
    set_clusters,
    sync_baselines,
    upsert_observations,
    upsert_postings,
    upsert_price_index,
)


def posting(source_id: str, title: str = "Cybersecurity Manager") -> dict:
    return clean_posting(
        {
            "kind": "job_posting",
            "source": "greenhouse",
            "url": f"https://x.example/{source_id}",
            "jobPostingId": source_id,
            "jobTitle": title,
            "baseSalary": {"raw": "$120,000 - $150,000 USD"},
            "payOrigin": "posted",
        }
    )


def test_migrations_match_the_models(database_url):
    upgrade(database_url)
    engine = make_engine(database_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": compare_type})
        diff = compare_metadata(context, Base.metadata)
    engine.dispose()
    assert diff == []


def test_upsert_is_idempotent_and_keeps_first_seen(database_url):
    upgrade(database_url)
    factory = session_factory(database_url)
    day1 = datetime(2026, 11, 1, tzinfo=UTC)
    with factory.begin() as session:
        upsert_postings(session, [posting("1"), posting("2"), posting("2")], "r1", seen_at=day1)
    with factory.begin() as session:
        upsert_postings(
            session,
            [posting("1", "Senior Cybersecurity Manager"), posting("2")],
            "r2",
            seen_at=day1 + timedelta(days=1),
        )
    with factory() as session:
        assert count_rows(session, JobPostingRecord) == 2
        first = session.scalars(
            sa.select(JobPostingRecord).where(JobPostingRecord.source_id == "1")
        ).one()
        assert first.title == "Senior Cybersecurity Manager"
        assert first.first_seen.replace(tzinfo=UTC) == day1
        assert first.last_seen.replace(tzinfo=UTC) == day1 + timedelta(days=1)
        assert first.last_run_id == "r2"
        assert first.annual_min_usd == 120_000


def test_json_columns_cleaned_as_text_read_back_as_json(database_url):
    row = clean_posting(
        {
            "kind": "job_posting",
            "source": "lever",
            "url": "https://x.example/7",
            "jobTitle": "Information Security Manager",
            "jobLocation": [{"raw": "Austin, TX"}, {"raw": "Remote - US"}],
            "description": "CISSP required. Bachelor's degree and 5+ years of experience.",
        }
    )
    assert type(row["locations"]) is bytes  # serialized once, by the cleaner
    upgrade(database_url)
    factory = session_factory(database_url)
    with factory.begin() as session:
        upsert_postings(session, [row], "r1")
    with factory() as session:
        stored = session.scalars(sa.select(JobPostingRecord)).one()
        assert [place["city"] for place in stored.locations] == ["Austin", None]
        assert stored.requirements["certifications"] == ["CISSP"]
        assert stored.requirements["years_experience"] == 5
        # JSON objects, not JSON strings holding them
        kinds = session.execute(
            sa.select(sa.func.json_type(JobPostingRecord.requirements))
            if session.get_bind().dialect.name == "sqlite"
            else sa.select(sa.func.json_typeof(JobPostingRecord.requirements))
        ).scalar_one()
        assert kinds == "object"


def test_quarantine_counts_repeats_instead_of_duplicating(database_url):
    upgrade(database_url)
    factory = session_factory(database_url)
    bad = {
        "source": "careers",
        "fingerprint": "f" * 64,
        "stage": "crawl",
        "reason": "page_failure:no_jsonld",
        "detail": "0 JSON-LD blocks",
        "payload": '{"url": "https://x.example/1"}',
    }
    for run in ("r1", "r2", "r3"):
        with factory.begin() as session:
            quarantine(session, [bad], run)
    with factory() as session:
        [kept] = session.scalars(sa.select(QuarantineRecord)).all()
        assert (kept.times_seen, kept.last_run_id, kept.reason) == (
            3,
            "r3",
            "page_failure:no_jsonld",
        )


def test_baselines_sync_is_idempotent(database_url):
    upgrade(database_url)
    factory = session_factory(database_url)
    for _ in range(2):
        with factory.begin() as session:
            sync_baselines(session, load_baselines())
    with factory() as session:
        values = {
            (b.source, b.metric, b.geography): b.value for b in session.scalars(sa.select(Baseline))
        }
    assert values == {
        ("comparably", "average", "US"): 117_580,
        ("comparably", "average", "San Francisco, CA"): 172_000,
        ("ziprecruiter", "average", "US"): 136_625,
        ("ziprecruiter", "high", "US"): 171_000,
        ("glassdoor", "average", "US"): 122_730,
        ("glassdoor", "high", "US"): 191_000,
    }


def test_failed_transaction_leaves_stored_rows_intact(database_url):
    """A crash mid-store rolls back the whole batch: nothing half-written, nothing lost."""
    upgrade(database_url)
    factory = session_factory(database_url)
    with factory.begin() as session:
        upsert_postings(session, [posting("1")], "r1")
    try:
        with factory.begin() as session:
            upsert_postings(session, [posting("1", "Changed"), posting("3")], "r2")
            raise RuntimeError("crash mid-run")
    except RuntimeError:
        pass
    with factory() as session:
        rows = session.scalars(sa.select(JobPostingRecord)).all()
        assert [(r.source_id, r.title) for r in rows] == [("1", "Cybersecurity Manager")]


def test_postings_missing_from_a_complete_crawl_are_closed_and_reopen(database_url):
    upgrade(database_url)
    factory = session_factory(database_url)
    with factory.begin() as session:
        upsert_postings(session, [posting("1"), posting("2")], "r1")
    with factory.begin() as session:
        upsert_postings(session, [posting("1")], "r2")
        assert close_missing_postings(session, "greenhouse", "r2") == 1
    with factory() as session:
        status = dict(
            session.execute(sa.select(JobPostingRecord.source_id, JobPostingRecord.status)).all()
        )
        assert status == {"1": "open", "2": "closed"}
    with factory.begin() as session:
        upsert_postings(session, [posting("2")], "r3")  # re-posted: open again
    with factory() as session:
        reopened = session.scalars(
            sa.select(JobPostingRecord).where(JobPostingRecord.source_id == "2")
        ).one()
        assert (reopened.status, reopened.closed_at) == ("open", None)


def test_observations_and_price_index_upsert(database_url):
    upgrade(database_url)
    factory = session_factory(database_url)
    figure = clean_observation(
        {
            "source": "comparably",
            "url": "https://www.comparably.com/salaries/x",
            "roleQuery": "cybersecurity manager",
            "geography": "US",
            "metric": "average",
            "value": 131_000,
            "currency": "USD",
            "period": "year",
            "raw": "$131,000",
            "scrapedAt": "2026-11-25T10:00:00+00:00",
        }
    )
    cpi = clean_price_index(
        {
            "seriesId": "CUUR0000SA0",
            "period": "2022-01",
            "value": 281.148,
            "url": "https://download.bls.gov/pub/time.series/cu/",
        }
    )
    for run in ("r1", "r2"):
        with factory.begin() as session:
            upsert_observations(session, [figure], run)
            upsert_price_index(session, [cpi])
    with factory() as session:
        [stored] = session.scalars(sa.select(SalaryObservation)).all()
        assert (stored.value, str(stored.observed_on), stored.last_run_id) == (
            131_000,
            "2026-11-25",
            "r2",
        )
        [index] = session.scalars(sa.select(PriceIndex)).all()
        assert (str(index.period), index.value) == ("2022-01-01", 281.148)


def test_cluster_ids_written_only_where_changed(database_url):
    upgrade(database_url)
    factory = session_factory(database_url)
    with factory.begin() as session:
        upsert_postings(session, [posting("1"), posting("2"), posting("3")], "r1")
    with factory.begin() as session:
        postings = postings_for_dedupe(session)
        clusters = {("greenhouse", "1"): "a", ("greenhouse", "2"): "a", ("greenhouse", "3"): "b"}
        assert set_clusters(session, postings, clusters) == 3
    with factory.begin() as session:
        postings = postings_for_dedupe(session)
        assert {p["source_id"]: p["cluster_id"] for p in postings} == {"1": "a", "2": "a", "3": "b"}
        assert set_clusters(session, postings, clusters) == 0  # idempotent


def test_fx_rates_upsert_and_read_back(database_url):
    from datetime import date

    from pipeline.store import stored_rates, upsert_fx_rates

    upgrade(database_url)
    factory = session_factory(database_url)
    row = {
        "currency": "EUR",
        "rate_date": date(2026, 10, 30),
        "usd_per_unit": 1.0912,
        "source": "ECB euro foreign exchange reference rates",
    }
    for value in (1.0912, 1.0915):  # a corrected fixing replaces the old one
        with factory.begin() as session:
            upsert_fx_rates(session, [{**row, "usd_per_unit": value}])
    with factory() as session:
        [rate] = stored_rates(session)
    assert (rate.currency, rate.date, rate.usd_per_unit) == ("EUR", date(2026, 10, 30), 1.0915)


def test_rows_differing_in_none_columns_share_one_executemany(database_url):
    """The store's speed rests on SQLAlchemy sending a list of parameter dictionaries as
    one DB-API executemany, a None bound as NULL in the same batch (not a statement per
    pattern of None columns, as the ORM's bulk insert does without ``render_nulls``)."""
    upgrade(database_url)
    factory = session_factory(database_url)
    engine = factory.kw["bind"]
    rows = [posting("1"), posting("2"), posting("3")]
    rows[1] |= {"company": "Acme", "pay_raw": None, "date_posted": None}
    rows[2] |= {"company": None, "locations": None, "annual_min_usd": None}
    inserts = []

    def count(_conn, _cursor, statement, parameters, _context, executemany):
        if statement.startswith("INSERT INTO job_posting"):
            inserts.append((executemany, len(parameters)))

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        with factory.begin() as session:
            assert upsert_postings(session, rows, "r1") == 3
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
    assert inserts == [(True, 3)]
    with factory() as session:
        stored = {r.source_id: r for r in session.scalars(sa.select(JobPostingRecord)).all()}
        assert (stored["2"].company, stored["2"].pay_raw, stored["2"].date_posted) == (
            "Acme",
            None,
            None,
        )
        assert (stored["3"].company, stored["3"].annual_min_usd) == (None, None)
        assert stored["1"].annual_min_usd == 120_000
        assert {r.status for r in stored.values()} == {"open"}


def test_a_none_where_a_column_has_a_default_stores_the_default(database_url):
    upgrade(database_url)
    factory = session_factory(database_url)
    figure = clean_observation(
        {
            "source": "comparably",
            "url": "https://www.comparably.com/salaries/x",
            "roleQuery": "cybersecurity manager",
            "geography": "US",
            "metric": "average",
            "value": 131_000,
            "currency": "USD",
            "scrapedAt": "2026-11-25T10:00:00+00:00",
        }
    )
    estimate = {**figure, "geography": "Austin, TX", "is_estimate": True}
    unknown = {**figure, "geography": "Denver, CO", "is_estimate": None}
    with factory.begin() as session:
        upsert_observations(session, [figure, estimate, unknown], "r1")
    with factory.begin() as session:  # seen again: the update takes the default too
        upsert_observations(session, [{**estimate, "is_estimate": None}], "r2")
    with factory() as session:
        stored = dict(
            session.execute(
                sa.select(SalaryObservation.geography, SalaryObservation.is_estimate)
            ).all()
        )
    assert stored == {"US": False, "Austin, TX": False, "Denver, CO": False}


def test_rows_naming_different_columns_are_all_stored_whole(database_url):
    """One executemany takes its columns from the first row: a later row's extra column
    must not be dropped."""
    upgrade(database_url)
    factory = session_factory(database_url)
    url = "https://download.bls.gov/pub/time.series/cu/"
    rows = [
        {"series_id": "CUUR0000SA0", "period": date(2022, 1, 1), "value": 281.148},
        {
            "series_id": "CUUR0000SA0",
            "period": date(2022, 2, 1),
            "value": 283.716,
            "source_url": url,
        },
    ]
    with factory.begin() as session:
        assert upsert_price_index(session, rows) == 2
    with factory() as session:
        stored = dict(session.execute(sa.select(PriceIndex.period, PriceIndex.source_url)).all())
    assert stored == {date(2022, 1, 1): None, date(2022, 2, 1): url}


def _stored_postings(session) -> list[tuple]:
    columns = [c for c in JobPostingRecord.__table__.columns if c.key != "id"]
    return [tuple(r) for r in session.execute(sa.select(*columns).order_by("source_id"))]


def test_the_hand_built_store_path_stores_what_sqlalchemy_stores(database_url, monkeypatch):
    # pipeline.store._executemany (issue #18) against SQLAlchemy's own executemany of the
    # same statement and rows: dates, datetimes, JSON (documents, lists, null), floats,
    # NULLs and the run's constants, on both databases.
    import pipeline.store as store

    rows = [
        posting("a"),
        posting("b", "Director of Information Security"),
        clean_posting(
            {
                "kind": "job_posting",
                "source": "greenhouse",
                "url": "https://x.example/c",
                "jobPostingId": "c",
                "jobTitle": "IAM Manager",
                "datePublished": "2026-11-30",
                "jobLocation": [{"raw": "San Francisco, CA"}, {"raw": "Remote - US"}],
                "description": "## Requirements\n- CISSP or CISM\n- Bachelor's degree",
                "baseSalary": {"valueMin": 21.5, "valueMax": 24.0, "currency": "USD"},
            }
        ),
    ]
    seen = datetime(2026, 12, 3, 17, 0, 0, tzinfo=UTC)
    upgrade(database_url)
    stored = []
    for way in ("hand-built", "sqlalchemy"):
        if way == "sqlalchemy":
            monkeypatch.setattr(
                store,
                "_executemany",
                lambda session, stmt, rows, constants: session.execute(
                    stmt, [{**row, **constants} for row in rows]
                ),
            )
        with session_factory(database_url).begin() as session:
            session.execute(sa.delete(JobPostingRecord))
            upsert_postings(session, rows, "r1", seen_at=seen)
            upsert_postings(session, rows[:1], "r2", seen_at=seen + timedelta(days=1))
        with session_factory(database_url)() as session:
            stored.append(_stored_postings(session))
    assert len(stored[0]) == 3
    assert stored[0] == stored[1]


def test_the_hand_built_path_with_one_or_no_column_of_the_rows_own(database_url):
    # Rows naming one column (itemgetter of one key gives a value, not a tuple) or none,
    # the rest given once as constants: every row stored, each with the constants.
    from pipeline.models import FxRate
    from pipeline.store import _executemany, dialect_insert

    upgrade(database_url)
    constants = {"rate_date": date(2026, 12, 1), "usd_per_unit": 1.08, "source": "ecb"}
    with session_factory(database_url).begin() as session:
        session.execute(sa.delete(FxRate))
        stmt = dialect_insert(session, FxRate)
        _executemany(session, stmt, [{"currency": "EUR"}, {"currency": "GBP"}], constants)
        _executemany(session, stmt, [{}], {**constants, "currency": "CHF"})
    with session_factory(database_url)() as session:
        stored = session.execute(
            sa.select(
                FxRate.currency, FxRate.rate_date, FxRate.usd_per_unit, FxRate.source
            ).order_by(FxRate.currency)
        ).all()
    assert [tuple(r) for r in stored] == [
        ("CHF", date(2026, 12, 1), 1.08, "ecb"),
        ("EUR", date(2026, 12, 1), 1.08, "ecb"),
        ("GBP", date(2026, 12, 1), 1.08, "ecb"),
    ]
