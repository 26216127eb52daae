"""Career sites under /careers: sitemaps, generated JobPosting pages, recorded real pages."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from aiohttp import web

from sandbox.generator import Market, jsonld_job_page
from sandbox.realdata import realdata_dir

SITEMAP_CHUNK = 50_000  # the sitemaps.org limit of URLs per file


def recorded_pages() -> dict[str, Path]:
    """Real JobPosting pages from the shared recordings, when they are present."""
    root = realdata_dir()
    if root is None:
        return {}
    return {p.name: p for p in sorted((root / "html_jobposting").glob("*.html"))}


def _xml(root: str, entries: list[str]) -> web.Response:
    body = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<{root} xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
        *entries,
        f"</{root}>",
    ]
    return web.Response(text="\n".join(body), content_type="application/xml")


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    pages = recorded_pages()

    def urls(request: web.Request, chunk: int) -> Iterator[str]:
        """Chunk ``n`` lists the career-site postings with index in [n*50k, (n+1)*50k)."""
        base = f"{request.scheme}://{request.host}/careers"
        if chunk == 0:
            for name in pages:
                yield f"{base}/recorded/{name}"
        for index in range(chunk * SITEMAP_CHUNK, min(market.size, (chunk + 1) * SITEMAP_CHUNK)):
            if market.posting(index).on_careers_site:
                yield f"{base}/jobs/{index}"

    async def sitemap_index(request: web.Request):
        base = f"{request.scheme}://{request.host}/careers"
        chunks = max(1, -(-market.size // SITEMAP_CHUNK))
        return _xml(
            "sitemapindex",
            [f"<sitemap><loc>{base}/sitemap-{n}.xml</loc></sitemap>" for n in range(chunks)],
        )

    async def sitemap(request: web.Request):
        chunk = int(request.match_info["chunk"])
        entries = [f"<url><loc>{xml_escape(u)}</loc></url>" for u in urls(request, chunk)]
        if not entries:
            raise web.HTTPNotFound()
        return _xml("urlset", entries)

    async def job(request: web.Request):
        try:
            posting = market.posting(int(request.match_info["index"]))
        except (IndexError, ValueError):
            raise web.HTTPNotFound() from None
        if not posting.on_careers_site:
            raise web.HTTPNotFound()
        return web.Response(text=jsonld_job_page(posting), content_type="text/html")

    async def recorded(request: web.Request):
        page = pages.get(request.match_info["name"])
        if page is None:
            raise web.HTTPNotFound()
        return web.Response(body=page.read_bytes(), content_type="text/html", charset="utf-8")

    router.add_get("/careers/sitemap.xml", sitemap_index)
    router.add_get("/careers/sitemap-{chunk:\\d+}.xml", sitemap)
    router.add_get("/careers/jobs/{index}", job)
    router.add_get("/careers/recorded/{name}", recorded)


def scrapy_settings(base_url: str) -> dict:
    return {
        "CAREERS_SITEMAPS": [f"{base_url}/careers/sitemap.xml"],
        "CAREERS_FOLLOW": ["/careers/jobs/", "/careers/recorded/"],
    }
