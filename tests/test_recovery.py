"""No data loss: a flow killed with SIGKILL in the middle of storing leaves each table as it
was, its staged feeds stay until stored, and the next run stores them once."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from pipeline.db import session_factory, upgrade
from pipeline.ledger import (
    compress_stored_feeds,
    feed_at,
    is_dead,
    mark_crashed_runs,
    mark_stored,
    unstored_feeds,
)
from pipeline.models import JobPostingRecord, PipelineRun, StagedFeed
from pipeline.store import finish_run, start_run
from tests.spiders.crawl import run_crawl

PROJECT_ROOT = Path(__file__).resolve().parent.parent
COPIES = 60  # the real crawl's postings, re-numbered: enough that storing takes seconds


def _count(db: str, model, *where) -> int:
    with session_factory(db)() as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


@pytest.fixture(scope="module")
def big_feed(tmp_path_factory) -> list[str]:
    """A real greenhouse crawl of the sandbox, re-numbered into many distinct postings."""
    from sandbox.generator import Market
    from sandbox.server import running_sandbox

    root = tmp_path_factory.mktemp("crawl")
    with running_sandbox(Market(size=600)) as url:
        crawl = run_crawl("greenhouse", url, root)
    assert crawl.items, crawl.log_tail
    lines = []
    for copy in range(COPIES):
        for item in crawl.items:
            lines.append(
                json.dumps(
                    {
                        **item,
                        "jobPostingId": f"{item['jobPostingId']}-{copy}",
                        "url": f"{item['url']}?copy={copy}",
                    }
                )
            )
    return lines


def _failed_run_with_feed(db: str, staging: Path, run_id: str, lines: list[str]) -> Path:
    """What a run leaves when it dies after crawling: its row and its staged feed."""
    feed = staging / "greenhouse" / f"{run_id}.jsonl"
    feed.parent.mkdir(parents=True, exist_ok=True)
    feed.write_text("\n".join(lines) + "\n")
    with session_factory(db).begin() as session:
        start_run(session, run_id, origin="sandbox")  # the feed is a sandbox crawl's
        session.execute(
            sa.update(PipelineRun).where(PipelineRun.run_id == run_id).values(status="failed")
        )
    return feed


def test_a_dead_runs_process_is_told_apart_from_a_live_one(tmp_path):
    db = f"sqlite:///{tmp_path / 'x.db'}"
    upgrade(db)
    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        text=True,
        capture_output=True,
        check=True,
    )
    import socket

    with session_factory(db).begin() as session:
        start_run(
            session, "dead", {"process": {"host": socket.gethostname(), "pid": int(gone.stdout)}}
        )
        start_run(
            session, "alive", {"process": {"host": socket.gethostname(), "pid": os.getppid()}}
        )
    with session_factory(db).begin() as session:
        assert mark_crashed_runs(session) == ["dead"]
    with session_factory(db)() as session:
        runs = {r.run_id: r for r in session.scalars(sa.select(PipelineRun))}
        assert runs["dead"].status == "crashed" and runs["alive"].status == "running"
        assert not is_dead(runs["alive"])


def test_only_feeds_of_runs_that_did_not_finish_are_pending(tmp_path):
    db = f"sqlite:///{tmp_path / 'x.db'}"
    upgrade(db)
    staging = tmp_path / "staging"
    pending = _failed_run_with_feed(db, staging, "r-failed", ['{"kind": "job_posting"}'])
    done = staging / "lever" / "r-done.jsonl"
    done.parent.mkdir(parents=True)
    done.write_text("{}\n")
    adhoc = staging / "lever" / "adhoc-20260101T000000Z.jsonl"
    adhoc.write_text("{}\n")
    with session_factory(db).begin() as session:
        start_run(session, "r-done")
        session.execute(
            sa.update(PipelineRun).where(PipelineRun.run_id == "r-done").values(status="completed")
        )
    with session_factory(db)() as session:
        assert unstored_feeds(session, staging) == [feed_at(pending)]


def test_stored_feeds_of_finished_runs_are_gzipped_and_no_others(database_url, tmp_path):
    upgrade(database_url)
    staging = tmp_path / "staging"
    lines = b"".join(b'{"kind": "job_posting", "jobTitle": "CISO %d"}\n' % i for i in range(500))

    def feed(key: str) -> Path:
        path = staging / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(lines)
        return path

    done, done_too = feed("lever/r-done.jsonl"), feed("greenhouse/r-done.jsonl")
    unstored = feed("ashby/r-done.jsonl")  # no ledger row: the next run stores it
    running = feed("lever/r-running.jsonl")  # its run may still append (a retry)
    adhoc = feed("lever/crawl-20260101T000000Z.jsonl")  # a paused crawl may append
    # A crash left a half-written copy of one, and a whole copy beside the other.
    (staging / "lever" / "r-done.jsonl.gz.part").write_bytes(b"\x1f\x8b half")
    (staging / "greenhouse" / "r-done.jsonl.gz").write_bytes(gzip.compress(lines))
    with session_factory(database_url).begin() as session:
        for run in ("r-done", "r-running"):
            start_run(session, run)
        finish_run(session, "r-done", "completed", {})
        stored = [done, done_too, running, adhoc]
        mark_stored(session, [(feed_at(p), 500) for p in stored], "r-done")
    with session_factory(database_url)() as session:
        result = compress_stored_feeds(session, staging)
        again = compress_stored_feeds(session, staging)

    assert result["compressed"] == 2 and result["bytes_saved"] > len(lines) // 2
    assert again == {"compressed": 0, "bytes_saved": 0}
    for path in (done, done_too):
        assert not path.exists()
        assert gzip.decompress(path.with_name(path.name + ".gz").read_bytes()) == lines
    assert not list(staging.rglob("*.part"))
    for path in (unstored, running, adhoc):
        assert path.read_bytes() == lines and not path.with_name(path.name + ".gz").exists()


@pytest.mark.prefect
def test_sigkill_mid_store_loses_nothing_and_the_next_run_completes_it(
    prefect_harness, tmp_path, big_feed
):
    from prefect.settings import PREFECT_API_URL

    from flows.pipeline import secjobs_pipeline

    db = f"sqlite:///{tmp_path / 'secjobs.db'}"
    staging = tmp_path / "staging"
    upgrade(db)
    # The previous state: a run that stored 100 postings.
    first = _failed_run_with_feed(db, staging, "r0", big_feed[:100])
    kwargs = {
        "spiders": [],
        "label": "store",
        "make_report": False,
        "database_url": db,
        "staging_dir": str(staging),
        "sandbox_url": "http://127.0.0.1:9",  # the feeds are sandbox data; nothing is crawled
    }
    assert secjobs_pipeline(**kwargs)["recovered_feeds"] == 1
    assert _count(db, JobPostingRecord) == 100
    # A run that crawled, then died before storing: its feed waits for the next run.
    _failed_run_with_feed(db, staging, "r1", big_feed)

    script = (
        "import json, sys; from flows.pipeline import secjobs_pipeline; "
        "secjobs_pipeline(**json.loads(sys.argv[1]))"
    )
    env = {**os.environ, "PREFECT_API_URL": PREFECT_API_URL.value(), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-c", script, json.dumps(kwargs)],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    seen = []
    for line in process.stdout:  # type: ignore[union-attr]
        seen.append(line)
        if "store: writing" in line:
            time.sleep(0.5)  # well inside the transaction: thousands of rows to write
            process.send_signal(signal.SIGKILL)
            break
    process.wait(30)
    output = "".join(seen)
    assert process.returncode == -signal.SIGKILL, output[-3000:]
    assert "store: committed" not in output  # killed before the commit

    # Each table holds the previous state: no half batch, no ledger row for the lost store.
    assert _count(db, JobPostingRecord) == 100
    assert _count(db, StagedFeed) == 1
    with session_factory(db)() as session:
        killed = session.scalars(
            sa.select(PipelineRun).where(PipelineRun.status == "running")
        ).one()

    # The next run finds the killed run dead and stores what it staged, once.
    summary = secjobs_pipeline(**kwargs)
    assert summary["recovered_feeds"] == 1
    assert _count(db, JobPostingRecord) == len(big_feed)
    with session_factory(db)() as session:
        dupes = session.execute(
            sa.select(JobPostingRecord.source_id)
            .group_by(JobPostingRecord.source, JobPostingRecord.source_id)
            .having(sa.func.count() > 1)
        ).all()
        status = session.scalar(
            sa.select(PipelineRun.status).where(PipelineRun.run_id == killed.run_id)
        )
        ledger = session.scalars(sa.select(StagedFeed).order_by(StagedFeed.id)).all()
    assert dupes == []
    assert status == "crashed"
    assert [(row.crawl_run_id, row.records) for row in ledger] == [
        ("r0", 100),
        ("r1", len(big_feed)),
    ]
    assert first.exists()  # staged feeds stay on disk as the raw record

    # Nothing is left pending: a further run stores nothing again.
    assert secjobs_pipeline(**kwargs)["recovered_feeds"] == 0
