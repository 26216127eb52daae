"""The ``secjobs`` command line: run the pipeline, crawl one source, report, sandbox, db."""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

PROJECT_ROOT = Path(__file__).resolve().parent.parent

app = typer.Typer(
    help="secjobs: is the January 2022 cybersecurity-manager salary article still true?",
    no_args_is_help=True,
    add_completion=False,
)
sandbox_app = typer.Typer(help="The local sandbox job market (127.0.0.1).", no_args_is_help=True)
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
cache_app = typer.Typer(help="The crawls' HTTP cache.", no_args_is_help=True)
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(db_app, name="db")
app.add_typer(cache_app, name="cache")
console = Console(stderr=True)

SandboxOpt = Annotated[
    bool,
    typer.Option(
        "--sandbox/--live", help="Crawl the local sandbox job market instead of the live sites."
    ),
]
PostingsOpt = Annotated[
    int, typer.Option("--postings", min=1, help="Size of the generated sandbox market.")
]


SANDBOX_PORT = 8765  # fixed, so recorded pages keep the same URLs from run to run


def _sandbox(enabled: bool, postings: int, seed: int = 2022):
    if not enabled:
        return nullcontext(None)
    from sandbox.generator import Market
    from sandbox.server import running_sandbox

    return running_sandbox(Market(size=postings, seed=seed), port=SANDBOX_PORT)


@app.command()
def run(
    sandbox: SandboxOpt = False,
    spider: Annotated[
        list[str] | None,
        typer.Option("--spider", help="Only these spiders (repeatable). Default: all."),
    ] = None,
    postings: PostingsOpt = 240,
) -> None:
    """Run the whole pipeline once: crawl, load staging, clean, store, report."""
    from flows.pipeline import secjobs_pipeline

    with _sandbox(sandbox, postings) as url:
        if url:
            console.print(f"[dim]sandbox job market at {url}[/]")
        summary = secjobs_pipeline(spiders=spider, sandbox_url=url)
    _print_summary(summary)
    if summary.get("failed_sources"):
        console.print(f"[red]Failed sources: {', '.join(summary['failed_sources'])}[/]")
    print(f"Report: {Path(summary['report']).resolve()}")


STATUS_STYLE = {
    "ok": "green",
    "partial": "yellow",
    "empty": "yellow",
    "skipped": "cyan",
    "blocked": "red",
    "failed": "red",
}


def _print_summary(summary: dict) -> None:
    from rich.table import Table

    table = Table(title=f"Run {summary['run_id']}", title_justify="left")
    for column in ("source", "status", "items", "note"):
        table.add_column(column, justify="right" if column == "items" else "left")
    for name, crawl in sorted(summary["sources"].items()):
        style = STATUS_STYLE.get(crawl["status"], "white")
        table.add_row(
            name,
            f"[{style}]{escape(crawl['status'])}[/]",
            str(crawl["items"]),
            escape(crawl["reason"] or ""),  # may quote a page: never read as markup
        )
    console.print(table)
    console.print(
        f"{summary['postings_stored']} postings stored ({summary['postings_closed']} closed), "
        f"{summary['salary_observations']} salary figures, "
        f"{summary['price_index_values']} price-index values, "
        f"{summary['quarantined']} records quarantined "
        f"({', '.join(f'{k}: {v}' for k, v in summary['quarantine_reasons'].items()) or 'none'})."
    )
    cache = summary.get("httpcache") or {}
    if "error" in cache:
        console.print(f"[yellow]HTTP cache not pruned: {escape(cache['error'])}[/]")
    elif cache:
        console.print(
            f"HTTP cache: {cache['removed']} entries past their age removed "
            f"({cache['bytes_freed'] / 1e6:.1f} MB), {cache['kept']} kept."
        )
    stale = summary.get("stale_jobdirs") or {}
    if "error" in stale:
        console.print(f"[yellow]Stale job directories not pruned: {escape(stale['error'])}[/]")
    elif stale.get("removed"):
        console.print(f"{stale['removed']} job directories of crawls dead for a week removed.")
    feeds = summary.get("stored_feeds") or {}
    if "error" in feeds:
        console.print(f"[yellow]Stored feeds not compressed: {escape(feeds['error'])}[/]")
    elif feeds.get("compressed"):
        console.print(
            f"{feeds['compressed']} stored feeds of earlier runs gzipped "
            f"({feeds['bytes_saved'] / 1e6:.1f} MB saved)."
        )


