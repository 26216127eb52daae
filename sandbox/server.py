"""The sandbox job market: an aiohttp server on 127.0.0.1 serving each source under
its real URL layout below a prefix, from recorded real responses and generated postings.

Layout (prefix, then the live site's own path):
  /greenhouse/v1/boards/<token>/jobs[?content=true]      Greenhouse Job Board API
  /greenhouse/v1/boards/<token>/jobs/<id>[?pay_transparency=true]
  /careers/sitemap.xml, /careers/sitemap-<n>.xml          a career site's sitemaps
  /careers/jobs/<n>                                       generated JobPosting pages
  /careers/recorded/<file>                                recorded real JobPosting pages
Faults on demand: any path listed in ``faults`` answers 403, 429, a Cloudflare
challenge page, a malformed body, or a 500.
"""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

import yaml
from aiohttp import web

from sandbox.generator import Market, greenhouse_job, jsonld_job_page
from sandbox.realdata import realdata_dir

RECORDED = Path(__file__).parent / "recorded"
SITEMAP_CHUNK = 50_000  # the sitemaps.org limit of URLs per file

HITS = web.AppKey("hits", dict)
FAULTS = ("403", "429", "challenge", "malformed", "500")
_CHALLENGE_FALLBACK = (
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    '<div id="challenge-running">Checking if the site connection is secure</div>'
    "<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1'></script></body></html>"
)


def _recorded_greenhouse_boards() -> dict[str, bytes]:
    boards = {"gitlab": (RECORDED / "greenhouse_gitlab_jobs.json").read_bytes()}
    cassette = yaml.safe_load(
        (RECORDED / "greenhouse_generalassembly_jobs_with_content.yml").read_text()
    )
    boards["generalassembly"] = cassette["http_interactions"][0]["response"]["body"][
        "string"
    ].encode()
    return boards


RECORDED_GREENHOUSE_BOARDS = tuple(_recorded_greenhouse_boards())


def recorded_jobposting_pages() -> list[Path]:
    """Real JobPosting pages from the shared recordings, when they are present."""
    root = realdata_dir()
    if root is None:
        return []
    return sorted((root / "html_jobposting").glob("*.html"))


def _challenge_page() -> str:
    root = realdata_dir()
    if root is not None:
        page = root / "html_listing" / "Jyaba-Solution__ziprecruiter_cloudflare_challenge.html"
        if page.exists():
            return page.read_text(encoding="utf-8", errors="replace")
    return _CHALLENGE_FALLBACK


