"""The secjobs pipeline as Prefect flows: crawl -> load staging -> clean -> store -> report.

Each crawl is a ``scrapy crawl`` subprocess (Twisted's reactor cannot restart in-process).
A source whose crawl fails fails its own task (after retries with backoff); the run goes on
with the others and ends ``Partial``, naming them. Crawls of one source never overlap across
runs (a Prefect global concurrency limit per source).
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact, create_table_artifact
from prefect.concurrency.sync import concurrency
from prefect.runtime import flow_run
from prefect.states import Completed, Failed, State
from prefect.tasks import exponential_backoff

from dashboards.report import ReportPaths, build_report
from flows import secrets
from flows.boards import registry_settings
from flows.launch import CrawlOutput, check_spiders, launch_crawl, new_run_id
from pipeline import config
from pipeline.baselines import load_baselines
from pipeline.boards import load_shipped, prune_board_files
from pipeline.crawls import unchanged_boards
from pipeline.db import session_factory, shown_url, upgrade
from pipeline.dedupe import assign_clusters
from pipeline.ingest import store_feeds
from pipeline.ledger import (
    Feed,
    compress_stored_feeds,
    feed_at,
    mark_crashed_runs,
    this_process,
    unstored_feeds,
)
from pipeline.origin import LIVE, SANDBOX, claim_database, run_origin
from pipeline.store import (
    close_missing_postings,
    finish_run,
    postings_for_dedupe,
    record_crawl,
    set_clusters,
    start_run,
    sync_baselines,
    utcnow,
)
from spiders import httpcache
from spiders.jobdirs import JOBS, prune_stale
from spiders.reach import NoNetwork, require_network
from spiders.sources import query_settings

# A crawl that fails (crashed, timed out, blocked outright) is tried again this often.
CRAWL_RETRIES = 2
CRAWL_RETRY_DELAY = 60.0  # seconds before the first retry; doubles each time, with jitter
# Registry boards a sandbox run crawls per board source: the demo stays quick.
SANDBOX_REGISTRY_BOARDS = 0
CRAWL_TIMEOUT = 3 * 3600  # Scrapy closes the spider gracefully after this many seconds
FAILING_VERDICTS = ("failed", "blocked")


class _NoEmptyTraceback(logging.Filter):
    """Prefect logs a crawl's returned Failed state "Retries are exhausted" with
    ``exc_info=True`` though no exception is active, which prints a bare "NoneType: None"
    under it: the failure is a verdict, not an exception."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info == (None, None, None):
            record.exc_info = None
        return True


logging.getLogger("prefect.task_runs").addFilter(_NoEmptyTraceback())


class CrawlFailed(RuntimeError):
    """A source's crawl failed; carries its output so the run still records and stores it."""

    def __init__(self, output: CrawlOutput):
        super().__init__(f"{output.spider} {output.verdict.status}: {output.verdict.reason}")
        self.output = output

    def __reduce__(self):
        return CrawlFailed, (self.output,)  # a result store pickles it: rebuilt from its output

    def __repr__(self) -> str:
        # Prefect's log line of a failed state shows its data: the message is already there.
        return f"CrawlFailed({self.output.spider!r})"


def source_limit(spider: str) -> str:
    """The Prefect global concurrency limit that keeps crawls of one source from overlapping."""
    return f"secjobs-source-{spider}"


