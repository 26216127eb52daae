"""The ``secjobs`` command line: run the pipeline, crawl one source, report, sandbox, db."""

from __future__ import annotations

import difflib
import os
import re
from contextlib import nullcontext
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from typer.core import TyperGroup

from secjobs import errors

PROJECT_ROOT = Path(__file__).resolve().parent.parent


class SecjobsGroup(TyperGroup):
    """Every command's expected failures (database down, a bad name, the disk full...) end
    in one or two lines and a documented exit status (secjobs.errors); ``--debug`` or
    ``SECJOBS_DEBUG=1`` shows the traceback instead."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except Exception as error:  # typer's exits and usage errors are not explained: raised
            explained = errors.explain(error)
            if explained is None or _debug(ctx):
                raise
            first, *rest = explained.lines
            # soft_wrap: a long line stays one line, as a terminal wraps it, not cut in two.
            console.print(f"[red]error:[/] {escape(first)}", soft_wrap=True)
            for line in rest:
                console.print(escape(line), soft_wrap=True)
            raise typer.Exit(explained.status) from None


def _debug(ctx: typer.Context) -> bool:
    return bool(ctx.meta.get("secjobs.debug")) or os.environ.get("SECJOBS_DEBUG", "") in (
        "1",
        "true",
        "yes",
    )


app = typer.Typer(
    cls=SecjobsGroup,
    help="secjobs: is the January 2022 cybersecurity-manager salary article still true?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_show_locals=False,  # locals can hold credentials
)
sandbox_app = typer.Typer(help="The local sandbox job market (127.0.0.1).", no_args_is_help=True)
db_app = typer.Typer(help="Database schema (Alembic migrations).", no_args_is_help=True)
cache_app = typer.Typer(help="The crawls' HTTP cache.", no_args_is_help=True)
boards_app = typer.Typer(
    help="The board registry: employers' job boards on each ATS and what crawling showed.",
    no_args_is_help=True,
)
app.add_typer(sandbox_app, name="sandbox")
app.add_typer(db_app, name="db")
app.add_typer(cache_app, name="cache")
app.add_typer(boards_app, name="boards")
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
# Another port for --sandbox runs (0: any free one), so that runs side by side (tests) do not
# contend for 8765.
SANDBOX_PORT_ENV = "SECJOBS_SANDBOX_PORT"


@app.callback()
def main(
    ctx: typer.Context,
    debug: Annotated[
        bool,
        typer.Option("--debug", help="Show the full traceback of a failure (SECJOBS_DEBUG=1)."),
    ] = False,
) -> None:
    """secjobs: is the January 2022 cybersecurity-manager salary article still true?"""
    ctx.meta["secjobs.debug"] = debug


def _check_settings(settings: list[str] | None) -> list[str]:
    """``-s NAME=VALUE`` items, refused (exit 2) if one is not that shape, or names no
    setting Scrapy or a source knows but is close to one that does (a misspelt name would
    silently do nothing). Names far from every known one pass: add-ons have their own."""
    from scrapy.settings import Settings

    known = Settings()
    known.setmodule("spiders.settings", priority="project")
    names = {name for name, _value in known.items()}
    for item in settings or []:
        name, equals, _value = item.partition("=")
        if not equals or not re.fullmatch(r"[A-Z][A-Z0-9_]*", name):
            raise errors.UsageError(
                f"bad setting {item!r}: write -s NAME=VALUE, e.g. -s LOG_LEVEL=INFO"
            )
        close = [] if name in names else difflib.get_close_matches(name, names, n=3, cutoff=0.85)
        if close:
            raise errors.UsageError(f"unknown setting {name!r}; did you mean {', '.join(close)}?")
    return list(settings or [])


def _sandbox(enabled: bool, postings: int, seed: int = 2022):
    if not enabled:
        return nullcontext(None)
    from sandbox.generator import Market
    from sandbox.server import running_sandbox

    port = os.environ.get(SANDBOX_PORT_ENV) or str(SANDBOX_PORT)
    if not port.isdigit() or int(port) > 65535:
        raise errors.UsageError(f"{SANDBOX_PORT_ENV}={port!r} is not a port (0 to 65535)")
    return running_sandbox(Market(size=postings, seed=seed), port=int(port))


@app.command()
def run(
    sandbox: SandboxOpt = False,
    spider: Annotated[
        list[str] | None,
        typer.Option("--spider", help="Only these spiders (repeatable). Default: all."),
    ] = None,
    postings: PostingsOpt = 240,
) -> None:
    """Run the whole pipeline once: crawl, load staging, clean, store, report.

    A sandbox run keeps its own database and reports (data/sandbox.db, reports/sandbox/).
    Exit status: 0 all sources worked, 1 some failed, 3 none did.
    """
    from flows.launch import check_spiders
    from flows.pipeline import secjobs_pipeline
    from pipeline import config

    spiders = check_spiders(spider)  # a bad name stops here, before Prefect starts
    _check_database(sandbox or bool(config.sandbox_url()), blocks=True)
    with _sandbox(sandbox, postings) as url:
        if url:
            console.print(f"[dim]sandbox job market at {url}[/]")
        summary = secjobs_pipeline(spiders=spiders, sandbox_url=url)
    _print_summary(summary)
    failed = summary.get("failed_sources") or []
    if failed:
        console.print(f"[red]Failed sources: {', '.join(failed)}[/]")
    print(f"Report: {Path(summary['report']).resolve()}")
    if failed:
        raise typer.Exit(errors.NOTHING_DONE if len(failed) == len(spiders) else errors.PARTIAL)


def _check_database(sandbox: bool, *, claim: bool = True, blocks: bool = False) -> str:
    """The database a command uses, migrated, and refused (pipeline.origin) if ``claim``
    and it holds the other kind of data: failures surface here, in a line, not inside a
    Prefect run. ``blocks``: a live URL may come from a Prefect Secret block."""
    from pipeline import config
    from pipeline.db import session_factory, shown_url, upgrade
    from pipeline.origin import LIVE, SANDBOX, claim_database

    url = config.database_url(sandbox)
    if blocks and not sandbox:
        from flows import secrets

        url = secrets.database_url()
    try:
        upgrade(url)
        if claim:
            with session_factory(url)() as session:
                claim_database(session, SANDBOX if sandbox else LIVE, database=shown_url(url))
    except Exception as error:
        error.database_url = url  # what secjobs.errors names: this one, not the default
        raise
    return url


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
    if summary.get("boards_unchanged") or summary.get("boards_unchanged_stale"):
        console.print(
            f"{summary.get('boards_unchanged', 0)} boards unchanged since their last crawl: not "
            f"read again, their {summary.get('postings_refreshed', 0)} postings seen again"
            f" ({summary.get('boards_unchanged_stale', 0)} to be read next run)."
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
    from flows.launch import check_spiders, launch_crawl, new_run_id
    from pipeline import config

    check_spiders([spider])
    settings = dict(item.split("=", 1) for item in _check_settings(setting))
    if store_feed:
        _check_database(sandbox)
    staging = (PROJECT_ROOT / config.staging_dir(sandbox)).resolve()
    # One run id per job directory, so a resumed crawl appends to the paused one's feed.
    run_id = f"job-{jobdir.name}" if jobdir else f"crawl-{new_run_id()}"
    if jobdir:  # without one, the crawl queues on a temporary one (spiders/jobdirs.py)
        settings = {"JOBDIR": str(jobdir.resolve()), **settings}
    with _sandbox(sandbox, postings) as url:
        if url:
            console.print(f"[dim]sandbox job market at {url}[/]")
        # Not captured: an analyst watches Scrapy's log in this terminal.
        crawled = launch_crawl(
            spider,
            run_id,
            staging,
            sandbox_url=url,
            settings=settings,
            output=output,
            capture=False,
        )
    verdict, code = crawled.verdict, crawled.returncode
    style = STATUS_STYLE.get(verdict.status, "white")
    console.print(
        f"{spider}: [{style}]{verdict.status}[/], {verdict.items} items"
        + (f" ({escape(verdict.reason)})" if verdict.reason else ""),
        soft_wrap=True,
    )
    if store_feed and code == 0:
        store([staging / spider / f"{run_id}.jsonl"], sandbox=sandbox)
    raise typer.Exit(CRAWL_EXIT.get(verdict.status, errors.NOTHING_DONE))


# A one-off crawl's exit status by its verdict (pipeline.crawls): partial is some of it.
CRAWL_EXIT = {"ok": errors.OK, "empty": errors.OK, "partial": errors.PARTIAL}


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
    sandbox: Annotated[
        bool,
        typer.Option(
            "--sandbox/--live", help="Into the sandbox's database, from the sandbox's staging."
        ),
    ] = False,
) -> None:
    """Store staged feeds without crawling: by default the feeds of runs that died before
    storing them (every pipeline run also does this first)."""
    from pipeline import config
    from pipeline.db import session_factory
    from pipeline.ingest import ingest_feeds
    from pipeline.ledger import feed_at, mark_crashed_runs, unstored_feeds
    from pipeline.origin import LIVE, SANDBOX

    not_staged = [str(path) for path in feeds or [] if path.suffix != ".jsonl"]
    if not_staged:  # a .jsonl.gz was stored by its run, and then compressed
        raise typer.BadParameter(
            f"not a staged feed (*.jsonl): {', '.join(not_staged)}", param_hint="FEEDS"
        )
    for path in feeds or []:
        _check_json_lines(path)
    database = _check_database(sandbox)
    if feeds:
        pending = [feed_at(path.resolve()) for path in feeds]
    else:
        with session_factory(database).begin() as session:
            crashed = mark_crashed_runs(session)
        with session_factory(database)() as session:
            pending = unstored_feeds(session, config.staging_dir(sandbox))
        console.print(f"{len(crashed)} runs found dead; {len(pending)} staged feeds not stored.")
    if not pending:
        return
    from flows.launch import new_run_id

    counts = ingest_feeds(
        database, pending, f"store-{new_run_id()}", origin=SANDBOX if sandbox else LIVE
    )
    console.print(
        f"{len(pending)} feeds stored: {counts['postings_stored']} postings, "
        f"{counts['salary_observations']} salary figures, {counts['quarantined']} quarantined."
    )


def _check_json_lines(path: Path) -> None:
    """Refuse a file whose first record is not a JSON object: not a feed at all (a bad line
    further in is quarantined with its reason, as every run does)."""
    from pipeline.staging import BadLine, read_staged

    try:
        first = next(read_staged(path), None)
    except FileNotFoundError:
        raise errors.UsageError(f"no such feed: {path}") from None
    if isinstance(first, BadLine):
        raise errors.UsageError(
            f"not a JSON Lines feed: {path} (its first line is not a JSON object)"
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
    sandbox: Annotated[
        bool,
        typer.Option(
            "--sandbox/--live",
            help="Report on the sandbox's database, into reports/sandbox/.",
        ),
    ] = False,
) -> None:
    """Rebuild the report from what is stored (reports/latest/, or reports/sandbox/latest/)."""
    from dashboards.report import build_report
    from pipeline import config
    from pipeline.baselines import load_baselines
    from pipeline.db import session_factory
    from pipeline.store import sync_baselines

    database = _check_database(sandbox, claim=False)  # a report reads: it labels, not refuses
    with session_factory(database).begin() as session:
        sync_baselines(session, load_baselines())  # the article's figures ship with the code
    paths, _markdown, _rows = build_report(
        database, config.reports_dir(sandbox), include_parsed=include_parsed
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
    sandbox: Annotated[
        bool, typer.Option("--sandbox/--live", help="The sandbox's database.")
    ] = False,
) -> None:
    """Apply migrations to the database (SECJOBS_DATABASE_URL, default data/secjobs.db;
    with --sandbox SECJOBS_SANDBOX_DATABASE_URL, default data/sandbox.db)."""
    from pipeline.config import database_url
    from pipeline.db import shown_url, upgrade

    url = database_url(sandbox)
    upgrade(url, revision=revision)
    console.print(f"Database at {escape(shown_url(url))} is at revision {escape(revision)}.")
    if revision == "head":
        loaded = _load_shipped_boards(url)
        if loaded:
            console.print(f"Shipped board lists loaded: {loaded:,} new boards.")


@db_app.command("rederive")
def db_rederive(
    sandbox: Annotated[
        bool, typer.Option("--sandbox/--live", help="The sandbox's database.")
    ] = False,
) -> None:
    """Read stored postings again with today's rules (a run reads anew only the postings it
    crawls again): requirements (degree, certifications, years) from their stored
    descriptions where an older extractor read them, and every title's family and
    seniority."""
    from sqlalchemy import func, select

    from pipeline.db import session_factory, shown_url
    from pipeline.models import JobPostingRecord
    from pipeline.rederive import count_stale, rederive_requirements, rederive_titles

    url = _check_database(sandbox, claim=False)
    with session_factory(url)() as session:
        stale = count_stale(session)
        stored = session.scalar(select(func.count()).select_from(JobPostingRecord)) or 0
    with session_factory(url).begin() as session:
        done = rederive_requirements(
            session, lambda n: console.print(f"  {n:,} of {stale:,}", highlight=False)
        )
        titles = rederive_titles(
            session, lambda n: console.print(f"  titles: {n:,} of {stored:,}", highlight=False)
        )
    console.print(
        f"{escape(shown_url(url))}: requirements read again for {done:,} postings; "
        f"{titles:,} titles classified anew."
    )


@db_app.command("drop-sandbox")
def db_drop_sandbox(
    yes: Annotated[bool, typer.Option("--yes", help="Do it without asking.")] = False,
) -> None:
    """Delete the sandbox runs, postings and salary figures a live database holds from
    before secjobs kept the two apart (the migration to revision 0009 marked them)."""
    from pipeline.config import database_url
    from pipeline.db import session_factory, shown_url, upgrade
    from pipeline.origin import drop_sandbox_data, stored_origins

    url = database_url()
    upgrade(url)
    with session_factory(url)() as session:
        runs = stored_origins(session).get("sandbox", 0)
    if not runs:
        console.print(f"{escape(shown_url(url))} holds no sandbox data.")
        return
    if not yes:
        typer.confirm(f"Delete the data of {runs} sandbox runs from {shown_url(url)}?", abort=True)
    with session_factory(url).begin() as session:
        deleted = drop_sandbox_data(session)
    console.print(
        ", ".join(f"{count} {table} rows" for table, count in deleted.items()) + " deleted."
    )


# --- the board registry -----------------------------------------------------------------------

RegistrySandboxOpt = Annotated[
    bool, typer.Option("--sandbox/--live", help="The sandbox's database's registry.")
]


def _load_shipped_boards(url: str) -> int:
    from pipeline.boards import load_shipped
    from pipeline.db import session_factory

    with session_factory(url).begin() as session:
        return sum(imported.added for imported in load_shipped(session).values())


def _registry(sandbox: bool) -> str:
    """The database holding the registry, migrated, with the shipped lists loaded."""
    url = _check_database(sandbox, claim=False)
    try:
        _load_shipped_boards(url)
    except Exception as error:
        error.database_url = url
        raise
    return url


@boards_app.command("import")
def boards_import(
    path: Annotated[Path, typer.Argument(help="A CSV with the columns name,slug,url.")],
    ats: Annotated[str, typer.Option("--ats", help="The ATS of every board in the file.")],
    sandbox: RegistrySandboxOpt = False,
) -> None:
    """Add the boards of a CSV (the shipped lists' shape: name,slug,url) as configured
    boards. Rows that cannot name a board are skipped with their line number."""
    from pipeline.boards import CONFIGURED, add_boards, read_board_csv
    from pipeline.db import session_factory

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise errors.UsageError(f"cannot read {path} as UTF-8 text: {error}") from None
    read = read_board_csv(text, ats)
    url = _registry(sandbox)
    with session_factory(url).begin() as session:
        imported = add_boards(session, read.entries, CONFIGURED, found_in=f"import:{path.name}")
    for line in read.skipped:
        console.print(f"[yellow]skipped[/] {escape(line)}", soft_wrap=True)
    console.print(
        f"{escape(str(path))}: {imported.added:,} boards added, {imported.known:,} already known"
        f", {len(read.skipped):,} rows skipped.",
        soft_wrap=True,
    )


@boards_app.command("add")
def boards_add(
    ats: Annotated[str, typer.Argument(help="greenhouse, lever, ashby, smartrecruiters, ...")],
    identifier: Annotated[
        str, typer.Argument(help="The board's identifier, or a link to the board.")
    ],
    name: Annotated[str | None, typer.Option("--name", help="The employer's name.")] = None,
    url: Annotated[str | None, typer.Option("--url", help="The public careers URL.")] = None,
    sandbox: RegistrySandboxOpt = False,
) -> None:
    """Add one board (a link to it will do: https://jobs.lever.co/<site>)."""
    from pipeline.board_links import BadBoard, BoardEntry, board_from_url, check_ats, check_entry
    from pipeline.boards import CONFIGURED, add_boards
    from pipeline.db import session_factory

    ats = check_ats(ats)
    linked = board_from_url(identifier) if "://" in identifier else None
    if "://" in identifier and (linked is None or linked.ats != ats):
        raise BadBoard(f"{identifier} is no {ats} board link")
    if linked:
        identifier, url = linked.identifier, url or linked.careers_url or identifier
    entry = check_entry(BoardEntry(ats, identifier, name, url))
    database = _registry(sandbox)
    with session_factory(database).begin() as session:
        imported = add_boards(session, [entry], CONFIGURED, found_in="secjobs boards add")
    told = "added" if imported.added else "already known; now configured"
    console.print(f"{ats} {escape(entry.identifier)}: {told}.", soft_wrap=True)


@boards_app.command("list")
def boards_list(
    ats: Annotated[str | None, typer.Option("--ats", help="Only this ATS.")] = None,
    status: Annotated[
        str | None,
        typer.Option("--status", help="Only boards in this status (active, empty, gone...)."),
    ] = None,
    output_format: Annotated[
        str, typer.Option("--format", help="table or csv (to standard output).")
    ] = "table",
    sandbox: RegistrySandboxOpt = False,
) -> None:
    """The boards of the registry, with their status and postings."""
    import csv
    import sys

    from pipeline.boards import LIST_COLUMNS, list_boards
    from pipeline.db import session_factory

    if output_format not in ("table", "csv"):
        raise errors.UsageError(f"--format is table or csv, not {output_format!r}")
    url = _registry(sandbox)
    with session_factory(url)() as session:
        boards = list_boards(session, ats, status)
    rows = [
        (
            b.ats,
            b.identifier,
            b.name or "",
            b.status,
            "" if b.open_postings is None else b.open_postings,
            "" if b.security_postings is None else b.security_postings,
            b.last_crawled.strftime("%Y-%m-%d %H:%M") if b.last_crawled else "",
        )
        for b in boards
    ]
    if output_format == "csv":
        from dashboards.report import spreadsheet_safe

        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(LIST_COLUMNS)
        writer.writerows([spreadsheet_safe(v) for v in row] for row in rows)
        return
    from rich.table import Table

    table = Table(*LIST_COLUMNS, title=f"{len(rows):,} boards")
    for row in rows:
        table.add_row(*(escape(str(v)) for v in row))
    Console().print(table)


@boards_app.command("stats")
def boards_stats(sandbox: RegistrySandboxOpt = False) -> None:
    """Boards per ATS and status."""
    from rich.table import Table

    from pipeline.boards import STATUSES, board_counts
    from pipeline.db import session_factory, shown_url

    url = _registry(sandbox)
    with session_factory(url)() as session:
        counts = board_counts(session)
    table = Table("ATS", *STATUSES, "all", title=f"Board registry at {escape(shown_url(url))}")
    totals = dict.fromkeys(STATUSES, 0)
    for ats in sorted(counts):
        for status in STATUSES:
            totals[status] += counts[ats].get(status, 0)
        table.add_row(
            ats,
            *(f"{counts[ats].get(s, 0):,}" for s in STATUSES),
            f"{sum(counts[ats].values()):,}",
        )
    table.add_row("all", *(f"{totals[s]:,}" for s in STATUSES), f"{sum(totals.values()):,}")
    Console().print(table)


@boards_app.command("plan")
def boards_plan(sandbox: RegistrySandboxOpt = False) -> None:
    """What a daily run crawls of the registry at live politeness: boards and requests per
    source and host, each host's delay and concurrency, and the expected wall time."""
    from rich.table import Table

    from flows.boards import plan_run
    from pipeline.boards import DAILY_BUDGET_SECONDS
    from pipeline.db import session_factory
    from pipeline.store import utcnow

    url = _registry(sandbox)
    with session_factory(url)() as session:
        plans = plan_run(session, None, utcnow())
    table = Table(
        "source",
        "host",
        "delay s",
        "concurrency",
        "registry",
        "pinned",
        "every run",
        "quiet today",
        "rotation",
        "crawled",
        "requests",
        "time",
        title="A daily run's board crawls (they run side by side)",
    )
    for plan in plans:
        cost = plan.cost
        table.add_row(
            cost.source,
            cost.host,
            f"{cost.delay:g}",
            str(cost.concurrency),
            f"{plan.registered:,}",
            f"{len(cost.pinned):,}",
            f"{plan.every_run:,}",
            f"{plan.quiet_today:,} of {plan.quiet:,}",
            f"every {plan.rotation_days} runs" if plan.rotation_days > 1 else "daily",
            f"{plan.crawled:,}",
            f"{plan.requests:,.0f}",
            _duration(plan.seconds),
        )
    Console().print(table)
    longest = max(plans, key=lambda plan: plan.seconds)
    fits = "within" if longest.seconds <= DAILY_BUDGET_SECONDS else "OVER"
    Console().print(
        f"Expected wall time: {_duration(longest.seconds)} (the longest, {longest.cost.source}),"
        f" {fits} the {_duration(DAILY_BUDGET_SECONDS)} budget of a daily run. Quiet boards"
        " (unchecked, empty, gone a month) that do not fit are crawled in turns."
    )


def _duration(seconds: float) -> str:
    minutes = round(seconds / 60)
    return f"{minutes // 60} h {minutes % 60:02d} min" if minutes >= 60 else f"{minutes} min"


if __name__ == "__main__":
    app()
