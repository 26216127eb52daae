"""The sandbox's fault catalogue: each way a real site misbehaves, served on demand.

A fault is chosen per exact path (``/greenhouse/v1/boards/gitlab/jobs``), per glob pattern
(``/greenhouse/*``) or per source name (``greenhouse``, the same as ``/greenhouse/*``), and
spelled ``NAME[:ARG][xTIMES]``: ``503x2`` answers two 503s on each path it matches and then
the real page; ``429:5`` is a 429 with ``Retry-After: 5``; ``slow:3`` waits three seconds.
Without ``xTIMES`` the fault never stops. ``CATALOGUE`` lists every name with what it serves.

The transformations of a real body (truncate, re-encode, empty, move the layout) are pure
functions of bytes, so they are tested without a server.
"""

from __future__ import annotations

import asyncio
import fnmatch
import json
import re
import socket
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]

# name -> what it serves (also the order ``describe_catalogue`` prints).
CATALOGUE: dict[str, str] = {
    "403": "403 Forbidden",
    "429": "429 Too Many Requests with Retry-After ARG seconds (default 1)",
    "5xx": "that status (500, 502, 503, 504...); with ARG, a Retry-After of ARG seconds",
    "challenge": "a 403 Cloudflare 'Just a moment...' challenge page (cf-mitigated: challenge)",
    "captcha": "a 200 page that is only a reCAPTCHA form",
    "malformed": "200 with a JSON body cut mid-string",
    "slow": "the real page after ARG seconds (default 5)",
    "reset": "no response: the TCP connection is reset",
    "truncated": "the real page's headers and half its body, then the connection closes",
    "wrong_charset": "the real page re-encoded as cp1252 but still labelled utf-8",
    "no_charset": "the real page with no charset in its Content-Type",
    "redirect_loop": "302 to a twin URL that 302s back (ARG 'self': 302 to itself)",
    "huge": "a 200 HTML page of ARG MB (default 50) streamed in chunks, no Content-Length",
    "robots": "robots.txt disallows the path (the page itself is served if asked)",
    "empty": "the real page with every result list emptied: a valid page with no results",
    "layout": "the real page with its layout moved: JSON keys renamed (ARG: only that key), "
    "HTML classes renamed and embedded JSON removed",
}
_SPEC = re.compile(r"^(?P<name>[a-z_]+|[45]\d\d)(?::(?P<arg>[^:]*?))?(?:x(?P<times>\d+))?$")
_LOOP_PARAM = "_loop"
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class FaultSpec:
    name: str
    arg: str | None = None
    times: int | None = None  # None: every request; n: the first n requests of each path

    def number(self, default: float) -> float:
        return float(self.arg) if self.arg not in (None, "") else default


def parse_fault(spec: str) -> FaultSpec:
    """``'503:2x3'`` -> FaultSpec('503', '2', 3); a ValueError for anything not in the catalogue."""
    match = _SPEC.match(spec.strip())
    if not match:
        raise ValueError(f"unknown fault {spec!r}; choose from {', '.join(CATALOGUE)}")
    name, arg, times = match["name"], match["arg"], match["times"]
    if not (name in CATALOGUE or re.fullmatch(r"[45]\d\d", name)):
        raise ValueError(f"unknown fault {spec!r}; choose from {', '.join(CATALOGUE)}")
    fault = FaultSpec(name, arg, int(times) if times else None)
    if name in ("429", "slow", "huge") or (name.isdigit() and arg):
        try:
            if fault.number(1) < 0:
                raise ValueError
        except ValueError:
            raise ValueError(f"fault {spec!r}: {arg!r} is not a number of seconds/MB") from None
    if name == "redirect_loop" and arg not in (None, "", "self"):
        raise ValueError(f"fault {spec!r}: redirect_loop takes no argument or 'self'")
    return fault


def rule_pattern(key: str) -> str:
    """A fault key as a path glob: a source name covers everything under its prefix."""
    if key.startswith("/"):
        return key
    return f"/{key.strip('/')}/*"


def _is_glob(pattern: str) -> bool:
    return any(ch in pattern for ch in "*?[")