def ensure_source_limits(spiders: list[str], slots: int = 1) -> None:
    """Create each source's concurrency limit if the Prefect server lacks it."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate
    from prefect.exceptions import ObjectNotFound

    with get_client(sync_client=True) as client:
        for spider in spiders:
            try:
                client.read_global_concurrency_limit_by_name(source_limit(spider))
            except ObjectNotFound:
                client.create_global_concurrency_limit(
                    GlobalConcurrencyLimitCreate(name=source_limit(spider), limit=slots)
                )


def _retry_crawl(_task, _task_run, state) -> bool:
    """Retry crawls that failed (``run_spider`` returns their Failed state, whose result is
    the CrawlFailed); a bug in our own code (any other exception) is not retried."""
    try:
        state.result()
    except CrawlFailed:
        return True
    except Exception:
        return False
    return False


@task(
    task_run_name="crawl-{spider}",
    retries=CRAWL_RETRIES,
    retry_delay_seconds=exponential_backoff(backoff_factor=CRAWL_RETRY_DELAY),
    retry_jitter_factor=0.5,
    retry_condition_fn=_retry_crawl,
)
def run_spider(
    spider: str,
    run_id: str,
    staging_dir: str,
    sandbox_url: str | None = None,
    settings: dict[str, str] | None = None,
    timeout_seconds: float = CRAWL_TIMEOUT,
) -> CrawlOutput | State:
    """``scrapy crawl <spider>`` in a subprocess; its feed and stats land in staging.

    The crawl keeps its state in a job directory (Scrapy JOBDIR) until it finishes, so a retry
    of the same run resumes where the failed attempt stopped and appends to the same feed.
    """
    staging = Path(staging_dir).resolve()
    jobdir = staging / JOBS / spider / run_id
    with concurrency(source_limit(spider), occupy=1, strict=False):
        output = launch_crawl(
            spider,
            run_id,
            staging,
            sandbox_url=sandbox_url,
            settings={"JOBDIR": str(jobdir), **(settings or {})},
            timeout_seconds=timeout_seconds,
            log_file=staging / spider / f"{run_id}.log",
        )
    verdict, stderr = output.verdict, output.stderr
    if output.stats.get("finish_reason") == "finished":
        # Done, even if blocked: a retry must ask again, not resume a finished frontier.
        shutil.rmtree(jobdir, ignore_errors=True)
    logger = get_run_logger()
    if verdict.status in FAILING_VERDICTS:
        tail = f"\n{stderr[-2000:]}" if stderr.strip() else ""  # what a crash left on stderr
        logger.error("%s %s: %s%s", spider, verdict.status, verdict.reason, tail)
        # Returned, not raised: Prefect retries a returned Failed state all the same
        # (_retry_crawl) and prints no traceback of ours for a source that failed.
        failure = CrawlFailed(output)
        return Failed(message=str(failure), data=failure)
    logger.info("%s: %s, %d items", spider, verdict.status, verdict.items)
    return output


@task(timeout_seconds=3600)
def store_results(
    crawls: list[CrawlOutput],
    feeds: list[Feed],
    run_id: str,
    database_url: str | None = None,
    origin: str = LIVE,
) -> dict[str, Any]:
    """Clean the feeds (on one process per CPU) and store them as they are cleaned, in one
    transaction per run: a crash mid-store leaves the previous state intact, and the feeds'
    ledger rows commit with their records (pipeline.ledger)."""
    logger = get_run_logger()
    logger.info("store: writing what %d feeds hold", len(feeds))
    factory = session_factory(secrets.database_url(database_url))
    with factory.begin() as session:
        sync_baselines(session, load_baselines())
        for crawl in crawls:
            record_crawl(
                session,
                run_id,
                crawl.spider,
                crawl.verdict.status,
                crawl.verdict.reason,
                crawl.verdict.items,
                crawl.stats,
            )
        counts = store_feeds(session, feeds, run_id, origin)
        counts["postings_closed"] = sum(
            close_missing_postings(session, crawl.spider, run_id)
            for crawl in crawls
            # Only a complete crawl can tell that a posting disappeared; the postings of a
            # board whose listing is unchanged were seen again in this run (store_feeds).
            if crawl.verdict.status == "ok"
            and (crawl.stats.get("secjobs/items/job_posting") or unchanged_boards(crawl.stats))
        )
    logger.info("store: committed %d postings", counts["postings_stored"])
    return {
        **counts,
        "sources": {
            c.spider: {
                "status": c.verdict.status,
                "items": c.verdict.items,
                "reason": c.verdict.reason,
            }
            for c in crawls
        },
    }


@task(timeout_seconds=3600)
def dedupe_postings(database_url: str | None = None) -> dict[str, int]:
    """Group open postings that are the same job on several boards (pipeline.dedupe)."""
    with session_factory(secrets.database_url(database_url)).begin() as session:
        postings = postings_for_dedupe(session)
        clusters = assign_clusters(postings)
        changed = set_clusters(session, postings, clusters)
    return {
        "clusters_changed": changed,
        "duplicates_merged": len(postings) - len(set(clusters.values())),
    }


@task(timeout_seconds=1800)
def tidy_up(staging_dir: str, database_url: str | None = None) -> dict[str, Any]:
    """Delete what no crawl will use again: HTTP cache entries past
    ``SECJOBS_HTTPCACHE_MAX_AGE_DAYS``, job directories of crawls killed or given up on a
    week ago (spiders/jobdirs.py), the board files of runs a day ago (pipeline.boards); gzip
    the stored feeds of finished runs (pipeline.ledger).
    Housekeeping: a failure is logged and reported, and fails no run."""
    staging = Path(staging_dir)

    def compress() -> dict[str, int]:
        with session_factory(secrets.database_url(database_url))() as session:
            return compress_stored_feeds(session, staging)

    jobs: dict[str, Callable[[], dict[str, int]]] = {
        "httpcache": lambda: httpcache.prune(
            config.httpcache_dir(), httpcache.max_age_days()
        ).as_dict(),
        "stale_jobdirs": lambda: {"removed": prune_stale(staging)},
        "board_files": lambda: {"removed": prune_board_files(staging, utcnow())},
        "stored_feeds": compress,
    }
    done: dict[str, Any] = {}
    for name, job in jobs.items():
        try:
            done[name] = job()
        except (OSError, ValueError) as error:  # disk trouble, a bad age limit
            get_run_logger().warning("%s: not done: %s", name, error)
            done[name] = {"error": str(error)}
    return done


@task(timeout_seconds=1800)
def report(database_url: str | None, reports_dir: str) -> ReportPaths:
    """Write the report files and publish its Markdown and every table as keyed artifacts."""
    paths, _markdown, _table = build_report(secrets.database_url(database_url), Path(reports_dir))
    for artifact in paths.artifacts:
        if artifact.markdown is not None:
            create_markdown_artifact(
                key=artifact.key, markdown=artifact.markdown, description=artifact.description
            )
        else:
            create_table_artifact(
                key=artifact.key, table=artifact.table, description=artifact.description
            )
    return paths


def _run_name() -> str:
    """``postings: greenhouse, lever +3 (sandbox)``: what the run crawls, from its parameters."""
    parameters = flow_run.parameters
    spiders = parameters.get("spiders") or ["all sources"]
    shown = ", ".join(spiders[:3]) + (f" +{len(spiders) - 3}" if len(spiders) > 3 else "")
    where = "sandbox" if config.sandbox_url(parameters.get("sandbox_url")) else "live"
    return f"{parameters.get('label') or 'crawl'}: {shown} ({where})"


def _outcome_name(label: str, summary: dict[str, Any], failed: list[str]) -> str:
    """The run's name once it is done, e.g. ``postings: 795 stored, 2 failed (usajobs, ...)``."""
    name = f"{label}: {summary.get('postings_stored', 0)} postings stored"
    if summary.get("salary_observations"):
        name += f", {summary['salary_observations']} salary figures"
    if failed:
        name += f", {len(failed)} failed ({', '.join(failed)})"
    return name


