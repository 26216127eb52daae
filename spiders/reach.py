"""Before a run: can this machine reach any source host at all (DNS, then a TCP connection)?

With no network every crawl would spend minutes retrying and fail on its monitors; one check of
every host, a few seconds, tells "no network" apart from "one source is down". No Scrapy, no
Prefect: the flow calls it, a test calls it.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.request import getproxies, proxy_bypass

from pipeline import config
from spiders.sources import load_sources, sandbox_settings, source_settings

REACH_TIMEOUT = 5.0  # seconds for each host to resolve and accept a connection
_DEFAULT_PORTS = {"http": 80, "https": 443}


class NoNetwork(RuntimeError):
    """None of the hosts the sources crawl could be reached: nothing to crawl, or retry."""

    def __init__(self, message: str, problems: dict[str, str] | None = None):
        super().__init__(message)
        self.problems = problems or {}  # host -> why it could not be reached


@dataclass(frozen=True, order=True)
class Host:
    name: str
    port: int

    def __str__(self) -> str:
        name = f"[{self.name}]" if ":" in self.name else self.name  # an IPv6 address
        return f"{name}:{self.port}"


def source_urls(
    spiders: list[str],
    sandbox_url: str | None = None,
    overrides: dict[str, object] | None = None,
) -> list[str]:
    """The http(s) URLs in each spider's ``<SPIDER>_*`` settings (base URLs, API bases,
    sitemaps), from what spiders/settings.py builds them from: the sources' TOML, moved under
    the sandbox when ``sandbox_url`` (or ``SECJOBS_SANDBOX_URL``) is set; then ``overrides``
    (the crawl's ``-s`` settings)."""
    sandbox = config.sandbox_url(sandbox_url)
    settings: dict[str, object] = source_settings(load_sources())
    if sandbox:
        # Every URL key of every source is moved under the sandbox, so no real host is left
        # to look up (spiders/sources/spec.py).
        settings.update(sandbox_settings(sandbox))
    settings = {**settings, **(overrides or {})}
    prefixes = tuple(f"{spider.upper()}_" for spider in spiders)
    urls: list[str] = []
    for key, value in settings.items():
        if not key.startswith(prefixes):
            continue
        # A -s setting is a string; Scrapy's getlist splits one on commas.
        values = value.split(",") if isinstance(value, str) else value
        if isinstance(values, list | tuple):
            urls += [v.strip() for v in values if isinstance(v, str)]
    # A template ("https://{host}": Workday's, one host per career site) is no host.
    return [
        u
        for u in urls
        if u.startswith(("http://", "https://")) and urlsplit(u).hostname and "{" not in u
    ]


def _host_of(url: str) -> Host:
    """The host a request for ``url`` connects to: the proxy, when Scrapy's
    HttpProxyMiddleware would send it through one (the ``*_proxy`` environment variables)."""
    parts = urlsplit(url)
    proxy = getproxies().get(parts.scheme)
    if proxy and not proxy_bypass(parts.hostname or ""):
        parts = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
    return Host(parts.hostname or "", parts.port or _DEFAULT_PORTS.get(parts.scheme, 80))


def source_hosts(urls: list[str]) -> list[Host]:
    return sorted({_host_of(url) for url in urls})


def _probe(host: Host, timeout: float) -> str | None:
    """None if ``host`` resolves and accepts a TCP connection within ``timeout``; else why not."""
    try:
        addresses = socket.getaddrinfo(host.name, host.port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return f"could not resolve {host.name} (DNS)"
    errors = []
    for family, kind, proto, _name, address in addresses:
        with socket.socket(family, kind, proto) as sock:
            sock.settimeout(timeout)
            try:
                sock.connect(address)
                return None
            except TimeoutError:
                errors.append(f"no answer from {host} within {timeout:g} s")
            except ConnectionRefusedError:
                errors.append(f"connection refused by {host}")
            except OSError as error:
                errors.append(f"{host}: {error.strerror or error}")
    return errors[0] if errors else f"could not resolve {host.name} (DNS)"


def unreachable_hosts(hosts: list[Host], timeout: float = REACH_TIMEOUT) -> dict[Host, str]:
    """The hosts that cannot be reached, and why; every host is tried at once.

    A lookup can outlast ``timeout`` (getaddrinfo takes none): such a host counts as
    unreachable, and its daemon thread is left to finish on its own.
    """
    answers: dict[Host, str | None] = {}

    def probe(host: Host) -> None:
        answers[host] = _probe(host, timeout)

    threads = [threading.Thread(target=probe, args=(h,), daemon=True) for h in hosts]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout + 1
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    late = f"no answer within {timeout:g} s"
    found = dict(answers)  # a late thread may still write
    return {h: why for h in hosts if (why := found.get(h, late)) is not None}


def require_network(
    spiders: list[str],
    sandbox_url: str | None = None,
    overrides: dict[str, object] | None = None,
    timeout: float = REACH_TIMEOUT,
) -> dict[Host, str]:
    """The source hosts that cannot be reached, and why; ``NoNetwork`` when none can.

    Some hosts down is a matter for those sources' crawls (and their retries), not the run.
    """
    hosts = source_hosts(source_urls(spiders, sandbox_url, overrides))
    down = unreachable_hosts(hosts, timeout)
    if hosts and len(down) == len(hosts):
        problems = {str(host): why for host, why in down.items()}
        if len(hosts) == 1:  # cannot tell "no network" from "that site is down": say which
            raise NoNetwork(
                f"no network: the one source host ({hosts[0]}) could not be reached", problems
            )
        raise NoNetwork(
            f"no network: none of the {len(hosts)} source hosts could be reached", problems
        )
    return down
