"""Greenhouse Job Board API under /greenhouse: recorded boards plus generated ones.

Job detail answers conditional requests (ETag / Last-Modified, 304 Not Modified), so an
incremental crawl can revalidate what it already has instead of downloading it again.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from aiohttp import web

from sandbox.generator import BOARD_TOKENS, Market, greenhouse_job
from sandbox.http import conditional_json

RECORDED = Path(__file__).resolve().parent.parent / "recorded"


def recorded_boards() -> dict[str, bytes]:
    """Board token -> recorded real response body."""
    boards = {"gitlab": (RECORDED / "greenhouse_gitlab_jobs.json").read_bytes()}
    cassette = yaml.safe_load(
        (RECORDED / "greenhouse_generalassembly_jobs_with_content.yml").read_text()
    )
    body = cassette["http_interactions"][0]["response"]["body"]["string"]
    boards["generalassembly"] = body.encode()
    return boards


RECORDED_BOARDS = ("gitlab", "generalassembly")


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    recorded = recorded_boards()

    async def jobs(request: web.Request):
        token = request.match_info["token"]
        content = request.query.get("content") == "true"
        if token in recorded:
            return web.Response(body=recorded[token], content_type="application/json")
        postings = market.board_postings(token)
        if postings is None:
            return web.json_response({"status": 404, "error": "Job board not found"}, status=404)
        listed = [greenhouse_job(p, content=content) for p in postings]
        return web.json_response({"jobs": listed, "meta": {"total": len(listed)}})

    async def job_detail(request: web.Request):
        token = request.match_info["token"]
        index = int(request.match_info["job_id"]) - 4_000_000_000
        try:
            posting = market.posting(index)
        except IndexError:
            posting = None
        if posting is None or posting.board != token or not posting.on_greenhouse:
            return web.json_response({"status": 404, "error": "Job not found"}, status=404)
        pay = request.query.get("pay_transparency") == "true"
        payload = greenhouse_job(posting, content=True, pay_transparency=pay)
        return conditional_json(request, payload, posting.date_posted)

    router.add_get("/greenhouse/v1/boards/{token}/jobs", jobs)
    router.add_get("/greenhouse/v1/boards/{token}/jobs/{job_id:\\d+}", job_detail)


def scrapy_settings(base_url: str) -> dict:
    return {
        "GREENHOUSE_BASE_URL": f"{base_url}/greenhouse",
        "GREENHOUSE_BOARDS": [*RECORDED_BOARDS, *BOARD_TOKENS],
    }