def build_app(market: Market, faults: dict[str, str] | None = None) -> web.Application:
    faults = dict(faults or {})
    for path, fault in faults.items():
        if fault not in FAULTS:
            raise ValueError(f"unknown fault {fault!r} for {path}; choose from {FAULTS}")
    recorded_boards = _recorded_greenhouse_boards()
    recorded_pages = {p.name: p for p in recorded_jobposting_pages()}
    hits: dict[str, int] = {}

    @web.middleware
    async def fault_injection(request: web.Request, handler):
        hits[request.path] = hits.get(request.path, 0) + 1
        fault = faults.get(request.path)
        if fault == "403":
            return web.Response(status=403, text="Forbidden")
        if fault == "429":
            return web.Response(status=429, text="Too Many Requests", headers={"Retry-After": "1"})
        if fault == "500":
            return web.Response(status=500, text="Internal Server Error")
        if fault == "challenge":
            return web.Response(
                status=403,
                text=_challenge_page(),
                content_type="text/html",
                headers={"cf-mitigated": "challenge", "Server": "cloudflare"},
            )
        if fault == "malformed":
            return web.Response(
                text='{"jobs": [{"id": 1, "title": "Trunc', content_type="application/json"
            )
        return await handler(request)

    async def robots(_request):
        return web.Response(text="User-agent: *\nAllow: /\n")

    async def greenhouse_jobs(request: web.Request):
        token = request.match_info["token"]
        content = request.query.get("content") == "true"
        if token in recorded_boards:
            return web.Response(body=recorded_boards[token], content_type="application/json")
        postings = market.board_postings(token)
        if postings is None:
            return web.json_response({"status": 404, "error": "Job board not found"}, status=404)
        jobs = [greenhouse_job(p, content=content) for p in postings]
        return web.json_response({"jobs": jobs, "meta": {"total": len(jobs)}})

    async def greenhouse_job_detail(request: web.Request):
        token = request.match_info["token"]
        job_id = int(request.match_info["job_id"])
        index = job_id - 4_000_000_000
        try:
            posting = market.posting(index)
        except IndexError:
            posting = None
        if posting is None or posting.board != token or not posting.on_greenhouse:
            return web.json_response({"status": 404, "error": "Job not found"}, status=404)
        pay = request.query.get("pay_transparency") == "true"
        return web.json_response(greenhouse_job(posting, content=True, pay_transparency=pay))

    def _careers_urls(request: web.Request) -> Iterator[str]:
        base = f"{request.scheme}://{request.host}/careers"
        for name in recorded_pages:
            yield f"{base}/recorded/{name}"
        for p in market.careers_postings():
            yield f"{base}/jobs/{p.index}"

    async def careers_sitemap_index(request: web.Request):
        base = f"{request.scheme}://{request.host}/careers"
        chunks = max(1, -(-market.size // SITEMAP_CHUNK))
        body = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        ]
        body += [f"<sitemap><loc>{base}/sitemap-{n}.xml</loc></sitemap>" for n in range(chunks)]
        body.append("</sitemapindex>")
        return web.Response(text="\n".join(body), content_type="application/xml")

    async def careers_sitemap(request: web.Request):
        chunk = int(request.match_info["chunk"])
        lo, hi = chunk * SITEMAP_CHUNK, (chunk + 1) * SITEMAP_CHUNK
        urls = [u for n, u in enumerate(_careers_urls(request)) if lo <= n < hi]
        if not urls:
            raise web.HTTPNotFound()
        body = [
            '<?xml version="1.0" encoding="UTF-8"?>',
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        ]
        body += [f"<url><loc>{xml_escape(u)}</loc></url>" for u in urls]
        body.append("</urlset>")
        return web.Response(text="\n".join(body), content_type="application/xml")

    async def careers_job(request: web.Request):
        try:
            posting = market.posting(int(request.match_info["index"]))
        except (IndexError, ValueError):
            raise web.HTTPNotFound() from None
        if not posting.on_careers_site:
            raise web.HTTPNotFound()
        return web.Response(text=jsonld_job_page(posting), content_type="text/html")

    async def careers_recorded(request: web.Request):
        page = recorded_pages.get(request.match_info["name"])
        if page is None:
            raise web.HTTPNotFound()
        return web.Response(body=page.read_bytes(), content_type="text/html", charset="utf-8")

    async def health(_request):
        return web.json_response({"postings": market.size, "seed": market.seed, "hits": hits})

    app = web.Application(middlewares=[fault_injection])
    app.router.add_get("/robots.txt", robots)
    app.router.add_get("/_health", health)
    app.router.add_get("/greenhouse/v1/boards/{token}/jobs", greenhouse_jobs)
    app.router.add_get("/greenhouse/v1/boards/{token}/jobs/{job_id:\\d+}", greenhouse_job_detail)
    app.router.add_get("/careers/sitemap.xml", careers_sitemap_index)
    app.router.add_get("/careers/sitemap-{chunk:\\d+}.xml", careers_sitemap)
    app.router.add_get("/careers/jobs/{index}", careers_job)
    app.router.add_get("/careers/recorded/{name}", careers_recorded)
    app[HITS] = hits
    return app


@contextmanager
def running_sandbox(
    market: Market | None = None, faults: dict[str, str] | None = None, port: int = 0
) -> Iterator[str]:
    """Serve the sandbox from a background thread; yields its base URL."""
    app = build_app(market or Market(), faults)
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(app, access_log=None)
    started = threading.Event()
    box: dict[str, object] = {}

    def serve() -> None:
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(runner.setup())
            site = web.TCPSite(runner, "127.0.0.1", port)
            loop.run_until_complete(site.start())
            box["port"] = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        except BaseException as exc:  # surfaced to the caller below
            box["error"] = exc
            started.set()
            return
        started.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    thread = threading.Thread(target=serve, name="sandbox", daemon=True)
    thread.start()
    started.wait(30)
    if "error" in box:
        raise RuntimeError(f"sandbox failed to start: {box['error']}") from box["error"]  # type: ignore[arg-type]
    try:
        yield f"http://127.0.0.1:{box['port']}"
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join(10)


def serve_forever(market: Market, port: int, faults: dict[str, str] | None = None) -> None:
    web.run_app(
        build_app(market, faults),
        host="127.0.0.1",
        port=port,
        access_log=None,
        print=lambda *_: None,
    )


def describe(base_url: str) -> str:
    return json.dumps(
        {
            "greenhouse": f"{base_url}/greenhouse",
            "careers_sitemap": f"{base_url}/careers/sitemap.xml",
        },
        indent=2,
    )
