"""The Prefect flow end to end: sandbox -> scrapy crawl subprocesses -> SQLite -> report."""

from __future__ import annotations

import csv
import gzip
import json

import pytest
import sqlalchemy as sa

from pipeline.db import session_factory
from pipeline.ledger import feed_at
from pipeline.models import JobPostingRecord, PipelineRun, QuarantineRecord, SourceCrawl
from pipeline.parallel import clean_feeds
from pipeline.staging import BadLine, read_staged

FAULTS = {
    "/greenhouse/v1/boards/woodgrovebank/jobs": "403",
    "/greenhouse/v1/boards/lamnaenergy/jobs": "malformed",
}


@pytest.fixture(scope="module")
def flow_runs(prefect_harness, tmp_path_factory):
    """Two runs of the whole flow against one sandbox, into one temporary SQLite file."""
    from flows.pipeline import secjobs_pipeline
    from sandbox.generator import Market
    from sandbox.server import running_sandbox

    root = tmp_path_factory.mktemp("flow")
    db = f"sqlite:///{root / 'secjobs.db'}"
    kwargs = {
        "database_url": db,
        "reports_dir": str(root / "reports"),
        "staging_dir": str(root / "staging"),
    }
    with (
        pytest.MonkeyPatch.context() as env,
        running_sandbox(Market(size=120), faults=FAULTS) as url,
    ):
        env.setenv("SECJOBS_HTTPCACHE_DIR", str(root / "httpcache"))  # never the repo's data/
        first = secjobs_pipeline(sandbox_url=url, **kwargs)
        with session_factory(db)() as session:
            postings_after_first = session.scalar(sa.select(sa.func.count(JobPostingRecord.id)))
        second = secjobs_pipeline(sandbox_url=url, **kwargs)
    return {
        "db": db,
        "root": root,
        "first": first,
        "second": second,
        "postings_after_first": postings_after_first,
    }


@pytest.mark.prefect
def test_flow_stores_postings_and_writes_report(flow_runs):
    first, root = flow_runs["first"], flow_runs["root"]
    assert first["postings_stored"] > 50
    statuses = {name: crawl["status"] for name, crawl in first["sources"].items()}
    assert statuses.pop("greenhouse") == "partial"  # one board blocked, one malformed
    assert statuses and set(statuses.values()) == {"ok"}, statuses
    with (root / "reports" / "latest" / "baseline_comparison.csv").open() as handle:
        assert len(list(csv.DictReader(handle))) == 6
    assert (root / "reports" / "latest" / "index.html").read_text().count("<tr>") > 6


@pytest.mark.prefect
def test_flow_prunes_the_http_cache_it_crawled_with(flow_runs):
    # Detail pages with validators were cached by the first run's crawls; all are fresh.
    first, second = flow_runs["first"]["httpcache"], flow_runs["second"]["httpcache"]
    assert first["removed"] == second["removed"] == 0
    assert second["kept"] >= first["kept"] > 0
    assert second["kept"] == len(list((flow_runs["root"] / "httpcache").rglob("pickled_meta")))
    # Every crawl finished, so each removed its job directory: none is left to go stale.
    assert flow_runs["second"]["stale_jobdirs"] == {"removed": 0}
    jobs = flow_runs["root"] / "staging" / ".jobs"
    assert not [p for p in jobs.rglob("*") if p.is_file()]


@pytest.mark.prefect
def test_the_next_run_gzips_the_feeds_a_finished_run_stored(flow_runs):
    first, second = flow_runs["first"]["run_id"], flow_runs["second"]["run_id"]
    staging = flow_runs["root"] / "staging"
    first_feeds = sorted(staging.glob(f"*/{first}.jsonl.gz"))
    assert flow_runs["first"]["stored_feeds"]["compressed"] == 0  # nothing finished before it
    assert flow_runs["second"]["stored_feeds"]["compressed"] == len(first_feeds) > 5
    assert not list(staging.glob(f"*/{first}.jsonl"))
    assert len(list(staging.glob(f"*/{second}.jsonl"))) == len(first_feeds)  # its turn is next
    with gzip.open(first_feeds[0], "rt") as handle:  # the raw crawl, readable as it was
        assert all(json.loads(line)["kind"] for line in handle)