@app.command()
def crawl(
    spider: Annotated[str, typer.Argument(help="Spider name (see `scrapy list`).")],
    sandbox: SandboxOpt = False,
    setting: Annotated[
        list[str] | None,
        typer.Option("--set", "-s", help="Scrapy setting NAME=VALUE (repeatable)."),
    ] = None,
    output: Annotated[
        str | None, typer.Option("--output", "-o", help="Also write items to this feed file.")
    ] = None,
    jobdir: Annotated[
        Path | None,
        typer.Option(
            "--jobdir",
            help="Keep the crawl's state here: Ctrl-C pauses it, the same command resumes it.",
        ),
    ] = None,
    store_feed: Annotated[
        bool,
        typer.Option(
            "--store",
            help="Then clean and store the staged feed into SECJOBS_DATABASE_URL "
            "(a crawler on another machine storing into the shared database).",
        ),
    ] = False,
    postings: PostingsOpt = 240,
) -> None:
    """Scrape one source once, exactly as `scrapy crawl SPIDER` from the repo root.

    Items are staged to data/staging/SPIDER/<run id>.jsonl; with --store they are also cleaned
    and stored, otherwise nothing is written to the database.
    """
    from flows.pipeline import new_run_id
    from pipeline import config

    staging = (PROJECT_ROOT / config.staging_dir()).resolve()
    # One run id per job directory, so a resumed crawl appends to the paused one's feed.
    run_id = f"job-{jobdir.name}" if jobdir else f"crawl-{new_run_id()}"
    command = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"run_id={run_id}"]
    if jobdir:  # without one, the crawl queues on a temporary one (spiders/jobdirs.py)
        command += ["-s", f"JOBDIR={jobdir.resolve()}"]
    for item in setting or []:
        command += ["-s", item]
    if output:
        command += ["-o", output]
    with _sandbox(sandbox, postings) as url:
        env = {**os.environ, "SECJOBS_STAGING_DIR": str(staging)}
        if url:
            env["SECJOBS_SANDBOX_URL"] = url
            console.print(f"[dim]sandbox job market at {url}[/]")
        code = subprocess.call(command, cwd=PROJECT_ROOT, env=env)
    if store_feed and code == 0:
        store([staging / spider / f"{run_id}.jsonl"])
    raise typer.Exit(code)


@app.command()
def serve(
    sandbox: SandboxOpt = False,
    postings: PostingsOpt = 240,
) -> None:
    """Serve prefect.yaml's deployments (daily postings, weekly salary pages, weekly report)
    on their schedules, in this process, until interrupted.

    For a Prefect server with workers on several machines, `prefect deploy --all` instead.
    """
    from prefect import serve as prefect_serve

    from flows.deployments import runner_deployments

    with _sandbox(sandbox, postings) as url:
        deployments = runner_deployments(overrides={"sandbox_url": url} if url else None)
        for deployment in deployments:
            crons = ", ".join(
                f"{s.schedule.cron} ({s.schedule.timezone})" for s in deployment.schedules
            )
            console.print(f"  {deployment.name:<22} {crons}")
        console.print("Serving; Ctrl-C stops.")
        prefect_serve(*deployments)