class FaultRules:
    """Which fault a request path gets, counting ``xTIMES`` faults per path."""

    def __init__(self, faults: dict[str, str] | None = None):
        self.rules = [(rule_pattern(k), parse_fault(v)) for k, v in (faults or {}).items()]
        self.served: dict[tuple[int, str], int] = {}

    def match(self, path: str) -> FaultSpec | None:
        """The fault for this request, or None for the real page. Exact paths win over globs."""
        ordered = sorted(enumerate(self.rules), key=lambda r: _is_glob(r[1][0]))
        for index, (pattern, fault) in ordered:
            hit = fnmatch.fnmatchcase(path, pattern) if _is_glob(pattern) else path == pattern
            if not hit or fault.name == "robots":
                continue
            if fault.times is not None:
                count = self.served.get((index, path), 0)
                if count >= fault.times:
                    continue
                self.served[(index, path)] = count + 1
            return fault
        return None

    def robots_txt(self) -> str:
        """The sandbox's robots.txt: everything allowed except the ``robots`` faults."""
        lines = ["User-agent: *"]
        for pattern, fault in self.rules:
            if fault.name == "robots":
                lines.append(f"Disallow: {pattern}")
        lines.append("Allow: /")
        return "\n".join(lines) + "\n"


# --- pure transformations of a real body ---------------------------------------------------


def truncated_json() -> bytes:
    return b'{"jobs": [{"id": 1, "title": "Trunc'


def status_headers(fault: FaultSpec) -> dict[str, str]:
    if fault.name == "429":
        return {"Retry-After": str(int(fault.number(1)))}
    if fault.arg:
        return {"Retry-After": str(int(fault.number(1)))}
    return {}


def mislabelled(body: bytes) -> bytes:
    """UTF-8 text re-encoded as cp1252 (what a misconfigured server sends as 'utf-8')."""
    return body.decode("utf-8", "replace").encode("cp1252", "replace")


def emptied(body: bytes) -> bytes:
    """A valid page with no results: JSON lists emptied and totals zeroed; HTML without rows."""
    try:
        data = json.loads(body)
    except ValueError:
        return b"<!DOCTYPE html><html><body><main><p>No results found.</p></main></body></html>"
    if isinstance(data, list):
        return b"[]"
    if isinstance(data, dict):
        for key, value in data.items():
            if isinstance(value, list):
                data[key] = []
            elif isinstance(value, dict):
                data[key] = {
                    k: (0 if k in ("total", "count", "totalFound") else v) for k, v in value.items()
                }
    return json.dumps(data).encode()


def _rename_keys(data, key: str | None):
    if isinstance(data, dict):
        return {
            (f"{k}_v2" if key is None or k == key else k): _rename_keys(v, key)
            for k, v in data.items()
        }
    if isinstance(data, list):
        return [_rename_keys(v, key) for v in data]
    return data


_EMBEDDED_JSON = re.compile(
    rb"<script[^>]*(application/ld\+json|__NEXT_DATA__|application/json)[^>]*>.*?</script>",
    re.IGNORECASE | re.DOTALL,
)
_CLASS_OR_ID = re.compile(rb'\b(class|id)="([^"]*)"')


def relayout(body: bytes, key: str | None = None) -> bytes:
    """The page after a redesign: every selector and JSON path of the old layout misses.

    JSON: every key renamed (``key``: only that one, e.g. ``title`` for a field that moved).
    HTML: class and id names prefixed, embedded JSON (JSON-LD, framework state) removed, and
    the words the old parsers anchor on ("average", "salary") no longer in the same sentence.
    """
    try:
        data = json.loads(body)
    except ValueError:
        pass
    else:
        return json.dumps(_rename_keys(data, key)).encode()
    body = _EMBEDDED_JSON.sub(b"", body)
    body = _CLASS_OR_ID.sub(
        lambda m: m[1] + b'="' + b" ".join(b"v2-" + c for c in m[2].split()) + b'"', body
    )
    return re.sub(rb"(?i)average (base )?salary", b"typical pay", body)


CAPTCHA_PAGE = (
    "<!DOCTYPE html><html><head><title>Please verify you are a human</title>"
    '<script src="https://www.google.com/recaptcha/api.js" async defer></script></head>'
    '<body><form method="post"><div class="g-recaptcha" data-sitekey="x"></div>'
    "<button>Continue</button></form></body></html>"
)


# --- serving ------------------------------------------------------------------------------


