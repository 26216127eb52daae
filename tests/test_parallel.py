"""Cleaning on several processes gives what cleaning in one gives, in the same order."""

from __future__ import annotations

import json
import multiprocessing
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import parallel
from pipeline.clean import Cleaned, clean_one, clean_records, is_rate
from pipeline.db import session_factory, upgrade
from pipeline.ingest import ingest_feeds, store_cleaned
from pipeline.ledger import feed_at
from pipeline.models import JobPostingRecord
from pipeline.parallel import clean_feed_parts, clean_feeds
from pipeline.staging import parse_line, read_staged, staged_lines
from tests.spiders.crawl import run_crawl

# A rate whose kind is spelled with a JSON escape, and pay in its currency: the posting is
# converted only if the rate is found before the workers start.
ESCAPED_RATE = (
    '{"kind": "fx\\u005frate", "currency": "GBP", "date": "2026-01-02", '
    '"usdPerUnit": 1.25, "raw": "test rate"}'
)
POUND_POSTING = {
    "kind": "job_posting",
    "source": "remotive",
    "url": "https://remotive.example/jobs/1",
    "jobPostingId": "uk-1",
    "jobTitle": "Information Security Manager",
    "datePublished": "2026-01-10",
    "payOrigin": "posted",
    "baseSalary": {"raw": "£70,000 - £80,000 per year"},
}
DAMAGED_LINES = [
    b'{"kind": "job_posting", "source": "remotive", "url": "https://r/2", "jobTitle": "CISO"',
    b"\xff\xfe not utf-8",
    b"[1, 2, 3]",
    b"",
    ESCAPED_RATE.encode(),
    json.dumps(POUND_POSTING, ensure_ascii=False).encode(),
    b'{"kind": "page_failure", "source": "remotive", "reason": "blocked_403", "url": "u"}',
    b"   ",
]


@pytest.fixture(scope="module")
def staged_feeds(tmp_path_factory) -> list[Path]:
    """Real greenhouse and lever crawls of the sandbox, and a feed of damaged lines."""
    from sandbox.generator import Market
    from sandbox.server import running_sandbox

    root = tmp_path_factory.mktemp("parallel")
    staging = root / "staging"
    with running_sandbox(Market(size=150)) as url:
        for spider in ("greenhouse", "lever"):
            crawl = run_crawl(spider, url, staging)
            assert crawl.items, crawl.log_tail
    damaged = staging / "remotive" / "t1.jsonl"
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(b"\n".join(DAMAGED_LINES) + b"\n")
    return sorted(staging.glob("*/t1.jsonl"))


def _in_one_process(paths: list[Path]):
    return clean_records([r for path in paths for r in read_staged(path)])


@pytest.mark.parametrize("start_method", ["fork", "forkserver"])
def test_workers_clean_what_one_process_cleans_in_the_same_order(
    staged_feeds, monkeypatch, start_method
):
    monkeypatch.setattr(parallel, "_context", lambda: multiprocessing.get_context(start_method))
    feeds = [feed_at(path) for path in staged_feeds]
    cleaned, counts = clean_feeds(feeds, workers=2, chunk_bytes=3_000)
    expected = _in_one_process(staged_feeds)
    assert len(cleaned.postings) > 80
    assert cleaned == expected
    assert counts == {
        feed.key: sum(1 for line in feed.path.read_bytes().splitlines() if line.strip())
        for feed in feeds
    }


def test_a_rate_spelled_with_escapes_converts_this_runs_pay(staged_feeds):
    cleaned, _ = clean_feeds([feed_at(path) for path in staged_feeds], workers=2, chunk_bytes=1)
    [pound] = [p for p in cleaned.postings if p["source_id"] == "uk-1"]
    assert pound["annual_min_usd"] == 70_000 * 1.25
    assert str(pound["fx_rate_date"]) == "2026-01-02"
    assert [r["currency"] for r in cleaned.fx_rates] == ["GBP"]


def test_damaged_lines_are_quarantined_with_their_reasons(staged_feeds):
    cleaned, counts = clean_feeds([feed_at(path) for path in staged_feeds], workers=2)
    assert counts["remotive/t1.jsonl"] == 6  # blank lines are not records
    assert dict(cleaned.reasons) == {
        "malformed_json": 1,
        "bad_encoding": 1,
        "not_an_object": 1,
        "page_failure:blocked_403": 1,
    }