def _rename_run(name: str) -> None:
    from prefect.client.orchestration import get_client

    run_id = flow_run.id
    if run_id:
        with get_client(sync_client=True) as client:
            client.update_flow_run(run_id, name=name)


@flow(name="secjobs-pipeline", flow_run_name=_run_name, log_prints=True)
def secjobs_pipeline(
    spiders: list[str] | None = None,
    queries: list[str] | None = None,
    label: str = "crawl",
    group: str | None = None,
    registry_boards: int | None = None,
    make_report: bool = True,
    sandbox_url: str | None = None,
    database_url: str | None = None,
    reports_dir: str | None = None,
    staging_dir: str | None = None,
    crawl_settings: dict[str, str] | None = None,
    crawl_timeout_seconds: float = CRAWL_TIMEOUT,
    crawl_retries: int = CRAWL_RETRIES,
    crawl_retry_delay_seconds: float = CRAWL_RETRY_DELAY,
):
    """Crawl the sources, clean and store what came back (and what a crashed run left
    staged), then write the report. ``spiders``: by name; without them, the sources whose
    TOML puts them in deployment ``group`` (all sources without a group). Board sources
    crawl the registry's boards as ``secjobs boards plan`` says, at most
    ``registry_boards`` each (default: no limit live, ``SANDBOX_REGISTRY_BOARDS`` in the
    sandbox). ``queries`` replace the search sources' configured queries (Adzuna, USAJOBS,
    Remotive, SmartRecruiters, Workday). Database credentials are resolved inside the tasks
    (flows.secrets), never passed as parameters."""
    logger = get_run_logger()
    sandbox_url = config.sandbox_url(sandbox_url)
    origin = run_origin(sandbox_url)
    sandbox = origin == SANDBOX
    if sandbox and not database_url:  # its own database, never the live one (or its block)
        database_url = config.database_url(sandbox=True)
    db_url = secrets.database_url(database_url)
    reports_dir = reports_dir or str(config.reports_dir(sandbox))
    staging = Path(staging_dir or config.staging_dir(sandbox))
    spiders = check_spiders(spiders, group)
    run_id = new_run_id()
    upgrade(db_url)
    factory = session_factory(db_url)
    with factory.begin() as session:
        claim_database(session, origin, database=shown_url(db_url))
        sync_baselines(session, load_baselines())  # a report of a run that stops early has them
        load_shipped(session)  # the board registry's shipped lists, when new or changed
        crashed = mark_crashed_runs(session)
        start_run(session, run_id, {"process": this_process()}, origin)
    with factory() as session:
        leftover = unstored_feeds(session, staging)
    if crashed or leftover:
        logger.warning(
            "runs %s died before storing; storing their %d staged feeds now", crashed, len(leftover)
        )
    ensure_source_limits(spiders)
    crawl_task = run_spider.with_options(
        retries=crawl_retries,
        retry_delay_seconds=exponential_backoff(backoff_factor=crawl_retry_delay_seconds)
        if crawl_retry_delay_seconds
        else 0,
    )
    status, summary, failed = "failed", {}, []
    try:
        try:
            # With no network every crawl would retry for minutes: seconds tell first.
            down = require_network(spiders, sandbox_url, crawl_settings)
        except NoNetwork as error:
            logger.error("%s: %s", error, "; ".join(error.problems.values()))
            summary = {"error": str(error)}
            # Returned, not raised: the caller still gets NoNetwork, without Prefect's traceback.
            return Failed(message=str(error), data=error)
        for host, why in down.items():
            logger.warning("%s unreachable: %s", host, why)  # its sources' crawls say more
        if registry_boards is None and sandbox:
            registry_boards = SANDBOX_REGISTRY_BOARDS
        with factory() as session:  # the registry's boards of this run, for each board spider
            boards = registry_settings(session, spiders, staging, run_id, utcnow(), registry_boards)
        futures = [
            crawl_task.submit(
                spider,
                run_id,
                str(staging),
                sandbox_url,
                {
                    **query_settings(spider, queries or []),
                    **boards.get(spider, {}),
                    **(crawl_settings or {}),
                },
                crawl_timeout_seconds,
            )
            for spider in spiders
        ]
        crawls = []
        for future in futures:
            future.wait()
            result = future.state.result(raise_on_failure=False)
            if isinstance(result, CrawlFailed):
                result = result.output  # failed, but what it staged and its stats are kept
            if not isinstance(result, CrawlOutput):
                raise result  # our own bug, not the source's: fail the run loudly
            crawls.append(result)
            if not future.state.is_completed():
                failed.append(result.spider)
        feeds = leftover + [feed_at(c.feed) for c in crawls if c.feed.exists()]
        summary = store_results(crawls, feeds, run_id, database_url, origin)
        summary["recovered_feeds"] = len(leftover)
        summary["failed_sources"] = failed
        summary.update(dedupe_postings(database_url))
        summary.update(tidy_up(str(staging), database_url))
        if make_report:
            summary["report"] = str(report(database_url, reports_dir).html)
        status = "partial" if failed else "completed"
    finally:
        with factory.begin() as session:
            finish_run(session, run_id, status, summary)
    _rename_run(_outcome_name(label, summary, failed))
    result = {"run_id": run_id, **summary}
    if failed:
        reasons = "; ".join(
            f"{name}: {summary['sources'][name]['status']} ({summary['sources'][name]['reason']})"
            for name in failed
        )
        return Completed(
            name="Partial",
            message=f"{len(failed)} of {len(spiders)} sources failed: {reasons}",
            data=result,
        )
    return result


@flow(name="secjobs-report", flow_run_name="report", log_prints=True)
def secjobs_report(
    database_url: str | None = None,
    reports_dir: str | None = None,
    sandbox_url: str | None = None,
) -> str:
    """Rebuild the report from what is stored, and publish it as artifacts. With
    ``sandbox_url`` (``secjobs serve --sandbox``), the sandbox's database and reports."""
    sandbox = run_origin(sandbox_url) == SANDBOX
    if sandbox and not database_url:
        database_url = config.database_url(sandbox=True)
    db_url = secrets.database_url(database_url)
    upgrade(db_url)
    with session_factory(db_url).begin() as session:
        sync_baselines(session, load_baselines())
    return str(report(database_url, reports_dir or str(config.reports_dir(sandbox))).html)
