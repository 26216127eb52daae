"""Settings for a crawl whose frontier lives in Redis (scrapy-redis), shared by N processes.

Every process started with ``SECJOBS_REDIS_URL`` pops requests from one Redis queue and
records fingerprints in one Redis set, so N ``scrapy crawl`` processes on N machines share
one frontier and never fetch a URL twice. Keys live under ``<prefix>:<spider>:``.

scrapy-redis 0.9.1 works with Scrapy 2.19 (its scheduler passes the engine's duck-typed
interface check), but needs three adjustments, made in the subclasses below:

* an idle worker must not close while another is still parsing a page that will feed the
  queue: scrapy-redis closes any process whose local view is idle, so the second process
  quits as soon as its copy of the start request is filtered. Workers mark themselves busy
  in a Redis sorted set and close only when the queue is empty and no worker is busy;
* a crawl that finished clears its queue and fingerprints, one that stopped early keeps
  them: with scrapy-redis, ``SCHEDULER_PERSIST`` off lets the first worker to stop wipe the
  frontier the others are crawling, and on would make next week's crawl skip every URL;
* duplicates are judged by the crawler's request fingerprinter (scrapy-redis hashes its own
  JSON, ignoring ``REQUEST_FINGERPRINTER_CLASS``), and stats and logs avoid what Scrapy 2.19
  deprecates (the ``spider`` argument of stats methods, ``Spider.log()``).

A process stopped gracefully (Ctrl-C once, CLOSESPIDER_*) finishes its in-flight requests
before closing, so nothing is lost. A process killed outright loses the requests it had
popped (scrapy-redis has no acknowledgement): their fingerprints are recorded, so a resumed
crawl does not fetch them.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import uuid

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.misc import load_object
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet.task import LoopingCall

logger = logging.getLogger(__name__)

# Pop the best request and mark the worker busy in one step, so no other worker can see the
# queue empty and this worker idle while it holds the request. Scores are Redis's own clock:
# the workers' clocks may disagree. KEYS: queue, busy set. ARGV: worker, ttl seconds.
_CLAIM = """
local head = redis.call('ZRANGE', KEYS[1], 0, 0)
if #head == 0 then return false end
redis.call('ZREM', KEYS[1], head[1])
redis.call('ZADD', KEYS[2], tonumber(redis.call('TIME')[1]) + tonumber(ARGV[2]), ARGV[1])
return head[1]
"""
# Keep the worker marked busy. KEYS: busy set. ARGV: worker, ttl seconds.
_MARK_BUSY = """
redis.call('ZADD', KEYS[1], tonumber(redis.call('TIME')[1]) + tonumber(ARGV[2]), ARGV[1])
"""
# Mark the worker idle, forget workers whose mark expired (crashed), and count what is left:
# {queued requests, busy workers}. KEYS: queue, busy set. ARGV: worker.
_IDLE = """
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', '(' .. redis.call('TIME')[1])
return {redis.call('ZCARD', KEYS[1]), redis.call('ZCARD', KEYS[2])}
"""


def redis_settings(url: str, prefix: str) -> dict[str, object]:
    """Scrapy settings for a frontier shared through the Redis at ``url``, keys under prefix:."""
    if not prefix or "%" in prefix:
        # scrapy-redis %-formats the key templates (twice), so a % would corrupt them.
        raise ValueError(f"SECJOBS_REDIS_PREFIX must be non-empty and without '%': {prefix!r}")
    return {
        "REDIS_URL": url,
        "SCHEDULER": "spiders.distributed.SharedFrontierScheduler",
        "DUPEFILTER_CLASS": "spiders.distributed.FingerprintDupeFilter",
        # A sorted set by request priority: the claim script above relies on it.
        "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
        "SCHEDULER_QUEUE_KEY": f"{prefix}:%(spider)s:requests",
        "SCHEDULER_DUPEFILTER_KEY": f"{prefix}:%(spider)s:dupefilter",
        "SECJOBS_REDIS_BUSY_KEY": f"{prefix}:%(spider)s:busy",
        # Seconds a worker's busy mark outlives its last heartbeat (a crashed worker holds the
        # others back this long at most).
        "SECJOBS_REDIS_BUSY_TTL": 60,
        # Kept when a crawl stops early so it can be resumed; cleared when it finishes.
        "SCHEDULER_PERSIST": True,
        # The shared queue hands each page to whichever worker is free, so a machine's own
        # HTTP cache holds a different ~1/N of the pages every run and its conditional
        # requests mostly miss; the cache is off unless asked for (-s HTTPCACHE_ENABLED=1).
        "HTTPCACHE_ENABLED": False,
    }


def worker_id() -> str:
    """``<host>-<pid>-<random>``: unique among the crawl's processes (containers share pids
    and sometimes host names), readable in logs, safe in a file name."""
    name = f"{socket.gethostname()}-{os.getpid()}-{uuid.uuid4().hex[:6]}"
    return re.sub(r"[^A-Za-z0-9_.-]", "_", name)


class FingerprintDupeFilter(RFPDupeFilter):
    """scrapy-redis's Redis set of fingerprints, computed by the crawler's fingerprinter."""

    fingerprinter = None
    stats = None

    @classmethod
    def from_spider(cls, spider):
        dupefilter = super().from_spider(spider)
        dupefilter.fingerprinter = spider.crawler.request_fingerprinter
        dupefilter.stats = spider.crawler.stats
        return dupefilter

    @classmethod
    def from_crawler(cls, crawler):
        dupefilter = super().from_crawler(crawler)
        dupefilter.fingerprinter = crawler.request_fingerprinter
        dupefilter.stats = crawler.stats
        return dupefilter

    def request_fingerprint(self, request) -> str:
        if self.fingerprinter is None:
            return super().request_fingerprint(request)
        return self.fingerprinter.fingerprint(request).hex()

    def log(self, request, spider) -> None:
        super().log(request, spider)
        if self.stats is not None:
            # The name Scrapy's own scheduler uses, so crawls read the same either way.
            self.stats.inc_value("dupefilter/filtered")


class SharedFrontierScheduler(Scheduler):
    """scrapy-redis's scheduler for N workers: closes only when no worker can add requests."""

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.worker = worker_id()
        scheduler.busy_template = crawler.settings.get("SECJOBS_REDIS_BUSY_KEY", "%(spider)s:busy")
        scheduler.busy_ttl = max(3, crawler.settings.getint("SECJOBS_REDIS_BUSY_TTL", 60))
        scheduler.busy = False
        scheduler.heartbeat = LoopingCall(scheduler._keep_busy)
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider):
        # scrapy-redis's open(), without its Spider.log() call (deprecated in Scrapy 2.19).
        self.spider = spider
        self.queue = load_object(self.queue_cls)(
            server=self.server,
            spider=spider,
            key=self.queue_key % {"spider": spider.name},
            serializer=self.serializer,
        )
        if not self.df:
            self.df = load_object(self.dupefilter_cls).from_spider(spider)
        if self.flush_on_start:
            self.flush()
        if queued := len(self.queue):
            logger.info("resuming the crawl: %d requests queued in Redis", queued)
        self.busy_key = self.busy_template % {"spider": spider.name}
        self._claim = self.server.register_script(_CLAIM)
        self._mark = self.server.register_script(_MARK_BUSY)
        self._idle = self.server.register_script(_IDLE)
        # Busy from the start: this worker's start requests may still be on their way to Redis.
        self._mark_busy()
        self.heartbeat.start(self.busy_ttl / 3, now=False)
        self.stats.set_value("secjobs/redis/worker", self.worker)
        run_id = getattr(spider, "run_id", None)
        if isinstance(run_id, str) and run_id.startswith("adhoc-"):
            # Feeds are named after the run id (FEEDS uses %(run_id)s): two ad-hoc processes
            # started in the same second on one machine would overwrite each other's feed.
            # The flow passes its own run id and is left alone.
            spider.run_id = f"{run_id}-{self.worker}"

    def _mark_busy(self) -> None:
        self.busy = True
        self._mark(keys=[self.busy_key], args=[self.worker, self.busy_ttl])

    def _keep_busy(self) -> None:
        if self.busy:  # a slow page must not look like a crashed worker
            self._mark(keys=[self.busy_key], args=[self.worker, self.busy_ttl])

    def _mark_idle(self) -> tuple[int, int]:
        self.busy = False
        queued, busy = self._idle(keys=[self.queue.key, self.busy_key], args=[self.worker])
        return int(queued), int(busy)

    def enqueue_request(self, request) -> bool:
        if not request.dont_filter and self.df.request_seen(request):
            self.df.log(request, self.spider)
            return False
        self.stats.inc_value("scheduler/enqueued/redis")
        self.queue.push(request)
        return True

    def next_request(self):
        data = self._claim(keys=[self.queue.key, self.busy_key], args=[self.worker, self.busy_ttl])
        if data is None:
            return None
        self.busy = True  # the claim script marked us busy in Redis too
        self.stats.inc_value("scheduler/dequeued/redis")
        return self.queue._decode_request(data)

    def spider_idle(self, spider) -> None:
        """Nothing to do here: stay open while other workers may still add requests."""
        queued, busy = self._mark_idle()
        if queued or busy:
            logger.debug("idle, waiting: %d requests queued, %d workers busy", queued, busy)
            raise DontCloseSpider

    def close(self, reason: str) -> None:
        if self.heartbeat.running:
            self.heartbeat.stop()
        queued, busy = self._mark_idle()
        if not self.persist or (reason == "finished" and not queued and not busy):
            # The crawl is complete: the next one starts from an empty frontier.
            self.flush()
            self.server.delete(self.busy_key)
            self.stats.set_value("secjobs/redis/frontier", "cleared")
        else:
            logger.info(
                "frontier kept in Redis for the next worker: %d requests queued, %d workers busy",
                queued,
                busy,
            )
            self.stats.set_value("secjobs/redis/frontier", "kept")
            self.stats.set_value("secjobs/redis/left_queued", queued)