async def _real(request: web.Request, handler: Handler) -> tuple[web.Response, bytes]:
    response = await handler(request)
    body = response.body if isinstance(response, web.Response) else b""
    if not isinstance(body, bytes):
        body = bytes(body._value) if hasattr(body, "_value") else b""  # aiohttp payloads
    return response, body  # type: ignore[return-value]


def _reset(request: web.Request) -> None:
    """Close the connection with a TCP RST instead of a FIN: the client sees a reset."""
    transport = request.transport
    if transport is None:
        return
    sock = transport.get_extra_info("socket")
    if sock is not None:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()


async def serve_fault(
    fault: FaultSpec, request: web.Request, handler: Handler, challenge_page: str
) -> web.StreamResponse:
    name = fault.name
    if name == "403":
        return web.Response(status=403, text="Forbidden")
    if name.isdigit():
        reasons = {429: "Too Many Requests", 500: "Internal Server Error"}
        text = reasons.get(int(name), "Service Unavailable" if name == "503" else "Error")
        return web.Response(status=int(name), text=text, headers=status_headers(fault))
    if name == "challenge":
        return web.Response(
            status=403,
            text=challenge_page,
            content_type="text/html",
            headers={"cf-mitigated": "challenge", "Server": "cloudflare"},
        )
    if name == "captcha":
        return web.Response(text=CAPTCHA_PAGE, content_type="text/html")
    if name == "malformed":
        return web.Response(body=truncated_json(), content_type="application/json")
    if name == "slow":
        await asyncio.sleep(fault.number(5))
        return await handler(request)
    if name == "reset":
        _reset(request)
        return web.Response(status=500)  # never sent: the transport is already gone
    if name == "redirect_loop":
        if fault.arg == "self":
            return web.Response(status=302, headers={"Location": str(request.rel_url)})
        query = dict(request.query)
        if query.pop(_LOOP_PARAM, None) is None:
            query[_LOOP_PARAM] = "1"
        target = request.rel_url.with_query(query)
        return web.Response(status=302, headers={"Location": str(target)})
    if name == "huge":
        return await _huge(request, int(fault.number(50) * _CHUNK))
    real, body = await _real(request, handler)
    content_type = real.headers.get("Content-Type", "application/octet-stream")
    if name == "truncated":
        return await _truncated(request, real.status, content_type, body)
    if name == "wrong_charset":
        mime = content_type.split(";")[0]
        return web.Response(
            status=real.status,
            body=mislabelled(body),
            headers={"Content-Type": f"{mime}; charset=utf-8"},
        )
    if name == "no_charset":
        return web.Response(
            status=real.status, body=body, headers={"Content-Type": content_type.split(";")[0]}
        )
    if name == "empty":
        return web.Response(
            status=real.status, body=emptied(body), headers={"Content-Type": content_type}
        )
    if name == "layout":
        moved = relayout(body, fault.arg or None)
        return web.Response(status=real.status, body=moved, headers={"Content-Type": content_type})
    raise AssertionError(f"fault {name} is in the catalogue but not served")  # pragma: no cover


async def _truncated(
    request: web.Request, status: int, content_type: str, body: bytes
) -> web.StreamResponse:
    response = web.StreamResponse(status=status, headers={"Content-Type": content_type})
    response.content_length = len(body)
    await response.prepare(request)
    await response.write(body[: len(body) // 2])
    if request.transport is not None:
        request.transport.close()  # before the rest: the client sees a short body
    return response


async def _huge(request: web.Request, size: int) -> web.StreamResponse:
    """``size`` bytes of HTML, one reused 1 MB chunk at a time: nothing big is built."""
    response = web.StreamResponse(headers={"Content-Type": "text/html; charset=utf-8"})
    response.enable_chunked_encoding()
    await response.prepare(request)
    chunk = (b"<p>" + b"x" * (_CHUNK - 8) + b"</p>\n")[:_CHUNK]
    sent = 0
    try:
        await response.write(b"<!DOCTYPE html><html><body>")
        while sent < size:
            await response.write(chunk)
            sent += len(chunk)
        await response.write(b"</body></html>")
        await response.write_eof()
    except (ConnectionError, RuntimeError):
        pass  # the client gave up, as it should
    return response


def describe_catalogue() -> str:
    return "\n".join(f"  {name:<14} {what}" for name, what in CATALOGUE.items())
