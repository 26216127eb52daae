"""Downloader and spider middlewares: block detection, polite retries, lost pages and network
failures recorded."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

from OpenSSL import SSL
from scrapy.downloadermiddlewares.retry import RetryMiddleware, get_retry_request
from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import (
    CannotResolveHostError,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadFailedError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.spidermiddlewares.base import BaseSpiderMiddleware
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.asyncio import sleep
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from scrapy.utils.response import response_status_message
from twisted.internet import error as twisted_errors
from twisted.internet.defer import Deferred
from twisted.web.client import ResponseFailed

from spiders.items import PageFailure
from spiders.urls import without_secrets


class Blocked(IgnoreRequest):
    """A response that is a block or a challenge; ``reason`` as ``block_reason`` names it."""

    def __init__(self, reason: str, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.reason = reason
        self.retry_after = retry_after  # seconds the server asked us to wait, if it said


class BlockDetectionMiddleware:
    """Counts blocked and challenged responses in stats and stops them reaching parsers.

    A blocked source then shows as ``blocked`` in the run, never as "zero postings".
    Stats: ``secjobs/blocked`` and ``secjobs/blocked/<reason>``, plus the first URL.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response, spider=None):
        from spiders.blocking import block_reason

        headers = {
            k.decode("latin-1").lower(): v[0].decode("latin-1") if v else ""
            for k, v in response.headers.items()
        }
        reason = block_reason(response.status, headers, response.body)
        if reason is None:
            return response
        stats = self.crawler.stats
        stats.inc_value("secjobs/blocked")
        stats.inc_value(f"secjobs/blocked/{reason}")
        if stats.get_value("secjobs/blocked_first_url") is None:
            stats.set_value("secjobs/blocked_first_url", without_secrets(response.url))
        if request.url.endswith("/robots.txt"):
            return response  # RobotsTxtMiddleware treats a blocked robots.txt itself
        wait = retry_after_seconds(headers.get("retry-after"))
        raise Blocked(reason, f"blocked ({reason}): {response.status} {response.url}", wait)


# --- robots.txt: obeyed by every request, not only the first to wait for it ---------------


class RobotsTxtEveryRequestMiddleware(RobotsTxtMiddleware):
    """Scrapy's RobotsTxtMiddleware, with each request waiting on its own copy of the parser.

    Scrapy 2.19 makes every request that arrives while robots.txt is being fetched await the
    same Deferred as an asyncio Future, and Twisted's ``asFuture`` leaves that Deferred
    firing None for the next waiter: only the first gets the parser, the others are let
    through as if there were no robots.txt (scrapy/scrapy#6802 removed the per-waiter copy).
    The sandbox's robots fault caught a disallowed board being fetched.
    """

    async def robot_parser(self, request):
        parser = self._parsers.get(urlparse_cached(request).netloc)
        if isinstance(parser, Deferred):
            mine: Deferred = Deferred()

            def hand_on(result):
                mine.callback(result)
                return result  # the shared Deferred keeps its parser for the next waiter

            parser.addCallback(hand_on)
            return await maybe_deferred_to_future(mine)
        return await super().robot_parser(request)


# --- retries: exponential backoff, Retry-After honoured ------------------------------------


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """A ``Retry-After`` header as seconds from ``now``: delta-seconds or an HTTP date.

    None when absent or unreadable; a date in the past is 0.
    """
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def backoff_seconds(retry_number: int, base: float, cap: float) -> float:
    """Exponential backoff before retry ``retry_number`` (1, 2, 3...): base, 2*base, 4*base..."""
    return min(cap, base * 2 ** max(0, retry_number - 1))


class PoliteRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware, waiting before each retry instead of retrying at once.

    A response carrying ``Retry-After`` (429, 503) is retried after the time the server asked
    for; one asking for more than ``RETRY_AFTER_MAX`` seconds is not retried (it goes on to
    block detection as rate limited). Other retries wait ``RETRY_BACKOFF_BASE`` seconds,
    doubling each time, at most ``RETRY_BACKOFF_MAX``. The wait holds back this request
    only. Stats: ``secjobs/retry_after/{count,waited_seconds,too_long}`` and
    ``secjobs/retry/backoff_seconds``, beside Scrapy's ``retry/reason_count/<reason>``.
    """

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 60.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 120.0)

    def _retry_request(self, request, reason):
        return get_retry_request(
            request,
            spider=self.crawler.spider,
            reason=reason,
            max_retry_times=request.meta.get("max_retry_times", self.max_retry_times),
            priority_adjust=request.meta.get("priority_adjust", self.priority_adjust),
            give_up_log_level=request.meta.get("give_up_log_level", self.give_up_log_level),
        )

    async def _after(self, retry, wait: float | None):
        stats = self.crawler.stats
        if wait is None:
            wait = backoff_seconds(retry.meta["retry_times"], self.backoff_base, self.backoff_max)
            stats.inc_value("secjobs/retry/backoff_seconds", wait)
        else:
            stats.inc_value("secjobs/retry_after/count")
            stats.inc_value("secjobs/retry_after/waited_seconds", wait)
        if wait > 0:
            await sleep(wait)
        return retry

    async def process_response(self, request, response, spider=None):
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        header = response.headers.get(b"Retry-After")
        wait = retry_after_seconds(header.decode("latin-1") if header else None)
        if wait is not None and wait > self.retry_after_max:
            self.crawler.stats.inc_value("secjobs/retry_after/too_long")
            return response
        retry = self._retry_request(request, response_status_message(response.status))
        if retry is None:
            return response
        return await self._after(retry, wait)

    async def process_exception(self, request, exception, spider=None):
        if not isinstance(exception, self.exceptions_to_retry) or request.meta.get(
            "dont_retry", False
        ):
            return None
        retry = self._retry_request(request, exception)
        if retry is None:
            return None
        return await self._after(retry, None)


# --- redirect loops ----------------------------------------------------------------------

_REDIRECTS = {301, 302, 303, 307, 308}


class RedirectLoopMiddleware:
    """Lets a redirect back to a URL already in the chain through the duplicate filter.

    Scrapy's dupefilter would silently drop A -> B -> A; instead the loop runs into
    REDIRECT_MAX_TIMES and fails loudly, so the page is recorded as lost (``redirect_loop``).
    A cookie-check redirect to the same URL still works: it succeeds on the second visit.
    Sits just before RedirectMiddleware on the response path.
    """

    def process_response(self, request, response, spider=None):
        if response.status in _REDIRECTS and b"Location" in response.headers:
            target = urljoin(request.url, response.headers[b"Location"].decode("latin-1"))
            if target in (*request.meta.get("redirect_urls", ()), request.url):
                request.dont_filter = True
        return response


# --- lost pages: every request the spider has no errback for ------------------------------

_TRANSPORT_FAULTS = (
    (CannotResolveHostError, "dns"),
    (twisted_errors.DNSLookupError, "dns"),
    (DownloadTimeoutError, "timeout"),
    (twisted_errors.TimeoutError, "timeout"),
    (ResponseDataLossError, "truncated"),
    (DownloadConnectionRefusedError, "connection_refused"),
    (twisted_errors.ConnectionRefusedError, "connection_refused"),
    (twisted_errors.ConnectionLost, "connection_lost"),
    (twisted_errors.ConnectionDone, "connection_lost"),
    (DownloadFailedError, "connection_lost"),
)


def failure_kind(failure) -> tuple[str, bool]:
    """What lost a page, and whether it counts as lost (a block or robots.txt is not lost:
    it is counted under ``secjobs/blocked`` or ``robotstxt/forbidden``).
    """
    exc = failure.value
    if isinstance(exc, Blocked):
        return f"blocked_{exc.reason}", False
    if isinstance(exc, HttpError):
        return f"http_{exc.response.status}", True
    if isinstance(exc, IgnoreRequest):
        message = str(exc)
        if "robots.txt" in message:
            return "robots_disallowed", False
        if "redirections" in message:
            chain = [*failure.request.meta.get("redirect_urls", ()), failure.request.url]
            looped = len(set(chain)) < len(chain)
            return ("redirect_loop" if looped else "too_many_redirects"), True
        return "ignored", False
    if isinstance(exc, DownloadCancelledError):
        # Scrapy cancels a download only past DOWNLOAD_MAXSIZE (timeouts have their own error).
        return "too_large", True
    return transport_fault(exc) or "download_error", True


def _tls_failed(exc: BaseException) -> bool:
    # Scrapy wraps Twisted's ResponseNeverReceived in DownloadFailedError; a failed TLS
    # handshake is an OpenSSL error among its reasons, not an exception type of its own.
    cause = exc.__cause__ if isinstance(exc, DownloadFailedError) else exc
    return isinstance(cause, ResponseFailed) and any(r.check(SSL.Error) for r in cause.reasons)


def transport_fault(exc: BaseException) -> str | None:
    """The kind of a download that failed on the way (``dns``, ``connection_refused``,
    ``tls``, ``timeout``, ``connection_lost``, ``truncated``), None for any other error."""
    if _tls_failed(exc):
        return "tls"
    for kind, name in _TRANSPORT_FAULTS:
        if isinstance(exc, kind):
            return name
    return None


def lost_page(failure, stats) -> PageFailure | None:
    """The PageFailure for a request that ended in ``failure``; counted in ``stats``.

    Stats: ``secjobs/faults/<kind>`` for every one, ``secjobs/lost_pages`` and
    ``secjobs/lost_pages/<kind>`` for pages lost to the network or the server. A block is
    None: it is already counted (``secjobs/blocked/<reason>``) and the crawl's verdict says it.
    """
    kind, lost = failure_kind(failure)
    stats.inc_value(f"secjobs/faults/{kind}")
    if isinstance(failure.value, Blocked):
        return None
    if lost:
        stats.inc_value("secjobs/lost_pages")
        stats.inc_value(f"secjobs/lost_pages/{kind}")
    detail = str(failure.value) or type(failure.value).__name__
    if kind == "too_large":
        detail = f"larger than DOWNLOAD_MAXSIZE; {detail}"
    return PageFailure(url=without_secrets(failure.request.url), reason=kind, detail=detail[:500])


class LostPageMiddleware(BaseSpiderMiddleware):
    """Gives every request without an errback the spider's ``page_lost`` errback.

    Without one, a page lost to a timeout, a reset, a 5xx after its retries or a redirect
    loop is only a log line; with it, the loss is a ``PageFailure`` item the pipeline
    quarantines with its reason, and a count in the crawl's stats. Requests that have
    their own errback (Greenhouse's pay detail) keep it.
    """

    def get_processed_request(self, request, response):
        spider = self.crawler.spider
        if request.errback is None and hasattr(spider, "page_lost"):
            request.errback = spider.page_lost
        return request


# --- network failures: requests that never reached their host -------------------------------

# What pipeline.crawls reads as "the network", when no response came back at all.
NETWORK_KINDS = ("dns", "connection_refused", "tls", "timeout")
NETWORK_HOSTS_SHOWN = 5


def _where(request, kind: str) -> str:
    """The host a request failed to reach (the proxy, when it went through one), with its port
    when the port is what was refused or not the scheme's own."""
    parts = urlsplit(request.meta.get("proxy") or request.url)
    host = parts.hostname or "?"
    if ":" in host:
        host = f"[{host}]"  # an IPv6 address
    default = {"http": 80, "https": 443}.get(parts.scheme)
    port = parts.port or default
    if port and (kind == "connection_refused" or port != default):
        return f"{host}:{port}"
    return host


class NetworkFailureMiddleware:
    """Counts every download attempt that failed before the host answered, by kind and host.

    Sits between the downloader and the retry middleware, so each attempt is seen (retries and
    robots.txt too); the HTTP cache, nearer the downloader, answers first when it holds a copy.
    Stats: ``secjobs/network`` and ``secjobs/network/<kind>`` (``dns``, ``connection_refused``,
    ``tls``, ``timeout``), ``secjobs/network_hosts/<kind>`` (the first few hosts, comma
    separated) and ``secjobs/network_timeout`` (the download timeout, seconds). A crawl with no
    response at all is then judged by what kept it from its hosts, not by its monitors.
    """

    def __init__(self, crawler):
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_exception(self, request, exception, spider=None):
        kind = transport_fault(exception)
        if kind not in NETWORK_KINDS:
            return None
        self.stats.inc_value("secjobs/network")
        self.stats.inc_value(f"secjobs/network/{kind}")
        key = f"secjobs/network_hosts/{kind}"
        hosts = [h for h in (self.stats.get_value(key) or "").split(", ") if h]
        where = _where(request, kind)
        if where not in hosts and len(hosts) < NETWORK_HOSTS_SHOWN:
            self.stats.set_value(key, ", ".join([*hosts, where]))
        if kind == "timeout" and "download_timeout" in request.meta:
            self.stats.max_value("secjobs/network_timeout", request.meta["download_timeout"])
        return None
