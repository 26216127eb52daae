"""Greenhouse Job Board API under /greenhouse: recorded boards, generated ones, and every
shipped board of the registry (``sandbox/registry.py``: gone ones 404, rate-limited ones 429).

Job detail answers conditional requests (ETag / Last-Modified, 304 Not Modified), so an
incremental crawl can revalidate what it already has instead of downloading it again.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from aiohttp import web

from sandbox.generator import BOARD_TOKENS, Market, greenhouse_job
from sandbox.http import conditional_json
from sandbox.registry import (
    GONE,
    RATE_LIMITED,
    RETRY_AFTER,
    board_plan,
    board_postings,
    too_many_requests,
)

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


def _board_not_found() -> web.Response:
    return web.json_response({"status": 404, "error": "Job board not found"}, status=404)


def _job_not_found() -> web.Response:
    return web.json_response({"status": 404, "error": "Job not found"}, status=404)


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    recorded = recorded_boards()

    def listing(postings, content: bool) -> web.Response:
        listed = [greenhouse_job(p, content=content) for p in postings]
        return web.json_response({"jobs": listed, "meta": {"total": len(listed)}})

    async def jobs(request: web.Request):
        token = request.match_info["token"]
        content = request.query.get("content") == "true"
        if token in recorded:
            return web.Response(body=recorded[token], content_type="application/json")
        postings = market.board_postings(token)
        if postings is not None:
            return listing(postings, content)
        plan = board_plan("greenhouse", token, market.seed)
        if plan is None or plan.fate == GONE:
            return _board_not_found()
        if plan.fate == RATE_LIMITED:
            return too_many_requests(RETRY_AFTER)
        return listing(board_postings("greenhouse", token, market.seed), content)

    def registry_job(request: web.Request, token: str, job_id: int) -> web.Response:
        plan = board_plan("greenhouse", token, market.seed)
        if plan is not None and plan.fate == RATE_LIMITED:
            return too_many_requests(RETRY_AFTER)
        for posting in board_postings("greenhouse", token, market.seed):
            if posting.greenhouse_id == job_id:
                pay = request.query.get("pay_transparency") == "true"
                payload = greenhouse_job(posting, content=True, pay_transparency=pay)
                return conditional_json(request, payload, posting.date_posted)
        return _job_not_found()

    async def job_detail(request: web.Request):
        token = request.match_info["token"]
        if token not in recorded and token not in BOARD_TOKENS:
            return registry_job(request, token, int(request.match_info["job_id"]))
        index = int(request.match_info["job_id"]) - 4_000_000_000
        try:
            posting = market.posting(index)
        except IndexError:
            posting = None
        if posting is None or posting.board != token or not posting.on_greenhouse:
            return _job_not_found()
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
