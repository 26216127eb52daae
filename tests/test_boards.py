"""The board registry (pipeline.boards): the shipped lists, imports of real and broken CSVs,
links to boards, status from what crawling showed, and the ``secjobs boards`` commands."""

from __future__ import annotations

import csv
import hashlib
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from pipeline.board_links import BadBoard, BoardEntry, board_from_url, quote_identifier
from pipeline.boards import (
    GONE_AFTER,
    SHIPPED_DIR,
    BoardState,
    ListingCounts,
    Outcome,
    SourceCost,
    add_boards,
    board_counts,
    clean_board_listing,
    is_due,
    load_shipped,
    next_state,
    plan_source,
    read_board_csv,
    record_listings,
    record_outcomes,
    write_board_file,
)
from pipeline.db import session_factory, upgrade
from pipeline.models import Board, JobPostingRecord, PipelineRun
from pipeline.postings import Rejected, clean_posting
from pipeline.store import close_missing_postings, upsert_postings
from secjobs.cli import app

SHIPPED_ROWS = {
    "ashby": 3448,
    "greenhouse": 6031,
    "lever": 2402,
    "smartrecruiters": 2747,
    "workable": 4268,
    "workday": 3530,
}
NOW = datetime(2026, 12, 3, 6, 0, tzinfo=UTC)


# --- the shipped lists -------------------------------------------------------------------------


@pytest.mark.parametrize("ats", sorted(SHIPPED_ROWS))
def test_every_shipped_row_is_a_board(ats):
    read = read_board_csv((SHIPPED_DIR / f"{ats}.csv").read_text(encoding="utf-8"), ats)
    assert read.skipped == []
    assert len(read.entries) == SHIPPED_ROWS[ats]
    assert len({e.identifier for e in read.entries}) == SHIPPED_ROWS[ats]


def test_shipped_lists_keep_their_licence_and_provenance():
    assert "MIT License" in (SHIPPED_DIR / "LICENSE").read_text()
    provenance = (SHIPPED_DIR / "PROVENANCE.tsv").read_text().splitlines()
    assert {line.split("\t")[0] for line in provenance[1:]} == {f"{a}.csv" for a in SHIPPED_ROWS}


def test_odd_real_identifiers_are_kept_and_encoded_in_urls():
    ashby = read_board_csv((SHIPPED_DIR / "ashby.csv").read_text(), "ashby").entries
    lever = read_board_csv((SHIPPED_DIR / "lever.csv").read_text(), "lever").entries
    assert "hamming ai" in {e.identifier for e in ashby}
    assert "1840&Company" in {e.identifier for e in lever}
    assert quote_identifier("hamming ai") == "hamming%20ai"
    assert quote_identifier("1840&Company") == "1840%26Company"
    assert quote_identifier("a/b?c#d") == "a%2Fb%3Fc%23d"  # one path segment, always


def test_workday_identifiers_come_from_the_careers_url():
    workday = {
        e.identifier: e
        for e in read_board_csv((SHIPPED_DIR / "workday.csv").read_text(), "workday").entries
    }
    # The list writes this one "atmosenergy/wd108/External_Career_Site".
    atmos = workday["atmosenergy/External_Career_Site"]
    assert atmos.careers_url == "https://atmosenergy.wd108.myworkdayjobs.com/External_Career_Site"
    assert workday["dickinson/Jobs"].careers_url == "https://dickinson.wd108.myworkdayjobs.com/Jobs"


# --- importing a user's CSV --------------------------------------------------------------------

BROKEN = (
    "name,slug,url\n"
    "Gitlab,gitlab,https://job-boards.greenhouse.io/gitlab\n"  # line 2: fine
    "No slug,,https://job-boards.greenhouse.io/x\n"  # line 3: no identifier
    "Two fields,two\n"  # line 4: a field short
    '"Bad\nname",bad\x07bell,https://x.example\n'  # lines 5-6: a control character
    "Bad url,badurl,javascript:alert(1)\n"  # line 7
    "Okta,okta,\n"  # line 8: fine without a URL
    ",gitlab,https://boards.greenhouse.io/gitlab\n"  # line 9: gitlab again
)