@app.command()
def store(
    feeds: Annotated[
        list[Path] | None,
        typer.Argument(help="Staged feeds (.jsonl) to store. Default: what crashed runs left."),
    ] = None,
) -> None:
    """Store staged feeds without crawling: by default the feeds of runs that died before
    storing them (every pipeline run also does this first)."""
    from pipeline import config
    from pipeline.db import session_factory, upgrade
    from pipeline.ingest import ingest_feeds
    from pipeline.ledger import feed_at, mark_crashed_runs, unstored_feeds

    not_staged = [str(path) for path in feeds or [] if path.suffix != ".jsonl"]
    if not_staged:  # a .jsonl.gz was stored by its run, and then compressed
        raise typer.BadParameter(
            f"not a staged feed (*.jsonl): {', '.join(not_staged)}", param_hint="FEEDS"
        )
    database = config.database_url()
    upgrade(database)
    if feeds:
        pending = [feed_at(path.resolve()) for path in feeds]
    else:
        with session_factory(database).begin() as session:
            crashed = mark_crashed_runs(session)
        with session_factory(database)() as session:
            pending = unstored_feeds(session, config.staging_dir())
        console.print(f"{len(crashed)} runs found dead; {len(pending)} staged feeds not stored.")
    if not pending:
        return
    from flows.pipeline import new_run_id

    counts = ingest_feeds(database, pending, f"store-{new_run_id()}")
    console.print(
        f"{len(pending)} feeds stored: {counts['postings_stored']} postings, "
        f"{counts['salary_observations']} salary figures, {counts['quarantined']} quarantined."
    )


@app.command()
def report(
    include_parsed: Annotated[
        bool,
        typer.Option(
            "--include-parsed",
            help="Also count pay found in description text, not "
            "only structured (posted) pay, in the postings statistics.",
        ),
    ] = False,
) -> None:
    """Rebuild the report from what is stored (reports/latest/)."""
    from dashboards.report import build_report
    from pipeline import config
    from pipeline.db import upgrade

    upgrade()
    paths, _markdown, _rows = build_report(
        None, config.reports_dir(), include_parsed=include_parsed
    )
    print(f"Report: {paths.html.resolve()}")


@cache_app.command("prune")
def cache_prune(
    max_age_days: Annotated[
        float | None,
        typer.Option(
            "--max-age-days",
            min=0,
            help="Delete entries older than this (0: none). "
            "Default: SECJOBS_HTTPCACHE_MAX_AGE_DAYS, else 30.",
        ),
    ] = None,
) -> None:
    """Delete the HTTP cache entries crawls no longer use (every pipeline run also does)."""
    from pipeline import config
    from spiders import httpcache

    days = httpcache.max_age_days() if max_age_days is None else max_age_days
    cache_dir = config.httpcache_dir()
    pruned = httpcache.prune(cache_dir, days)
    console.print(
        f"{cache_dir}: {pruned.removed} entries removed "
        f"({pruned.bytes_freed / 1e6:.1f} MB), {pruned.kept} kept."
    )


@sandbox_app.command("serve")
def sandbox_serve(
    port: Annotated[int, typer.Option(help="Port on 127.0.0.1.")] = SANDBOX_PORT,
    postings: PostingsOpt = 240,
    seed: Annotated[int, typer.Option(help="Generator seed.")] = 2022,
) -> None:
    """Serve the sandbox job market on 127.0.0.1 until interrupted."""
    from sandbox.generator import Market
    from sandbox.server import describe, serve_forever

    base = f"http://127.0.0.1:{port}"
    console.print(f"Sandbox job market ({postings} generated postings) at {base}")
    console.print(describe(base))
    console.print(f"Crawl it with: SECJOBS_SANDBOX_URL={base} scrapy crawl greenhouse")
    serve_forever(Market(size=postings, seed=seed), port)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Argument(help="Target revision.")] = "head",
) -> None:
    """Apply migrations to the database (SECJOBS_DATABASE_URL, default data/secjobs.db)."""
    from sqlalchemy.engine import make_url

    from pipeline.config import database_url
    from pipeline.db import upgrade

    upgrade(revision=revision)
    shown = make_url(database_url()).render_as_string(hide_password=True)  # never the password
    console.print(f"Database at {escape(shown)} is at revision {escape(revision)}.")


if __name__ == "__main__":
    app()
