"""Board crawls say what each board answered (BoardCheck items), and storing them keeps the
board registry's status true: real crawls of the sandbox, then the store."""

from __future__ import annotations

import json

from sqlalchemy import select

from pipeline.crawls import judge_crawl
from pipeline.db import session_factory
from pipeline.ingest import ingest_feeds
from pipeline.ledger import feed_at
from pipeline.models import Board
from pipeline.origin import SANDBOX
from sandbox.generator import Market
from sandbox.server import running_sandbox
from tests.spiders.crawl import run_crawl

# woodgrovebank's board asks for two hours' wait: far past RETRY_AFTER_MAX, so not retried.
FAULTS = {"/greenhouse/v1/boards/woodgrovebank/jobs": "429:7200"}


def test_greenhouse_checks_each_board_and_the_store_keeps_their_status(tmp_path):
    registry = tmp_path / "boards.json"
    registry.write_text(json.dumps(["no-such-board", "woodgrovebank", "gitlab"]))
    with running_sandbox(Market(size=120), faults=FAULTS) as url:
        result = run_crawl(
            "greenhouse",
            url,
            tmp_path / "staging",
            "GREENHOUSE_BOARDS=gitlab,northwindsecurity",
            f"SECJOBS_BOARDS_FILE={registry}",
        )
    assert result.returncode == 0, result.log_tail
    checks = {c["board"]: c for c in result.checks}
    assert sorted(checks) == ["gitlab", "no-such-board", "northwindsecurity", "woodgrovebank"]
    counts = {
        b: (c["outcome"], c["openPostings"], c["securityPostings"]) for b, c in checks.items()
    }
    assert counts == {
        "gitlab": ("jobs", 2, 0),  # the recorded real board: two engineering jobs
        "northwindsecurity": ("jobs", 8, 5),  # generated: five security managers or leaders
        "no-such-board": ("unknown", None, None),
        "woodgrovebank": ("limited", None, None),
    }
    # Titles first: only the five security managers and leaders are fetched.
    assert len([i for i in result.items if "northwindsecurity" in i["url"]]) == 5
    assert checks["no-such-board"]["detail"] == "404"
    assert checks["woodgrovebank"]["detail"] == "Retry-After 7200 s"
    assert {(c["ats"], c["origin"]) for c in checks.values()} == {("greenhouse", "sandbox")}
    # A deferred board is not a blocked crawl; an unknown one is not a lost page.
    assert result.stats["secjobs/boards/limited"] == 1
    assert "secjobs/lost_pages" not in result.stats and not result.failures
    verdict = judge_crawl(result.returncode, result.stats)
    assert (verdict.status, verdict.reason) == ("ok", "1 boards deferred (rate limited)")

    database = f"sqlite:///{tmp_path / 'secjobs.db'}"
    [feed] = (tmp_path / "staging" / "greenhouse").glob("*.jsonl")
    counts = ingest_feeds(database, [feed_at(feed)], "store-1", origin=SANDBOX)
    assert counts["board_checks"] == 4
    with session_factory(database)() as session:
        boards = {
            b.identifier: b
            for b in session.scalars(select(Board).where(Board.ats == "greenhouse"))
            if b.identifier in checks
        }
    assert {k: b.status for k, b in boards.items()} == {
        "gitlab": "active",
        "northwindsecurity": "active",
        "no-such-board": "unchecked",  # one 404 is not gone yet
        "woodgrovebank": "deferred",
    }
    assert boards["no-such-board"].consecutive_failures == 1
    assert (
        boards["northwindsecurity"].open_postings,
        boards["northwindsecurity"].security_postings,
    ) == (8, 5)