def test_a_broken_csv_skips_its_bad_rows_by_line_and_keeps_the_rest():
    read = read_board_csv(BROKEN, "greenhouse")
    assert read.skipped == [
        "line 3: no identifier",
        "line 4: 2 fields, not 3",
        "line 6: not an identifier: 'bad\\x07bell'",
        "line 7: not a careers URL: 'javascript:alert(1)'",
    ]
    assert [e.identifier for e in read.entries] == ["gitlab", "okta", "gitlab"]
    assert read.entries[1] == BoardEntry("greenhouse", "okta", "Okta", None)


def test_a_csv_of_another_shape_is_refused():
    with pytest.raises(BadBoard, match="needs the columns name,slug,url; its header is id,board"):
        read_board_csv("id,board\n1,gitlab\n", "greenhouse")
    with pytest.raises(BadBoard, match="unknown ATS 'taleo'"):
        read_board_csv("name,slug,url\n", "taleo")


def test_duplicates_merge_and_known_boards_keep_their_history(database_url):
    upgrade(database_url)
    factory = session_factory(database_url)
    with factory.begin() as session:
        first = add_boards(session, read_board_csv(BROKEN, "greenhouse").entries, "configured")
        assert (first.added, first.known) == (2, 0)
        record_outcomes(session, [Outcome("greenhouse", "gitlab", "jobs", 140, 3)], NOW)
    later = [
        BoardEntry("greenhouse", "gitlab", "GitLab Inc.", None),
        BoardEntry("greenhouse", "okta", None, "https://job-boards.greenhouse.io/okta"),
        BoardEntry("greenhouse", "elastic", "Elastic", None),
    ]
    with factory.begin() as session:
        second = add_boards(session, later, "discovered", now=NOW + timedelta(days=1))
        assert (second.added, second.known) == (1, 2)
    with factory() as session:
        boards = {b.identifier: b for b in session.scalars(select(Board))}
    gitlab, okta, elastic = boards["gitlab"], boards["okta"], boards["elastic"]
    # The first name stays, the status and counts too; a missing URL is filled in.
    assert (gitlab.name, gitlab.status, gitlab.open_postings) == ("Gitlab", "active", 140)
    assert gitlab.origin == "configured"
    assert okta.careers_url == "https://job-boards.greenhouse.io/okta"
    assert (elastic.origin, elastic.status) == ("discovered", "unchecked")


def test_shipped_lists_load_once_and_again_when_they_change(database_url, tmp_path):
    upgrade(database_url)
    factory = session_factory(database_url)
    with factory.begin() as session:
        loaded = load_shipped(session)
    assert {ats: i.added for ats, i in loaded.items()} == SHIPPED_ROWS
    with factory.begin() as session:
        assert load_shipped(session) == {}  # unchanged: nothing read
    # A newer list with one more board: only that one is added; known boards are untouched.
    newer = tmp_path / "boards"
    newer.mkdir()
    lever = (SHIPPED_DIR / "lever.csv").read_text()
    (newer / "lever.csv").write_text(
        lever + "Northwind,northwind,https://jobs.lever.co/northwind\n"
    )
    with factory.begin() as session:
        again = load_shipped(session, newer)
    assert {ats: (i.added, i.known) for ats, i in again.items()} == {"lever": (1, 2402)}
    with factory() as session:
        counts = board_counts(session)
    assert counts["lever"] == {"unchecked": 2403}
    assert sum(n for per in counts.values() for n in per.values()) == 22_427


