"""The command line: every command explains itself; scrapy.cfg makes `scrapy list` work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from secjobs.cli import app

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ([], "run"),
        (["run"], "--sandbox"),
        (["crawl"], "scrapy crawl SPIDER"),
        (["report"], "--include-parsed"),
        (["sandbox", "serve"], "127.0.0.1"),
        (["db", "upgrade"], "migrations"),
        (["cache", "prune"], "--max-age-days"),
    ],
)
def test_help(args, expected):
    result = CliRunner().invoke(app, [*args, "--help"])
    assert result.exit_code == 0
    assert expected in result.output


def test_scrapy_list_from_repo_root():
    done = subprocess.run(
        [sys.executable, "-m", "scrapy", "list"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    modules = sorted(
        p.stem
        for p in (ROOT / "spiders" / "crawlers").glob("*.py")
        if p.stem not in ("__init__", "base")
    )
    # Spider name = module name, every module is a spider.
    assert done.stdout.split() == modules
    assert {"careers", "greenhouse"} <= set(modules)


def test_crawl_command_stages_items_and_stores_them(tmp_path, monkeypatch):
    import json

    import sqlalchemy as sa

    from pipeline.db import session_factory
    from pipeline.models import JobPostingRecord, StagedFeed

    database = f"sqlite:///{tmp_path / 'x.db'}"
    monkeypatch.setenv("SECJOBS_STAGING_DIR", str(tmp_path))
    monkeypatch.setenv("SECJOBS_DATABASE_URL", database)
    monkeypatch.setenv("SECJOBS_HTTPCACHE_DIR", str(tmp_path / "httpcache"))  # not the repo's
    feed = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        app,
        [
            "crawl",
            "greenhouse",
            "--sandbox",
            "--postings",
            "24",
            "--store",
            "-s",
            "LOG_LEVEL=WARNING",
            "-o",
            str(feed),
        ],
    )
    assert result.exit_code == 0, result.output
    lines = feed.read_text().splitlines()
    assert len(lines) >= 3  # two recorded boards plus generated ones
    (staged,) = (tmp_path / "greenhouse").glob("crawl-*.jsonl")
    assert staged.with_suffix(".stats.json").exists()
    postings = {
        json.loads(line)["jobPostingId"]
        for line in staged.read_text().splitlines()
        if json.loads(line)["kind"] == "job_posting"
    }
    with session_factory(database)() as session:
        stored = set(session.scalars(sa.select(JobPostingRecord.source_id)))
        ledger = session.scalars(sa.select(StagedFeed.path)).all()
    assert stored == postings
    assert ledger == [f"greenhouse/{staged.name}"]
    # Stored feeds are not pending: storing again finds nothing to do.
    again = CliRunner().invoke(app, ["store"])
    assert again.exit_code == 0 and "0 staged feeds not stored" in again.output


def test_db_upgrade_and_report(tmp_path, monkeypatch):
    monkeypatch.setenv("SECJOBS_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    monkeypatch.setenv("SECJOBS_REPORTS_DIR", str(tmp_path / "reports"))
    assert CliRunner().invoke(app, ["db", "upgrade"]).exit_code == 0
    result = CliRunner().invoke(app, ["report"])
    assert result.exit_code == 0, result.output
    markdown = tmp_path / "reports" / "latest" / "report.md"
    assert "open security-manager postings, posted pay" in markdown.read_text()
    assert CliRunner().invoke(app, ["report", "--include-parsed"]).exit_code == 0
    assert "open security-manager postings, posted or parsed pay" in markdown.read_text()


def test_run_summary_prints_reasons_as_text_and_the_cache_pruning():
    from secjobs.cli import _print_summary, console

    summary = {
        "run_id": "r1",
        "sources": {
            "careers": {"status": "blocked", "items": 0, "reason": "captcha: [/challenge]"},
            "lever": {"status": "ok", "items": 12, "reason": None},
        },
        "postings_stored": 12,
        "postings_closed": 0,
        "salary_observations": 0,
        "price_index_values": 0,
        "quarantined": 1,
        "quarantine_reasons": {"page_failure:captcha": 1},
        "httpcache": {"removed": 3, "kept": 40, "bytes_freed": 2_500_000},
        "stale_jobdirs": {"removed": 2},
        "stored_feeds": {"compressed": 11, "bytes_saved": 4_200_000},
    }
    with console.capture() as captured:
        _print_summary(summary)
    text = captured.get()
    assert "captcha: [/challenge]" in text  # markup in a reason would raise or vanish
    assert "HTTP cache: 3 entries past their age removed (2.5 MB), 40 kept." in text
    assert "2 job directories of crawls dead for a week removed." in text
    assert "11 stored feeds of earlier runs gzipped (4.2 MB saved)." in text
    with console.capture() as captured:
        _print_summary({**summary, "httpcache": {"error": "[Errno 13] Permission denied"}})
    assert "HTTP cache not pruned: [Errno 13] Permission denied" in captured.get()


def test_db_upgrade_never_prints_the_database_password(monkeypatch, postgres_url):
    from sqlalchemy.engine import make_url

    url = make_url(postgres_url).set(password="s3cret-pw")  # trust auth ignores it
    monkeypatch.setenv("SECJOBS_DATABASE_URL", url.render_as_string(hide_password=False))
    result = CliRunner().invoke(app, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert "s3cret-pw" not in result.output and "***" in result.output


def test_store_refuses_what_is_not_a_staged_feed(tmp_path, monkeypatch):
    monkeypatch.setenv("SECJOBS_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    gzipped = tmp_path / "lever" / "r1.jsonl.gz"
    gzipped.parent.mkdir()
    gzipped.write_bytes(b"\x1f\x8b")
    result = CliRunner().invoke(app, ["store", str(gzipped)])
    assert result.exit_code == 2
    assert "not a staged feed (*.jsonl)" in " ".join(result.output.split())
    assert not (tmp_path / "x.db").exists()  # refused before touching the database
