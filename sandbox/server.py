"""The sandbox job market: an aiohttp server on 127.0.0.1 serving each source under
its real URL layout below a prefix, from recorded real responses and generated postings.

Each source's routes live in ``sandbox/routes/<source>.py`` under ``/<source>/`` followed by
the live site's own path (``/greenhouse/v1/boards/<token>/jobs?content=true``).
Faults on demand (``sandbox/faults.py``): ``faults`` maps an exact path, a glob
(``/greenhouse/*``) or a source name to a fault of the catalogue (``503x2``, ``429:5``,
``slow:3``, ``reset``, ``huge``...). ``/_health`` reports each path's hits and when they came.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

from aiohttp import web

from sandbox.faults import CATALOGUE, FaultRules, serve_fault
from sandbox.generator import Market
from sandbox.realdata import realdata_dir
from sandbox.routes import route_modules

HITS = web.AppKey("hits", dict)
FAULTS = tuple(CATALOGUE)
_CHALLENGE_FALLBACK = (
    "<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>"
    '<div id="challenge-running">Checking if the site connection is secure</div>'
    "<script src='/cdn-cgi/challenge-platform/h/b/orchestrate/jsch/v1'></script></body></html>"
)


def _challenge_page() -> str:
    root = realdata_dir()
    if root is not None:
        page = root / "html_listing" / "Jyaba-Solution__ziprecruiter_cloudflare_challenge.html"
        if page.exists():
            return page.read_text(encoding="utf-8", errors="replace")
    return _CHALLENGE_FALLBACK


def build_app(market: Market, faults: dict[str, str] | None = None) -> web.Application:
    rules = FaultRules(faults)  # a ValueError names an unknown fault
    hits: dict[str, int] = {}
    times: dict[str, list[float]] = {}
    challenge = _challenge_page()

    @web.middleware
    async def fault_injection(request: web.Request, handler):
        hits[request.path] = hits.get(request.path, 0) + 1
        times.setdefault(request.path, []).append(round(time.time(), 3))
        fault = rules.match(request.path)
        if fault is None:
            return await handler(request)
        return await serve_fault(fault, request, handler, challenge)

    async def robots(_request):
        return web.Response(text=rules.robots_txt())

    async def health(_request):
        return web.json_response(
            {"postings": market.size, "seed": market.seed, "hits": hits, "times": times}
        )

    app = web.Application(middlewares=[fault_injection])
    app.router.add_get("/robots.txt", robots)
    app.router.add_get("/_health", health)
    for module in route_modules():
        module.add_routes(app.router, market)
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
    """Each source's sandbox prefix, one per line."""
    return "\n".join(
        f"  {m.__name__.rsplit('.', 1)[1]:<16} {base_url}/{m.__name__.rsplit('.', 1)[1]}/"
        for m in route_modules()
    )