# --- links to boards -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "ats", "identifier"),
    [
        ("https://job-boards.greenhouse.io/gitlab/jobs/8012345002", "greenhouse", "gitlab"),
        ("https://boards.greenhouse.io/embed/job_board/js?for=okta", "greenhouse", "okta"),
        ("https://boards.greenhouse.io/embed/job_board?for=a%20b&b=1", "greenhouse", "a b"),
        ("https://boards-api.greenhouse.io/v1/boards/datadog/jobs", "greenhouse", "datadog"),
        ("https://jobs.lever.co/1840&Company/abc-123/apply", "lever", "1840&Company"),
        ("https://api.lever.co/v0/postings/matchgroup?mode=json", "lever", "matchgroup"),
        ("https://jobs.ashbyhq.com/hamming%20ai/4b1c", "ashby", "hamming ai"),
        ("https://api.ashbyhq.com/posting-api/job-board/linear", "ashby", "linear"),
        ("https://apply.workable.com/crewai/j/3C7F2B1A9E/", "workable", "crewai"),
        ("https://careers.smartrecruiters.com/BoschGroup", "smartrecruiters", "BoschGroup"),
        ("https://jobs.smartrecruiters.com/Experian/7443", "smartrecruiters", "Experian"),
        ("https://api.smartrecruiters.com/v1/companies/Visa/postings", "smartrecruiters", "Visa"),
        (
            "https://gdit.wd5.myworkdayjobs.com/en-US/External_Career_Site/job/X_1",
            "workday",
            "gdit/External_Career_Site",
        ),
        (
            "https://gdit.wd5.myworkdayjobs.com/wday/cxs/gdit/External_Career_Site/jobs",
            "workday",
            "gdit/External_Career_Site",
        ),
        ("https://dickinson.wd108.myworkdayjobs.com/Jobs", "workday", "dickinson/Jobs"),
    ],
)
def test_links_name_their_board(url, ats, identifier):
    board = board_from_url(url)
    assert (board.ats, board.identifier) == (ats, identifier)


def test_a_workday_link_gives_the_careers_url_on_its_own_host():
    board = board_from_url("https://gdit.wd5.myworkdayjobs.com/en-US/External_Career_Site/job/X")
    assert board.careers_url == "https://gdit.wd5.myworkdayjobs.com/External_Career_Site"


@pytest.mark.parametrize(
    "url",
    [
        "https://www.greenhouse.io/pricing",
        "https://boards.greenhouse.io/",
        "https://jobs.lever.co",
        "https://gdit.wd5.myworkdayjobs.com/wday/cxs",
        "https://evil.example/jobs.lever.co/x",
        "https://jobs.lever.co.evil.example/x",
        "not a url at all",
    ],
)
def test_other_links_name_no_board(url):
    assert board_from_url(url) is None


# --- status from evidence ----------------------------------------------------------------------


def _after(state: BoardState, *kinds: str) -> BoardState:
    for day, kind in enumerate(kinds):
        state = next_state(state, Outcome("ashby", "x", kind, 5, 1), NOW + timedelta(days=day))
    return state


def test_a_board_is_active_when_it_lists_jobs_and_empty_when_it_answers_with_none():
    active = _after(BoardState(), "jobs")
    assert (active.status, active.open_postings, active.security_postings) == ("active", 5, 1)
    assert active.last_with_jobs == NOW
    empty = _after(active, "none")
    assert (empty.status, empty.open_postings, empty.last_with_jobs) == ("empty", 0, NOW)


def test_a_board_is_gone_after_three_unknown_answers_in_a_row_only():
    assert GONE_AFTER == 3
    twice = _after(_after(BoardState(), "jobs"), "unknown", "unknown")
    assert (twice.status, twice.consecutive_failures, twice.open_postings) == ("active", 2, 5)
    assert _after(twice, "unknown").status == "gone"
    # An answer in between starts the count again.
    broken = _after(BoardState(), "unknown", "unknown", "none", "unknown", "unknown")
    assert (broken.status, broken.consecutive_failures) == ("empty", 2)


def test_rate_limits_defer_a_board_without_counting_against_it():
    state = _after(BoardState(), "unknown", "limited")
    assert (state.status, state.consecutive_failures) == ("deferred", 1)
    assert state.last_crawled == NOW  # the limited attempt is no crawl
    assert _after(state, "jobs").status == "active"
    errored = _after(_after(BoardState(), "jobs"), "error", "error", "error", "error")
    assert (errored.status, errored.consecutive_failures) == ("active", 0)


def test_gone_boards_are_asked_again_monthly():
    gone = _after(BoardState(), "unknown", "unknown", "unknown")
    last = gone.last_crawled
    assert not is_due(gone, last + timedelta(days=29))
    assert is_due(gone, last + timedelta(days=30))
    assert is_due(_after(BoardState(), "limited"), NOW)


