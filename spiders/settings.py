"""Scrapy settings: polite defaults, per-source base URLs, staging feeds.

Set ``SECJOBS_SANDBOX_URL`` (``secjobs crawl --sandbox`` does) to point every source
at the local sandbox job market instead of the live sites (each source's ``[sandbox]`` table).
"""

import os

from pipeline.config import httpcache_dir, sandbox_url
from spiders.httpcache import expiration_secs, max_age_days
from spiders.sources import (
    SourceSpecError,
    load_sources,
    sandbox_settings,
    source_settings,
    source_specs,
)

BOT_NAME = "secjobs"
SPIDER_MODULES = ["spiders.crawlers"]
NEWSPIDER_MODULE = "spiders.crawlers"

# --- politeness: robots.txt, a descriptive user agent, slow and adaptive -----------------
ROBOTSTXT_OBEY = True
USER_AGENT = "secjobs/0.1 (job-market research; +https://github.com/secjobs/secjobs)"
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# --- surviving the real web: retries, timeouts, size and redirect caps ---------------------
# Transient failures (5xx, 408, 429, timeouts, resets, truncated bodies) are retried up to 3
# times with exponential backoff (1 s, 2 s, 4 s) or after the server's Retry-After, when that
# is at most 2 minutes (spiders/middlewares.py PoliteRetryMiddleware). A 429 still refused
# after its retries reaches block detection as rate limited.
RETRY_TIMES = 3
RETRY_HTTP_CODES = [408, 429, 500, 502, 503, 504, 522, 524]
RETRY_BACKOFF_BASE = 1.0
RETRY_BACKOFF_MAX = 60.0
RETRY_AFTER_MAX = 120.0
# A page lost after its retries is a page_failure item and a stat, not an ERROR line that
# would fail the error-count monitor for a crawl that handled it.
RETRY_GIVE_UP_LOG_LEVEL = "WARNING"
DOWNLOAD_TIMEOUT = 30  # an API page answers in seconds; a hung connection is retried
DOWNLOAD_MAXSIZE = 20 * 1024 * 1024  # the largest real board with content is a few MB
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
REDIRECT_MAX_TIMES = 5  # job APIs redirect once or twice; more is a loop
# 403/429 reach the spider's block detection instead of vanishing in HttpErrorMiddleware.
HTTPERROR_ALLOWED_CODES = [403, 429]
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False  # no listening ports on a scraper host
LOG_LEVEL = os.environ.get("SECJOBS_LOG_LEVEL", "INFO")

ADDONS = {
    "scrapy_poet.Addon": 300,
    # The request queue on disk: Scrapy queues in memory unless JOBDIR is set, and a sitemap
    # of 50,000 job URLs becomes 50,000 Requests at once (a 200,000-posting crawl: 669 MB). A
    # crawl that names no JOBDIR gets a temporary one, deleted when it closes (spiders/jobdirs.py);
    # `-s JOBDIR=DIR` keeps one for pausing and resuming, `-s JOBDIR=` asks for the memory queue.
    "spiders.jobdirs.TemporaryJobDirAddon": 900,
}
DOWNLOADER_MIDDLEWARES = {
    # On the way back from the downloader: redirect loops marked (610) before RedirectMiddleware
    # (600), retries (550) before block detection (545), so a 429 is retried first, and both
    # before scrapy-poet builds page objects (543).
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "spiders.middlewares.RobotsTxtEveryRequestMiddleware": 100,
    "spiders.middlewares.RedirectLoopMiddleware": 610,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.middlewares.PoliteRetryMiddleware": 550,
    "spiders.middlewares.BlockDetectionMiddleware": 545,
    # Failures to reach a host, counted before the retry middleware (550) takes them in hand
    # and after the HTTP cache (900) has had its chance to answer from a stored copy.
    "spiders.middlewares.NetworkFailureMiddleware": 560,
}
SPIDER_MIDDLEWARES = {
    "spiders.discovery.BoardDiscoveryMiddleware": 800,  # after the spider's own output
    "spiders.middlewares.LostPageMiddleware": 900,
    "spiders.origin.OriginMiddleware": 950,  # after the page failures are made
}
ITEM_PIPELINES = {"spiders.item_pipelines.StampPipeline": 100}
EXTENSIONS = {
    "spidermon.contrib.scrapy.extensions.Spidermon": 500,
    # Title, company and pay coverage of the crawl's items, for the field coverage monitor.
    "spiders.monitors.CoverageStats": 400,
    # After spidermon, so the stats file carries the monitors' verdict.
    "spiders.extensions.StatsFileExtension": 900,
    "spiders.jobdirs.TemporaryJobDir": 950,
    # AutoThrottle, but never faster than a source's published limit (DOWNLOAD_SLOTS delay).
    "scrapy.extensions.throttle.AutoThrottle": None,
    "spiders.extensions.PoliteAutoThrottle": 0,
}

