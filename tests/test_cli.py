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
    monkeypatch.setenv("SECJOBS_SANDBOX_DATABASE_URL", database)  # --sandbox stores there
    monkeypatch.setenv("SECJOBS_DATA_DIR", str(tmp_path / "live"))  # never touched
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
    (staged,) = (tmp_path / "sandbox" / "greenhouse").glob("crawl-*.jsonl")
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
    with session_factory(database)() as session:
        origins = set(session.scalars(sa.select(JobPostingRecord.origin)))
    assert origins == {"sandbox"}
    assert all(json.loads(line)["origin"] == "sandbox" for line in staged.read_text().splitlines())
    # Stored feeds are not pending: storing again finds nothing to do.
    again = CliRunner().invoke(app, ["store", "--sandbox"])
    assert again.exit_code == 0 and "0 staged feeds not stored" in again.output
    assert not (tmp_path / "live").exists()  # the live database was never created


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
    assert "unchanged" not in text
    with console.capture() as captured:
        _print_summary({**summary, "boards_unchanged": 40, "postings_refreshed": 95})
    assert (
        "40 boards unchanged since their last crawl: not read again, their 95 postings seen "
        "again (0 to be read next run)."
    ) in " ".join(captured.get().split())


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


def _lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.strip()]


@pytest.mark.parametrize(
    "args",
    [["run", "--spider", "greenhouse", "--spider", "nosuch", "--sandbox"], ["crawl", "nosuch"]],
)
def test_an_unknown_spider_is_refused_before_anything_starts(args, tmp_path, monkeypatch):
    monkeypatch.setenv("SECJOBS_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2
    (line,) = _lines(result.output)
    assert line.startswith("error: unknown spider 'nosuch'; valid: adzuna, ashby,")
    assert "greenhouse" in line and "ziprecruiter" in line
    assert not any(tmp_path.iterdir())  # no database, no staging, no Prefect run


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("LOG_LEVEL", "error: bad setting 'LOG_LEVEL': write -s NAME=VALUE"),
        ("log_level=INFO", "error: bad setting 'log_level=INFO': write -s NAME=VALUE"),
        (
            "GREENHOUSE_BORDS=gitlab",
            "error: unknown setting 'GREENHOUSE_BORDS'; did you mean GREENHOUSE_BOARDS?",
        ),
    ],
)
def test_bad_settings_are_refused_before_the_crawl(setting, message, tmp_path, monkeypatch):
    monkeypatch.setenv("SECJOBS_DATA_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["crawl", "greenhouse", "-s", setting])
    assert result.exit_code == 2
    assert _lines(result.output) == [
        message + (", e.g. -s LOG_LEVEL=INFO" if "NAME" in message else "")
    ]


def test_a_database_that_is_down_is_two_lines_and_status_3(monkeypatch, tmp_path):
    import socket

    with socket.socket() as closed:  # a port nothing listens on
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    monkeypatch.setenv(
        "SECJOBS_DATABASE_URL", f"postgresql+psycopg://postgres:s3cret@127.0.0.1:{port}/x"
    )
    monkeypatch.setenv("SECJOBS_REPORTS_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["report"])
    assert result.exit_code == 3
    first, second = _lines(result.output)
    assert first.startswith(
        f"error: could not reach the database at postgresql+psycopg://postgres:***@127.0.0.1:{port}/x"
    )
    assert "Connection refused" in first and "s3cret" not in result.output
    assert second == "Is the server running and the URL right? Set it with SECJOBS_DATABASE_URL."
    # --debug shows what went wrong in full instead.
    debug = CliRunner().invoke(app, ["--debug", "report"])
    assert debug.exit_code == 1 and type(debug.exception).__name__ == "OperationalError"


@pytest.mark.parametrize("url", ["notaurl", "mysqlx://u:s3cret@h/db"])
def test_a_malformed_database_url_is_a_usage_error(url, monkeypatch, tmp_path):
    monkeypatch.setenv("SECJOBS_DATABASE_URL", url)
    monkeypatch.setenv("SECJOBS_REPORTS_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["report"])
    assert result.exit_code == 2
    first, second = _lines(result.output)
    assert first.startswith("error: not a database URL this can use:")
    assert second.startswith("Set SECJOBS_DATABASE_URL to e.g. sqlite:///data/secjobs.db")
    assert "s3cret" not in result.output


def test_a_database_locked_by_another_run(monkeypatch, tmp_path):
    import sqlite3

    from pipeline.db import upgrade

    db = tmp_path / "x.db"
    upgrade(f"sqlite:///{db}")
    feed = tmp_path / "lever" / "r1.jsonl"
    feed.parent.mkdir()
    feed.write_text(
        '{"kind": "job_posting", "source": "lever", "url": "https://x/1", "jobTitle": "a"}\n'
    )
    monkeypatch.setenv("SECJOBS_DATABASE_URL", f"sqlite:///{db}")
    monkeypatch.setenv("SECJOBS_SQLITE_BUSY_TIMEOUT", "0.2")
    other = sqlite3.connect(db)
    other.execute("BEGIN IMMEDIATE")  # another run's write transaction
    try:
        result = CliRunner().invoke(app, ["store", str(feed)])
    finally:
        other.rollback()
        other.close()
    assert result.exit_code == 3
    assert _lines(result.output) == [
        f"error: the database is locked by another run (sqlite:///{db})",
        "Wait for it to finish, or raise SECJOBS_SQLITE_BUSY_TIMEOUT (seconds).",
    ]


def test_a_file_that_is_not_json_lines_is_refused(monkeypatch, tmp_path):
    monkeypatch.setenv("SECJOBS_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    feed = tmp_path / "lever" / "r1.jsonl"
    feed.parent.mkdir()
    feed.write_text("name,slug,url\nAcme,acme,https://acme.example\n")
    result = CliRunner().invoke(app, ["store", str(feed)])
    assert result.exit_code == 2
    assert _lines(result.output) == [
        f"error: not a JSON Lines feed: {feed} (its first line is not a JSON object)"
    ]
    assert not (tmp_path / "x.db").exists()


def test_disk_full_and_permission_denied_are_explained():
    import errno

    from secjobs.errors import explain

    full = explain(OSError(errno.ENOSPC, "No space left on device", "data/secjobs.db"))
    assert full.status == 3
    assert full.lines[0] == "the disk is full writing data/secjobs.db"
    denied = explain(PermissionError(errno.EACCES, "Permission denied", "/srv/data/staging"))
    assert denied.status == 3
    assert denied.lines[0] == "permission denied: /srv/data/staging"
    assert explain(KeyError("a bug")) is None  # a bug keeps its traceback


def test_a_crawl_without_its_api_key_says_so_and_exits_3(monkeypatch, tmp_path):
    monkeypatch.delenv("USAJOBS_API_KEY", raising=False)
    monkeypatch.delenv("USAJOBS_USER_AGENT", raising=False)
    monkeypatch.setenv("SECJOBS_STAGING_DIR", str(tmp_path))
    monkeypatch.setenv("SECJOBS_HTTPCACHE_DIR", str(tmp_path / "httpcache"))
    result = CliRunner().invoke(app, ["crawl", "usajobs", "-s", "LOG_LEVEL=ERROR"])
    assert result.exit_code == 3
    assert _lines(result.output)[-1] == (
        "usajobs: skipped, 0 items (USAJOBS_API_KEY and USAJOBS_USER_AGENT not set)"
    )


@pytest.mark.parametrize(("failed", "status"), [([], 0), (["lever"], 1), (["lever", "ashby"], 3)])
def test_run_exit_status_says_how_many_sources_failed(failed, status, monkeypatch, tmp_path):
    import flows.pipeline

    def pipeline(spiders, sandbox_url):
        return {
            "run_id": "r1",
            "sources": {
                name: {"status": "failed" if name in failed else "ok", "items": 0, "reason": None}
                for name in spiders
            },
            "postings_stored": 0,
            "postings_closed": 0,
            "salary_observations": 0,
            "price_index_values": 0,
            "quarantined": 0,
            "quarantine_reasons": {},
            "failed_sources": failed,
            "report": str(tmp_path / "index.html"),
        }

    monkeypatch.setattr(flows.pipeline, "secjobs_pipeline", pipeline)
    monkeypatch.setenv("SECJOBS_DATABASE_URL", f"sqlite:///{tmp_path / 'x.db'}")
    result = CliRunner().invoke(app, ["run", "--spider", "lever", "--spider", "ashby"])
    assert result.exit_code == status, result.output


def test_a_failure_names_the_database_the_command_used(monkeypatch, tmp_path):
    import socket

    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    sandbox_db = f"postgresql+psycopg://postgres@127.0.0.1:{port}/sandbox"
    monkeypatch.setenv("SECJOBS_SANDBOX_DATABASE_URL", sandbox_db)
    monkeypatch.setenv("SECJOBS_DATABASE_URL", f"sqlite:///{tmp_path / 'live.db'}")
    monkeypatch.setenv("SECJOBS_REPORTS_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["report", "--sandbox"])
    assert result.exit_code == 3
    first, _ = _lines(result.output)
    assert first.startswith(f"error: could not reach the database at {sandbox_db}:")


def test_db_rederive_reads_requirements_and_titles_again(tmp_path, monkeypatch):
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from pipeline.db import session_factory
    from pipeline.models import JobPostingRecord
    from pipeline.postings import clean_posting
    from pipeline.store import upsert_postings

    url = f"sqlite:///{tmp_path / 'x.db'}"
    monkeypatch.setenv("SECJOBS_DATABASE_URL", url)
    assert CliRunner().invoke(app, ["db", "upgrade"]).exit_code == 0
    row = clean_posting(
        {
            "kind": "job_posting",
            "source": "lever",
            "url": "https://jobs.lever.co/acme/1",
            "jobTitle": "Cyber Defense Site Leader, SOC",
            "description": "Bachelor's degree required.",
        }
    )
    with session_factory(url).begin() as session:
        upsert_postings(session, [row], "r1", datetime(2026, 12, 1, tzinfo=UTC))
        session.execute(sa.update(JobPostingRecord).values(title_family="security_ic"))
    result = CliRunner().invoke(app, ["db", "rederive"])
    assert result.exit_code == 0, result.output
    said = " ".join(result.output.split())  # however the console wrapped it
    assert "requirements read again for 0 postings; 1 titles classified anew." in said
    with session_factory(url)() as session:
        assert session.scalar(sa.select(JobPostingRecord.title_family)) == "security_manager"