def test_one_worker_cleans_in_this_process(staged_feeds, monkeypatch):
    def no_pool(*args, **kwargs):
        raise AssertionError("no worker process should start")

    monkeypatch.setattr(parallel, "ProcessPoolExecutor", no_pool)
    cleaned, _ = clean_feeds([feed_at(path) for path in staged_feeds], workers=1)
    assert cleaned == _in_one_process(staged_feeds)


def test_ingest_stores_a_feed_cleaned_on_workers(staged_feeds, tmp_path, monkeypatch):
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    counts = ingest_feeds(
        f"sqlite:///{tmp_path / 'x.db'}",
        [feed_at(p) for p in staged_feeds],
        "ingest-1",
        origin="sandbox",  # crawled from the sandbox
    )
    assert counts["postings_stored"] == len(_in_one_process(staged_feeds).postings)
    assert counts["quarantine_reasons"]["malformed_json"] == 1


def _stored(url: str) -> list[dict]:
    engine = sa.create_engine(url)
    with engine.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(sa.select(JobPostingRecord.__table__))]
    engine.dispose()
    return sorted(rows, key=lambda r: r["id"])


def test_storing_parts_as_they_come_stores_what_storing_them_at_once_does(staged_feeds, tmp_path):
    """Parts written as the workers clean them: a posting seen again in a later part
    updates the row, as the last one seen wins within a part."""
    greenhouse = next(p for p in staged_feeds if p.parent.name == "greenhouse")
    records = map(json.loads, greenhouse.read_text().splitlines())
    first = next(r for r in records if r["kind"] == "job_posting")
    again = tmp_path / "staging" / "greenhouse" / "t2.jsonl"
    again.parent.mkdir(parents=True)
    again.write_text(json.dumps({**first, "jobTitle": "Director of Security Operations"}) + "\n")
    feeds = [feed_at(p) for p in [*staged_feeds, again]]
    seen_at = datetime(2026, 1, 5, tzinfo=UTC)
    results = {}
    for how in ("parts", "whole"):
        url = f"sqlite:///{tmp_path / how}.db"
        upgrade(url)
        with session_factory(url).begin() as session:
            if how == "parts":
                parts, counts = clean_feed_parts(feeds, workers=2, chunk_bytes=5_000)
            else:
                cleaned, counts = clean_feeds(feeds, workers=1)
                parts = [cleaned]
            results[how] = store_cleaned(
                session, parts, "r1", feeds, counts, seen_at, origin="sandbox"
            )
        results[how]["rows"] = _stored(url)
    assert results["parts"] == results["whole"]
    rows = results["parts"]["rows"]
    assert results["parts"]["postings_stored"] == len(rows) > 80
    [row] = [r for r in rows if r["source_id"] == str(first["jobPostingId"])]
    assert row["title"] == "Director of Security Operations"


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(
        st.sampled_from(
            [b'{"a": 1}', b"x", b" ", b"\t", b"\r", b"\n", b"\n", b"\x0b", b"\x0c", b"\xff"]
            + [b"\\u", b'{"kind": "fx_rate"}', ESCAPED_RATE.encode()]
        ),
        max_size=40,
    ),
    chunk_bytes=st.integers(min_value=1, max_value=30),
)
def test_chunks_cover_every_line_once_with_its_number(tmp_path_factory, pieces, chunk_bytes):
    """Byte ranges found without splitting the feed read back as the feed's own lines,
    numbered as reading it whole numbers them; the record count and the rates agree."""
    path = tmp_path_factory.mktemp("chunks") / "feed.jsonl"
    path.write_bytes(b"".join(pieces))
    rates, expected_rates = Cleaned(), Cleaned()
    chunks, records = parallel._chunks(path, chunk_bytes, rates)
    read = [
        line for _, start, end, first in chunks for line in staged_lines(path, start, end, first)
    ]
    whole = list(staged_lines(path))
    assert read == whole
    assert records == len(whole)
    for line_no, raw in whole:
        if is_rate(record := parse_line(str(path), line_no, raw)):
            clean_one(record, expected_rates, None)
    assert rates == expected_rates
    ends = [0, *(end for _, _, end, _ in chunks)]
    assert [start for _, start, _, _ in chunks] == ends[:-1]
    assert ends[-1] == path.stat().st_size