# --- crawl health: spidermon close monitors (spiders/monitors.py) -------------------------
SPIDERMON_ENABLED = True
SPIDERMON_ADD_FIELD_COVERAGE = True
SPIDERMON_FIELD_COVERAGE_SKIP_NONE = True
SPIDERMON_SPIDER_CLOSE_MONITORS = ("spiders.monitors.CrawlHealthSuite",)
SPIDERMON_EXPECTED_FINISH_REASONS = ["finished"]
SPIDERMON_MAX_ERRORS = 0

# --- sources: spiders/sources/<spider>.toml -> <SPIDER>_<KEY> settings, DOWNLOAD_SLOTS ----
# Every file is validated here, once: a misspelt key or a wrong type stops `scrapy list`,
# `scrapy crawl` and `secjobs` with the file, the key and the expected type.
try:
    source_specs()
except SourceSpecError as error:
    raise SystemExit(f"secjobs: bad source configuration\n{error}") from None
globals().update(source_settings(load_sources()))

# --- incremental crawling: an RFC 2616 HTTP cache that revalidates ---------------------
# Responses carrying validators (ETag / Last-Modified) are kept; the next crawl asks with
# If-None-Match / If-Modified-Since and reuses the stored body on 304 Not Modified, so
# unchanged job details are not downloaded again. Responses without validators or expiry
# (most list endpoints) are never stored. HTTPCACHE_DIR must be absolute: Scrapy would
# otherwise put a relative one under .scrapy/.
HTTPCACHE_ENABLED = True
HTTPCACHE_POLICY = "scrapy.extensions.httpcache.RFC2616Policy"
HTTPCACHE_STORAGE = "scrapy.extensions.httpcache.FilesystemCacheStorage"
HTTPCACHE_DIR = str(httpcache_dir())
# Older entries are fetched anew; every pipeline run (or `secjobs cache prune`) deletes them.
HTTPCACHE_EXPIRATION_SECS = expiration_secs(max_age_days())
HTTPCACHE_GZIP = True

# --- staging: one JSON Lines file per spider per run -------------------------------------
STAGING_DIR = os.environ.get("SECJOBS_STAGING_DIR", "data/staging")
FEEDS = {
    f"{STAGING_DIR}/%(name)s/%(run_id)s.jsonl": {
        "format": "jsonlines",
        "encoding": "utf8",
        "store_empty": True,
        # A resumed crawl (JOBDIR, a retry of the same run) appends to the same feed.
        "overwrite": False,
    }
}
# The crawl's stats land beside its feed so the flow can record them.
STATS_FILE = f"{STAGING_DIR}/%(name)s/%(run_id)s.stats.json"

_SANDBOX = sandbox_url()
if _SANDBOX:
    globals().update(sandbox_settings(_SANDBOX))

# --- distributed crawl: with SECJOBS_REDIS_URL, a shared frontier in Redis (scrapy-redis) --
_REDIS = os.environ.get("SECJOBS_REDIS_URL")
if _REDIS:
    from spiders.distributed import redis_settings

    globals().update(redis_settings(_REDIS, os.environ.get("SECJOBS_REDIS_PREFIX", "secjobs")))