@pytest.mark.prefect
def test_rerun_is_idempotent(flow_runs):
    with session_factory(flow_runs["db"])() as session:
        postings = session.scalar(sa.select(sa.func.count(JobPostingRecord.id)))
        dupes = session.execute(
            sa.select(JobPostingRecord.source, JobPostingRecord.source_id)
            .group_by(JobPostingRecord.source, JobPostingRecord.source_id)
            .having(sa.func.count() > 1)
        ).all()
        quarantined = session.scalars(sa.select(QuarantineRecord)).all()
        runs = session.scalars(sa.select(PipelineRun)).all()
    second = flow_runs["second"]
    # The second run reads no board listed as it was (12 Greenhouse boards, 4 Lever, 4 Ashby,
    # 3 Workable): their postings are seen again without being read (pipeline.boards).
    assert (second["boards_unchanged"], second["boards_unchanged_stale"]) == (23, 0)
    assert (second["postings_stored"], second["postings_refreshed"]) == (357, 83)
    assert postings == flow_runs["postings_after_first"] == 357 + 83
    assert second["postings_closed"] == 0
    assert dupes == []
    assert quarantined and all(q.times_seen == 2 for q in quarantined)
    assert [r.status for r in runs] == ["completed", "completed"]


@pytest.mark.prefect
def test_faults_are_quarantined_and_reported_not_lost(flow_runs):
    with session_factory(flow_runs["db"])() as session:
        reasons = {q.reason: q for q in session.scalars(sa.select(QuarantineRecord))}
        crawl = session.scalars(
            sa.select(SourceCrawl).where(SourceCrawl.source == "greenhouse")
        ).first()
    malformed = reasons["page_failure:malformed_json"]
    assert "lamnaenergy" in json.loads(malformed.payload)["url"]
    assert crawl.status == "partial" and "forbidden" in crawl.reason
    assert crawl.stats["secjobs/blocked/forbidden"] == 1


@pytest.mark.prefect
def test_recorded_pages_without_jobposting_are_quarantined(flow_runs, realdata):
    with session_factory(flow_runs["db"])() as session:
        reasons = {q.reason: q for q in session.scalars(sa.select(QuarantineRecord))}
    assert "didi_global" in json.loads(reasons["page_failure:no_jsonld"].payload)["url"]
    assert "decathlon" in json.loads(reasons["page_failure:malformed_jsonld"].payload)["url"]


def test_malformed_staged_lines_go_to_quarantine_and_the_rest_is_cleaned(tmp_path):
    staged = tmp_path / "greenhouse" / "r1.jsonl"
    staged.parent.mkdir()
    good = {
        "kind": "job_posting",
        "source": "greenhouse",
        "url": "https://x/1",
        "jobPostingId": "1",
        "jobTitle": "Cybersecurity Manager",
    }
    staged.write_bytes(
        json.dumps(good).encode()
        + b"\n"
        + b'{"kind": "job_posting", "jobTitle": "Trunc\n'  # a crash mid-write
        + b'{"kind": "job_posting", "jobTitle": "\xff\xfe"}\n'  # broken encoding
        + b"[1, 2]\n"
        + json.dumps({**good, "jobTitle": ""}).encode()
        + b"\n"
    )
    records = list(read_staged(staged))
    assert sum(isinstance(r, BadLine) for r in records) == 3

    cleaned, counts = clean_feeds([feed_at(staged)], workers=2, chunk_bytes=1)
    assert counts == {"greenhouse/r1.jsonl": 5}
    assert [r["source_id"] for r in cleaned.postings] == ["1"]
    assert dict(cleaned.reasons) == {
        "malformed_json": 1,
        "bad_encoding": 1,
        "not_an_object": 1,
        "missing_jobTitle": 1,
    }
    assert all(q["source"] == "greenhouse" for q in cleaned.quarantined)
    assert all(q["payload"] for q in cleaned.quarantined)
