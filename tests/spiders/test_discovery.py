"""Board discovery: links to employer boards in pages a crawl fetched become BoardLink items,
and storing them adds the boards to the registry as discovered."""

from __future__ import annotations

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.spiders import Spider
from scrapy.utils.test import get_crawler
from sqlalchemy import select

from pipeline.board_links import find_board_links
from pipeline.db import session_factory
from pipeline.ingest import ingest_feeds
from pipeline.ledger import feed_at
from pipeline.models import Board
from pipeline.origin import SANDBOX
from spiders.discovery import BoardDiscoveryMiddleware
from tests.spiders.crawl import run_crawl


def test_real_pages_link_to_the_boards_they_name(realdata):
    """A real scrape of security jobs from many boards, and a real jobs API answer."""
    radar = (
        realdata / "salary_strings" / "bsdevda_cyber-job-radar__security_jobs.json"
    ).read_text()
    boards = list(find_board_links(radar))
    assert len(boards) == 48
    assert {(b.ats, b.identifier) for b in boards[:3]} == {
        ("greenhouse", "anthropic"),
        ("greenhouse", "affirm"),
        ("greenhouse", "starburst"),
    }
    api = (realdata / "api_json" / "Wall-Street-Playbook__active_jobs_db_api.json").read_text()
    workday = {b.identifier: b.careers_url for b in find_board_links(api) if b.ats == "workday"}
    assert workday["td/TD_Bank_Careers"].startswith("https://td.wd3.myworkdayjobs.com/")
    assert "citi/2" in workday


def _response(body: str, meta: dict | None = None) -> HtmlResponse:
    request = Request("https://careers.example.com/jobs/1", meta=meta or {})
    return HtmlResponse(request.url, body=body.encode(), encoding="utf-8", request=request)


def test_each_board_is_reported_once_a_crawl_and_not_the_one_being_read():
    middleware = BoardDiscoveryMiddleware(get_crawler(Spider))
    page = (
        '<a href="https://job-boards.greenhouse.io/acme/jobs/1">Apply</a>'
        '<script src="https://boards.greenhouse.io/embed/job_board/js?for=acme"></script>'
        '<a href="https://jobs.lever.co/northwind">Other jobs</a>'
    )
    first = list(middleware.process_spider_output(_response(page), iter(["posting"])))
    assert first[0] == "posting"
    assert [(link.ats, link.board, link.url) for link in first[1:]] == [
        ("greenhouse", "acme", "https://careers.example.com/jobs/1"),
        ("lever", "northwind", "https://careers.example.com/jobs/1"),
    ]
    again = list(middleware.process_spider_output(_response(page), iter([])))
    assert again == []
    own = BoardDiscoveryMiddleware(get_crawler(Spider))
    links = own.process_spider_output(_response(page, {"secjobs_board": "acme"}), iter([]))
    assert [link.board for link in links] == ["northwind"]


@pytest.mark.crawl
def test_a_crawl_discovers_boards_and_the_store_adds_them(sandbox_url, tmp_path):
    result = run_crawl("careers", sandbox_url, tmp_path / "staging")
    assert result.returncode == 0, result.log_tail
    feed = next((tmp_path / "staging" / "careers").glob("*.jsonl"))
    # The recorded Medtronic job pages link to their Workday career site.
    assert result.stats["secjobs/boards/discovered"] == 1
    database = f"sqlite:///{tmp_path / 'secjobs.db'}"
    counts = ingest_feeds(database, [feed_at(feed)], "store-1", origin=SANDBOX)
    assert counts["boards_discovered"] == 1
    with session_factory(database)() as session:
        [board] = session.scalars(select(Board).where(Board.origin == "discovered")).all()
    assert (board.ats, board.identifier, board.status) == (
        "workday",
        "medtronic/MedtronicCareers",
        "unchecked",
    )
    assert board.careers_url == "https://medtronic.wd1.myworkdayjobs.com/MedtronicCareers"
    assert "/careers/recorded/workday_medtronic__" in board.found_in