def test_outcomes_of_boards_the_registry_lacks_add_them_as_pins(database_url):
    upgrade(database_url)
    factory = session_factory(database_url)
    outcomes = [
        Outcome("workable", "crewai", "jobs", 12, 0, "12 jobs"),
        Outcome("workable", "nosuch", "unknown", detail="404"),
        Outcome("workable", "busy", "limited", detail="Retry-After 7200 s"),
    ]
    with factory.begin() as session:
        assert record_outcomes(session, outcomes, NOW) == 3
    with factory() as session:
        boards = {b.identifier: b for b in session.scalars(select(Board))}
    # Boards the registry did not hold are a TOML's pins: configured.
    assert {k: (b.status, b.origin) for k, b in boards.items()} == {
        "crewai": ("active", "configured"),
        "nosuch": ("unchecked", "configured"),
        "busy": ("deferred", "configured"),
    }
    assert boards["nosuch"].consecutive_failures == 1
    assert boards["busy"].last_outcome == "Retry-After 7200 s"


# --- the commands ------------------------------------------------------------------------------


@pytest.fixture
def registry(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'secjobs.db'}"
    monkeypatch.setenv("SECJOBS_DATABASE_URL", url)
    monkeypatch.setenv("COLUMNS", "200")
    return url


def test_import_skips_bad_rows_by_line_and_reports_what_it_did(registry, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(BROKEN)
    result = CliRunner().invoke(app, ["boards", "import", str(path), "--ats", "greenhouse"])
    assert result.exit_code == 0, result.output
    assert "skipped line 4: 2 fields, not 3" in result.output
    # gitlab and okta are in the shipped list already: loaded first, then known.
    assert "mine.csv: 0 boards added, 2 already known, 4 rows skipped." in result.output
    with session_factory(registry)() as session:
        okta = session.scalars(select(Board).where(Board.identifier == "okta")).one()
    assert okta.origin == "configured"


def test_add_takes_a_link_and_refuses_a_bad_board_in_one_line(registry):
    runner = CliRunner()
    added = runner.invoke(app, ["boards", "add", "ashby", "https://jobs.ashbyhq.com/acme%20labs"])
    assert added.exit_code == 0, added.output
    assert "ashby acme labs: added." in added.output
    wrong = runner.invoke(app, ["boards", "add", "lever", "https://jobs.ashbyhq.com/acme"])
    assert wrong.exit_code == 2
    assert wrong.output.strip() == "error: https://jobs.ashbyhq.com/acme is no lever board link"
    unknown = runner.invoke(app, ["boards", "add", "taleo", "acme"])
    assert unknown.exit_code == 2 and "unknown ATS 'taleo'" in unknown.output
    assert "Traceback" not in unknown.output


def test_list_as_csv_has_its_columns_and_no_formula_cells(registry):
    runner = CliRunner()
    hostile = '=HYPERLINK("https://evil.example")'
    assert (
        runner.invoke(app, ["boards", "add", "lever", "zz-top", "--name", hostile]).exit_code == 0
    )
    with session_factory(registry).begin() as session:
        record_outcomes(session, [Outcome("lever", "zz-top", "jobs", 7, 2)], NOW)
    result = runner.invoke(
        app, ["boards", "list", "--ats", "lever", "--status", "active", "--format", "csv"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows == [
        ["ats", "id", "name", "status", "open_postings", "security_postings", "last_crawled"],
        ["lever", "zz-top", "'" + hostile, "active", "7", "2", "2026-12-03 06:00"],
    ]


def test_stats_counts_boards_per_ats_and_status(registry):
    with session_factory(registry).begin() as session:
        upgrade(registry)
        load_shipped(session)
        outcomes = [Outcome("greenhouse", "gitlab", "jobs", 140, 3)] + [
            Outcome("lever", "100ms", "unknown") for _ in range(3)
        ]
        for outcome in outcomes:
            record_outcomes(session, [outcome], NOW)
    result = CliRunner().invoke(app, ["boards", "stats"])
    assert result.exit_code == 0, result.output
    lines = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if "│" in line}
    cells = {ats: [c.strip() for c in line.split("│")[2:-1]] for ats, line in lines.items()}
    # active, empty, unchecked, deferred, gone, all
    assert cells["greenhouse"] == ["1", "0", "6,030", "0", "0", "6,031"]
    assert cells["lever"] == ["0", "0", "2,401", "0", "1", "2,402"]
    assert cells["all"] == ["1", "0", "22,424", "0", "1", "22,426"]


# --- the plan of a run ---------------------------------------------------------------------------


def _cost(**overrides) -> SourceCost:
    fields = {
        "source": "lever",
        "ats": "lever",
        "host": "api.lever.co",
        "delay": 1.0,
        "concurrency": 1,
        "requests_per_board": 1.0,
        "pinned": ["pinned-1"],
    }
    return SourceCost(**{**fields, **overrides})


def _registry_of(database_url, statuses: dict[str, int]) -> None:
    """Lever boards named <status>-<n>, brought to each status by real outcomes."""
    upgrade(database_url)
    kinds = {
        "active": ["jobs"],
        "empty": ["none"],
        "deferred": ["limited"],
        "gone": ["unknown"] * 3,
    }
    with session_factory(database_url).begin() as session:
        names = {f"{s}-{n:03d}": s for s, count in statuses.items() for n in range(count)}
        add_boards(session, [BoardEntry("lever", name) for name in [*names, "pinned-1"]], "shipped")
        for step in range(3):
            outcomes = [
                Outcome("lever", name, kinds[status][step], 3, 1)
                for name, status in names.items()
                if status in kinds and step < len(kinds[status])
            ]
            record_outcomes(session, outcomes, NOW - timedelta(days=3 - step))


def test_a_plan_within_budget_crawls_every_due_board(database_url):
    _registry_of(database_url, {"active": 5, "deferred": 2, "empty": 4, "unchecked": 6, "gone": 3})
    with session_factory(database_url)() as session:
        plan = plan_source(session, _cost(), NOW, budget_seconds=3_600)
    assert (plan.registered, plan.every_run, plan.quiet, plan.not_due) == (21, 7, 10, 3)
    assert (plan.quiet_today, plan.rotation_days, plan.crawled) == (10, 1, 18)
    assert "pinned-1" not in plan.boards and not any(b.startswith("gone") for b in plan.boards)
    assert plan.boards[:7] == [
        *(f"active-{n:03d}" for n in range(5)),
        "deferred-000",
        "deferred-001",
    ]
    assert (plan.requests, plan.seconds) == (18.0, 18.0)


def test_past_the_budget_quiet_boards_take_turns_and_active_ones_never_wait(database_url):
    _registry_of(database_url, {"active": 5, "empty": 40, "unchecked": 60})
    seen: list[str] = []
    with session_factory(database_url)() as session:
        # 26 s at 1 s a board: the pin, the 5 active boards and room for 20 quiet ones.
        first = plan_source(session, _cost(), NOW, budget_seconds=26)
        assert (first.quiet, first.rotation_days) == (100, 5)
        for day in range(first.rotation_days):
            plan = plan_source(session, _cost(), NOW + timedelta(days=day), budget_seconds=26)
            assert plan.boards[:5] == [f"active-{n:03d}" for n in range(5)]
            assert plan.crawled <= 26
            seen += plan.boards[5:]
    # Over one rotation every quiet board had its turn, once (none cut for want of room).
    assert sorted(seen) == sorted(
        [f"empty-{n:03d}" for n in range(40)] + [f"unchecked-{n:03d}" for n in range(60)]
    )


def test_gone_boards_come_back_into_the_plan_after_a_month(database_url):
    _registry_of(database_url, {"gone": 2})
    with session_factory(database_url)() as session:
        assert plan_source(session, _cost(), NOW).boards == []
        later = plan_source(session, _cost(), NOW + timedelta(days=31))
    assert later.boards == ["gone-000", "gone-001"]


def test_max_boards_caps_a_sandbox_run(database_url):
    _registry_of(database_url, {"active": 5, "unchecked": 6})
    with session_factory(database_url)() as session:
        plan = plan_source(session, _cost(), NOW, max_boards=3)
    assert plan.boards == ["active-000", "active-001", "active-002"]


def test_boards_on_hosts_of_their_own_are_bound_by_latency_not_delay():
    workday = _cost(delay=1.0, requests_per_board=4.0, host_per_board=True)
    assert workday.seconds_per_board() == 4.0 * 0.5 / 8
    assert _cost(delay=0.2, concurrency=1).seconds_per_board() == 0.5  # latency-bound


def test_source_costs_come_from_the_tomls():
    from flows.boards import source_costs

    costs = {c.source: c for c in source_costs()}
    assert {"greenhouse", "lever", "ashby", "smartrecruiters", "workable"} <= set(costs)
    greenhouse = costs["greenhouse"]
    assert (greenhouse.ats, greenhouse.host, greenhouse.delay, greenhouse.concurrency) == (
        "greenhouse",
        "boards-api.greenhouse.io",
        1.0,
        2,
    )
    assert greenhouse.requests_per_board == 1.1
    assert greenhouse.pinned[:2] == ["gitlab", "cloudflare"] and len(greenhouse.pinned) == 8


def test_plan_prints_each_source_and_the_expected_wall_time(registry):
    result = CliRunner().invoke(app, ["boards", "plan"])
    assert result.exit_code == 0, result.output
    rows = {
        line.split("│")[1].strip(): [c.strip() for c in line.split("│")[2:-1]]
        for line in result.stdout.splitlines()
        if line.startswith("│")
    }
    # host, delay, concurrency, registry, pinned, every run, quiet today, rotation, crawled,
    # requests, time: 6,031 shipped boards at 1.1 requests and 1 s a request.
    assert rows["greenhouse"] == [
        "boards-api.greenhouse.io",
        "1",
        "2",
        "6,031",
        "8",
        "0",
        "6,023 of 6,023",
        "daily",
        "6,031",
        "6,634",
        "1 h 51 min",
    ]
    # 2,746 quiet boards (one shipped board is pinned), 1,596 a day at 4.5 requests a
    # company: two turns of 1,373.
    today, of = rows["smartrecruiters"][6].split(" of ")
    assert (today, of, rows["smartrecruiters"][7]) == ("1,373", "2,746", "every 2 runs")
    text = " ".join(result.stdout.split())
    assert "Expected wall time: 1 h 51 min (the longest, greenhouse), within the 2 h" in text


# --- the report --------------------------------------------------------------------------------


def test_the_report_counts_boards_per_ats_and_status(sqlite_url, tmp_path):
    from dashboards.report import build_report

    upgrade(sqlite_url)
    with session_factory(sqlite_url).begin() as session:
        add_boards(session, [BoardEntry("lever", f"b{n}") for n in range(4)], "shipped")
        add_boards(session, [BoardEntry("workable", "w<script>")], "configured")
        outcomes = [Outcome("lever", "b0", "jobs", 9, 2), Outcome("lever", "b1", "none")]
        outcomes += [Outcome("lever", "b2", "unknown")] * 3 + [
            Outcome("workable", "w<script>", "limited")
        ]
        record_outcomes(session, outcomes, NOW)
        # The run that crawled them started a minute before.
        session.add(PipelineRun(run_id="r1", started_at=NOW - timedelta(minutes=1), status="ok"))
    paths, markdown, _ = build_report(sqlite_url, tmp_path / "reports")
    # Per ATS: statuses, all, crawled this run, open and security-manager postings found.
    assert "| lever | 1 | 1 | 1 | 0 | 1 | 4 | 3 | 9 | 2 |" in markdown
    assert "| workable | 0 | 0 | 0 | 1 | 0 | 1 | 0 | 0 | 0 |" in markdown
    rows = list(csv.DictReader((paths.directory / "boards.csv").open()))
    assert [
        (r["ats"], r["active"], r["gone"], r["all"], r["crawled_this_run"], r["security_postings"])
        for r in rows
    ] == [("lever", "1", "1", "4", "3", "2"), ("workable", "0", "0", "1", "0", "0")]
    employers = list(csv.DictReader((paths.directory / "top_employers.csv").open()))
    assert [(e["employer"], e["ats"], e["security_postings"]) for e in employers] == [
        ("b0", "lever", "2")
    ]
    html = paths.html.read_text()
    assert "<h3>Employer boards</h3>" in html and "<td>lever</td>" in html
    assert "<h3>Employers with the most security-manager postings</h3>" in html
    assert "<script>" not in html.split("<h3>Employer boards</h3>", 1)[1].split("</table>", 2)[0]


def test_board_files_of_runs_a_day_ago_are_pruned(tmp_path):
    import os

    from pipeline.boards import prune_board_files

    old = tmp_path / "greenhouse" / "run-1.boards.json"
    new = tmp_path / "lever" / "run-2.boards.json"
    feed = tmp_path / "greenhouse" / "run-1.jsonl"
    for path in (old, new, feed):
        path.parent.mkdir(exist_ok=True)
        path.write_text("[]")
    day_ago = NOW.timestamp() - 86_401
    for path in (old, feed):
        os.utime(path, (day_ago, day_ago))
    os.utime(new, (NOW.timestamp() - 3_600,) * 2)
    assert prune_board_files(tmp_path, NOW) == 1
    assert not old.exists() and new.exists() and feed.exists()  # feeds are not its business


def test_discovered_boards_keep_the_first_page_they_were_found_in(sqlite_url):
    from pipeline.boards import add_discovered

    upgrade(sqlite_url)
    links = [
        {"ats": "lever", "identifier": "acme", "careers_url": None, "found_in": "https://a/1"},
        {"ats": "lever", "identifier": "acme", "careers_url": None, "found_in": "https://a/2"},
        {"ats": "ashby", "identifier": "b c", "careers_url": None, "found_in": "https://b/1"},
    ]
    with session_factory(sqlite_url).begin() as session:
        assert add_discovered(session, links, NOW) == 2
        assert add_discovered(session, links, NOW) == 0  # known now
    with session_factory(sqlite_url)() as session:
        found = {
            (b.ats, b.identifier): (b.origin, b.found_in) for b in session.scalars(select(Board))
        }
    assert found == {
        ("lever", "acme"): ("discovered", "https://a/1"),
        ("ashby", "b c"): ("discovered", "https://b/1"),
    }


# --- unchanged listings ------------------------------------------------------------------------

DIGEST = {name: hashlib.sha256(name.encode()).hexdigest() for name in ("a", "b", "c")}


def _posting(source_id: str, board: str | None) -> dict:
    return clean_posting(
        {
            "kind": "job_posting",
            "source": "lever",
            "url": f"https://jobs.lever.co/{board}/{source_id}",
            "jobPostingId": source_id,
            "jobTitle": "Information Security Manager",
            "board": board,
        }
    )


def _listing(board: str, digest: str, since: str | None = None) -> dict:
    return clean_board_listing(
        {
            "source": "lever",
            "ats": "lever",
            "board": board,
            "digest": digest,
            "unchangedSince": since,
        }
    )


def _check(board: str, kind: str = "jobs", jobs: int = 2) -> dict:
    return {"ats": "lever", "identifier": board, "kind": kind, "open_postings": jobs}


def _store_run(session, run_id, at, postings=(), checks=(), listings=()) -> ListingCounts:
    """A run's board records in the order ``pipeline.ingest.store_cleaned`` stores them."""
    upsert_postings(session, list(postings), run_id, at)
    record_outcomes(session, [Outcome(**c) for c in checks], at)
    return record_listings(session, list(listings), list(checks), run_id, at)


def _utc(moment: datetime) -> datetime:
    """SQLite gives naive UTC back, PostgreSQL an aware time in its session's zone."""
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def test_an_unchanged_boards_postings_stay_open_through_close_missing(database_url):
    upgrade(database_url)
    factory = session_factory(database_url)
    later = NOW + timedelta(days=1)
    with factory.begin() as session:
        first = _store_run(
            session,
            "run-1",
            NOW,
            [_posting("1", "acme"), _posting("2", "acme"), _posting("3", "zeta")],
            [_check("acme"), _check("zeta", jobs=1)],
            [_listing("acme", DIGEST["a"]), _listing("zeta", DIGEST["b"])],
        )
    assert first == ListingCounts(recorded=2)
    with factory.begin() as session:
        # acme answers as before; zeta's one job is gone from its listing.
        second = _store_run(
            session,
            "run-2",
            later,
            checks=[_check("zeta", "none", 0)],
            listings=[_listing("acme", DIGEST["a"], "run-1"), _listing("zeta", DIGEST["c"])],
        )
        assert close_missing_postings(session, "lever", "run-2", later) == 1
    assert second == ListingCounts(recorded=1, unchanged=1, refreshed=2)
    with factory() as session:
        postings = {p.source_id: p for p in session.scalars(select(JobPostingRecord))}
        acme = session.scalars(select(Board).where(Board.identifier == "acme")).one()
    assert {k: (p.board, p.status, p.last_run_id) for k, p in postings.items()} == {
        "1": ("acme", "open", "run-2"),
        "2": ("acme", "open", "run-2"),
        "3": ("zeta", "closed", "run-1"),
    }
    assert {_utc(postings[k].last_seen) for k in "12"} == {later}
    assert {_utc(postings[k].first_seen) for k in "12"} == {NOW}
    # Crawled this run, as it was: the report's coverage counts it.
    assert (acme.status, acme.open_postings, _utc(acme.last_crawled)) == ("active", 2, later)
    assert (acme.listing_digest, acme.listing_run_id) == (DIGEST["a"], "run-2")
    assert acme.last_outcome == "unchanged since run run-1"


def test_an_unchanged_listing_the_store_cannot_vouch_for_is_read_next_time(database_url):
    upgrade(database_url)
    factory = session_factory(database_url)
    boards = ("same", "other-digest", "other-run", "stored-since", "deferred")
    with factory.begin() as session:
        _store_run(
            session,
            "run-1",
            NOW,
            [_posting(b, b) for b in boards],
            [_check(b, jobs=1) for b in boards],
            [_listing(b, DIGEST["a"]) for b in boards],
        )
    with factory.begin() as session:
        # A crawl that stored a posting of "stored-since" without reading its listing whole
        # (a page of it unreadable), and one that found "deferred" rate-limited.
        _store_run(session, "run-2", NOW + timedelta(days=1), [_posting("x", "stored-since")])
        _store_run(
            session, "run-3", NOW + timedelta(days=2), checks=[_check("deferred", "limited")]
        )
    with factory.begin() as session:
        counts = _store_run(
            session,
            "run-4",
            NOW + timedelta(days=3),
            listings=[
                _listing("same", DIGEST["a"], "run-1"),
                _listing("other-digest", DIGEST["b"], "run-1"),
                _listing("other-run", DIGEST["a"], "run-0"),
                _listing("stored-since", DIGEST["a"], "run-1"),
                _listing("deferred", DIGEST["a"], "run-1"),
            ],
        )
    assert counts == ListingCounts(unchanged=1, refreshed=1, stale=4)
    with factory() as session:
        stored = {b.identifier: b for b in session.scalars(select(Board))}
        seen = dict(
            session.execute(select(JobPostingRecord.source_id, JobPostingRecord.last_run_id)).all()
        )
    assert {k: b.listing_digest for k, b in stored.items()} == {
        "same": DIGEST["a"],
        **{b: None for b in boards[1:]},
    }
    assert seen == {
        "same": "run-4",
        "other-digest": "run-1",
        "other-run": "run-1",
        "stored-since": "run-1",
        "x": "run-2",
        "deferred": "run-1",
    }


def test_a_plan_hands_the_spider_the_listings_of_its_active_boards(database_url, tmp_path):
    from spiders.crawlers.base import BoardFile, board_file

    _registry_of(database_url, {"active": 2, "empty": 1})
    with session_factory(database_url).begin() as session:
        checks = [_check("active-000"), _check("empty-000", "none", 0), _check("pinned-1")]
        listings = [_listing(c["identifier"], DIGEST["a"]) for c in checks]
        _store_run(session, "run-1", NOW, checks=checks, listings=listings)
    with session_factory(database_url)() as session:
        plan = plan_source(session, _cost(), NOW)
    known = {"digest": DIGEST["a"], "since": "run-1"}
    assert plan.listings == {"pinned-1": known, "active-000": known}
    path = write_board_file(plan, tmp_path / "lever" / "run-2.boards.json")
    settings = {"SECJOBS_BOARDS_FILE": str(path)}
    assert board_file(settings) == BoardFile(plan.boards, plan.listings)
    path.write_text('["a", "b"]')  # a bare list, as before: boards alone
    assert board_file(settings) == BoardFile(["a", "b"], {})


def test_a_board_listing_without_a_digest_is_quarantined():
    record = {"source": "lever", "ats": "lever", "board": "acme", "digest": "abc"}
    with pytest.raises(Rejected, match="not a sha256 digest"):
        clean_board_listing(record)
    assert _listing(" acme ", DIGEST["a"], "run-1")["identifier"] == "acme"
