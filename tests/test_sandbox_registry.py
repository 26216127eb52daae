"""The sandbox answers every shipped board of the registry (pipeline/data/boards/) as its ATS
does for the board's fate: gone, empty, rate-limited or active, the same fate for the same seed
in every process, and nothing generated before a board is asked for; and Workday's registry
career sites crawled through the real spider."""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from urllib.parse import quote

import pytest

from pipeline.postings import clean_posting
from sandbox.generator import BOARD_TOKENS, TITLES, Market, ats_accounts
from sandbox.registry import (
    ACTIVE,
    ATSES,
    EMPTY,
    GONE,
    RATE_LIMITED,
    BoardPlan,
    board_plan,
    board_postings,
    fictional_name,
    registry_boards,
    shipped_boards,
)
from sandbox.routes import ashby, greenhouse, lever, workday
from sandbox.routes.workable import GONE_PAGE
from sandbox.server import running_sandbox
from tests.spiders.crawl import run_crawl

ROOT = Path(__file__).resolve().parent.parent
SEED = Market().seed
LISTING = {
    "greenhouse": "/greenhouse/v1/boards/{}/jobs?content=true",
    "lever": "/lever/v0/postings/{}?mode=json",
    "ashby": "/ashby/posting-api/job-board/{}?includeCompensation=true",
    "smartrecruiters": "/smartrecruiters/v1/companies/{}/postings",
    "workable": "/workable/api/accounts/{}?details=true",
}
# Workday lists a career site with a POST to its own host's API: /workday/<host>/wday/cxs/...
WORKDAY_FIRST_PAGE = {"appliedFacets": {}, "limit": 20, "offset": 0, "searchText": ""}
# Boards the sandbox already served before the registry: they keep their own answers.
SERVED_BEFORE = {
    "greenhouse": {*greenhouse.RECORDED_BOARDS, *BOARD_TOKENS},
    "lever": {*lever.RECORDED_SITES, *ats_accounts("lever")},
    "ashby": {*ashby.RECORDED_BOARDS, *ats_accounts("ashby")},
    "smartrecruiters": set(ats_accounts("smartrecruiters")),
    "workable": set(ats_accounts("workable")),
    "workday": {
        f"{host.split('.', 1)[0]}/{site}"
        for host, site in [
            *workday.recorded_sites(),
            *((host, site) for host, (_, site) in workday.GENERATED_SITES.items()),
        ]
    },
}
SECURITY_TITLES = {
    t for t, family, _ in TITLES if family in ("security_manager", "security_leader")
}
SR_NOTHING = {"offset": 0, "limit": 100, "totalFound": 0, "content": []}


@pytest.fixture(scope="module")
def sandbox():
    with running_sandbox(Market(size=120)) as url:
        yield url


def get(url: str, body: dict | None = None) -> tuple[int, Message, bytes]:
    """Status, headers (case-insensitive) and body, whatever the status; a POST of ``body``
    as JSON when there is one."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(url, data=data, headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def listing_url(base: str, ats: str, identifier: str) -> str:
    if ats == "workday":
        return workday_api(base, identifier) + "/jobs"
    return base + LISTING[ats].format(quote(identifier, safe=""))


def workday_api(base: str, identifier: str, host: str | None = None) -> str:
    """A shipped career site's API root in the sandbox, at its own host (or at ``host``)."""
    tenant, site = identifier.split("/", 1)
    host = host or shipped_boards("workday")[identifier].host
    return f"{base}/workday/{host}/wday/cxs/{quote(tenant, safe='')}/{quote(site, safe='')}"


def list_board(base: str, ats: str, identifier: str, offset: int = 0):
    """A board's listing as its ATS is asked for it (Workday: its first page of 20, POSTed)."""
    if ats == "workday":
        page = {**WORKDAY_FIRST_PAGE, "offset": offset}
        return get(listing_url(base, ats, identifier), page)
    return get(listing_url(base, ats, identifier))


def plans(ats: str, seed: int = SEED) -> list[BoardPlan]:
    """The shipped boards of ``ats`` only the registry answers for."""
    return [
        board_plan(ats, identifier, seed)
        for identifier, _fate in registry_boards(ats, seed)
        if identifier not in SERVED_BEFORE[ats]
    ]


def pick(ats: str, fate: str, seed: int = SEED, large: bool = False) -> BoardPlan:
    return next(
        p
        for p in plans(ats, seed)
        if p.fate == fate and (fate != ACTIVE or (p.jobs >= 50) == large)
    )


def titles(ats: str, body) -> list[str]:
    """The job titles an answer lists."""
    if ats == "lever":
        return [p["text"] for p in body]
    if ats == "smartrecruiters":
        return [p["name"] for p in body["content"]]
    if ats == "workday":
        return [p["title"] for p in body["jobPostings"]]
    return [j["title"] for j in body["jobs"]]


# --- each fate, as each ATS answers it --------------------------------------------------------


@pytest.mark.parametrize("ats", ATSES)
def test_an_active_board_lists_its_generated_postings(sandbox, ats):
    plan = pick(ats, ACTIVE)
    status, headers, body = list_board(sandbox, ats, plan.board.identifier)
    listed = titles(ats, json.loads(body))
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    assert 1 <= len(listed) == plan.jobs <= 15
    assert sum(t in SECURITY_TITLES for t in listed) == plan.security_jobs
    assert listed == [p.title for p in board_postings(ats, plan.board.identifier, SEED)]


def test_active_boards_answer_in_their_ats_shape(sandbox):
    gh = pick("greenhouse", ACTIVE)
    jobs = json.loads(get(listing_url(sandbox, "greenhouse", gh.board.identifier))[2])
    first = jobs["jobs"][0]
    assert jobs["meta"] == {"total": gh.jobs}
    # Made-up jobs carry a made-up employer, never the real one the list names.
    assert first["company_name"] == fictional_name("greenhouse", gh.board) != gh.board.name
    assert "content" in first
    assert first["absolute_url"] == (
        f"https://job-boards.greenhouse.io/{gh.board.identifier}/jobs/{first['id']}"
    )
    status, headers, detail = get(
        f"{sandbox}/greenhouse/v1/boards/{gh.board.identifier}/jobs/{first['id']}"
        "?pay_transparency=true"
    )
    assert status == 200 and headers["ETag"] and json.loads(detail)["title"] == first["title"]

    lv = pick("lever", ACTIVE)
    [*postings] = json.loads(get(listing_url(sandbox, "lever", lv.board.identifier))[2])
    status, _, detail = get(
        f"{sandbox}/lever/v0/postings/{lv.board.identifier}/{postings[0]['id']}"
    )
    assert status == 200 and json.loads(detail)["text"] == postings[0]["text"]

    sr = pick("smartrecruiters", ACTIVE)
    listed = json.loads(get(listing_url(sandbox, "smartrecruiters", sr.board.identifier))[2])
    assert listed["totalFound"] == sr.jobs
    assert listed["content"][0]["company"] == {
        "identifier": sr.board.identifier,
        "name": fictional_name("smartrecruiters", sr.board),
    }
    pid = listed["content"][0]["id"]
    status, _, detail = get(
        f"{sandbox}/smartrecruiters/v1/companies/{sr.board.identifier}/postings/{pid}"
    )
    assert status == 200 and json.loads(detail)["jobAd"]["sections"]["jobDescription"]["text"]

    wk = pick("workable", ACTIVE)
    account = json.loads(get(listing_url(sandbox, "workable", wk.board.identifier))[2])
    assert account["name"] == fictional_name("workable", wk.board)
    assert len(account["jobs"]) == wk.jobs
    assert all(j["description"].startswith("<p>") for j in account["jobs"])

    ab = pick("ashby", ACTIVE)
    board = json.loads(get(listing_url(sandbox, "ashby", ab.board.identifier))[2])
    assert board["apiVersion"] == "1" and all("compensation" in j for j in board["jobs"])
    assert all(j["descriptionPlain"] and "<" not in j["descriptionPlain"] for j in board["jobs"])


@pytest.mark.parametrize(
    ("ats", "status", "expected"),
    [
        ("greenhouse", 200, {"jobs": [], "meta": {"total": 0}}),
        ("lever", 200, []),
        ("ashby", 200, {"jobs": [], "apiVersion": "1"}),
        ("smartrecruiters", 200, SR_NOTHING),
        ("workable", 200, None),  # the account's name and no jobs
        ("workday", 200, {"total": 0, "jobPostings": [], "userAuthenticated": False}),
    ],
)
def test_an_empty_board_answers_with_no_jobs(sandbox, ats, status, expected):
    plan = pick(ats, EMPTY)
    got_status, _, body = list_board(sandbox, ats, plan.board.identifier)
    if expected is None:
        name = fictional_name("workable", plan.board)
        expected = {"name": name, "description": f"<p>{name} careers</p>", "jobs": []}
    assert (got_status, json.loads(body)) == (status, expected)


@pytest.mark.parametrize(
    ("ats", "status", "expected"),
    [
        ("greenhouse", 404, {"status": 404, "error": "Job board not found"}),
        ("lever", 404, {"ok": False, "error": "Document not found"}),
        # SmartRecruiters answers any identifier: a gone company looks empty.
        ("smartrecruiters", 200, SR_NOTHING),
        ("workday", 404, {"errorCode": "HTTP_404", "message": "career site not found"}),
    ],
)
def test_a_gone_board_answers_as_its_ats_answers_an_unknown_one(sandbox, ats, status, expected):
    for plan in [p for p in plans(ats) if p.fate == GONE][:5]:
        got_status, _, body = list_board(sandbox, ats, plan.board.identifier)
        assert (got_status, json.loads(body)) == (status, expected)


def test_a_gone_workable_account_answers_an_html_page(sandbox):
    plan = pick("workable", GONE)
    status, headers, body = get(listing_url(sandbox, "workable", plan.board.identifier))
    assert status == 404 and headers["Content-Type"].startswith("text/html")
    assert body.decode() == GONE_PAGE and body.startswith(b"<!DOCTYPE html>")


def test_a_gone_ashby_board_answers_404_or_an_empty_board_and_keeps_to_it(sandbox):
    gone = [p for p in plans("ashby") if p.fate == GONE]
    answers_404 = [p for p in gone if ashby.gone_answers_404(p)]
    answers_empty = [p for p in gone if not ashby.gone_answers_404(p)]
    assert len(answers_404) >= 10 and len(answers_empty) >= 10
    for plan in answers_404[:3] * 2:
        status, _, body = get(listing_url(sandbox, "ashby", plan.board.identifier))
        assert (status, json.loads(body)) == (
            404,
            {"success": False, "errors": ["Job board not found"]},
        )
    for plan in answers_empty[:3] * 2:
        status, _, body = get(listing_url(sandbox, "ashby", plan.board.identifier))
        assert (status, json.loads(body)) == (200, {"jobs": [], "apiVersion": "1"})


@pytest.mark.parametrize("ats", ["greenhouse", "lever", "ashby", "smartrecruiters", "workday"])
def test_a_rate_limited_board_answers_429_retry_after_a_minute(sandbox, ats):
    plan = pick(ats, RATE_LIMITED)
    status, headers, body = list_board(sandbox, ats, plan.board.identifier)
    assert (status, headers["Retry-After"], body) == (429, "60", b"Too Many Requests")


def test_rate_limited_detail_pages_answer_429_too(sandbox):
    gh = pick("greenhouse", RATE_LIMITED).board.identifier
    lv = pick("lever", RATE_LIMITED).board.identifier
    sr = pick("smartrecruiters", RATE_LIMITED).board.identifier
    wd = pick("workday", RATE_LIMITED).board.identifier
    for url in (
        f"{sandbox}/greenhouse/v1/boards/{gh}/jobs/5000000000",
        f"{sandbox}/lever/v0/postings/{lv}/3e0f4c4e-0000-4000-a000-000000000000",
        f"{sandbox}/smartrecruiters/v1/companies/{sr}/postings/745000000000",
        workday_api(sandbox, wd) + "/job/Austin-TX/Head-of-Security_R1000700000",
    ):
        status, headers, _ = get(url)
        assert (status, headers["Retry-After"]) == (429, "60")


def test_a_rate_limited_workable_account_asks_to_wait_hours(sandbox):
    limited = [p for p in plans("workable") if p.fate == RATE_LIMITED]
    waits = set()
    for plan in limited[:6]:
        url = listing_url(sandbox, "workable", plan.board.identifier)
        first, again = get(url), get(url)
        assert first[0] == again[0] == 429
        assert first[1]["Retry-After"] == again[1]["Retry-After"]  # fixed per account
        waits.add(int(first[1]["Retry-After"]))
    assert len(waits) > 1 and all(3600 <= w <= 14400 for w in waits)


# --- paging, identifiers, and what was served before ----------------------------------------


def test_large_boards_page_where_the_api_pages(sandbox):
    lv = next(p for p in plans("lever") if p.fate == ACTIVE and p.jobs > 100)
    site = lv.board.identifier
    pages = [
        json.loads(get(f"{sandbox}/lever/v0/postings/{site}?mode=json&skip={s}&limit=100")[2])
        for s in (0, 100, 200)
    ]
    assert [len(p) for p in pages] == [100, lv.jobs - 100, 0]
    assert len({p["id"] for page in pages for p in page}) == lv.jobs

    sr = next(p for p in plans("smartrecruiters") if p.fate == ACTIVE and p.jobs > 100)
    company = sr.board.identifier
    first, second = (
        json.loads(get(f"{sandbox}/smartrecruiters/v1/companies/{company}/postings?offset={o}")[2])
        for o in (0, 100)
    )
    assert first["totalFound"] == second["totalFound"] == sr.jobs
    assert (len(first["content"]), len(second["content"])) == (100, sr.jobs - 100)

    gh = pick("greenhouse", ACTIVE, large=True)
    jobs = json.loads(get(listing_url(sandbox, "greenhouse", gh.board.identifier))[2])["jobs"]
    assert 50 <= len(jobs) == gh.jobs <= 200 and len({j["id"] for j in jobs}) == gh.jobs

    # Workday: 20 a page, the total stated on the first page only (later pages read 0, as
    # the real API's do), an empty page past the end.
    wd = pick("workday", ACTIVE, large=True)
    offsets = range(0, wd.jobs + 20, 20)
    pages = [json.loads(list_board(sandbox, "workday", wd.board.identifier, o)[2]) for o in offsets]
    assert [p["total"] for p in pages] == [wd.jobs] + [0] * (len(pages) - 1)
    assert [len(p["jobPostings"]) for p in pages] == [min(20, max(wd.jobs - o, 0)) for o in offsets]
    paths = {j["externalPath"] for p in pages for j in p["jobPostings"]}
    assert len(paths) == wd.jobs and pages[-1]["jobPostings"] == []


def test_identifiers_with_spaces_and_ampersands_are_served_url_encoded(sandbox):
    spaced = [p for p in plans("ashby") if " " in p.board.identifier]
    assert len(spaced) == 50
    for plan in spaced:
        status, _, body = get(listing_url(sandbox, "ashby", plan.board.identifier))
        if plan.fate == ACTIVE:
            jobs = json.loads(body)["jobs"]
            assert status == 200 and len(jobs) == plan.jobs
            encoded = quote(plan.board.identifier, safe="")
            assert jobs[0]["jobUrl"].startswith(f"https://jobs.ashbyhq.com/{encoded}/")
        elif plan.fate == RATE_LIMITED:
            assert status == 429
        else:
            assert status in (200, 404) and json.loads(body).get("jobs", []) == []
    hamming = board_plan("ashby", "hamming ai", SEED)
    status, _, body = get(f"{sandbox}/ashby/posting-api/job-board/hamming%20ai")
    assert (status, len(json.loads(body)["jobs"])) == (200, hamming.jobs)

    # 1840&Company is empty under the default seed and active under seed 1.
    assert board_plan("lever", "1840&Company", SEED).fate == EMPTY
    assert get(f"{sandbox}/lever/v0/postings/1840%26Company?mode=json")[:3:2] == (200, b"[]")
    active = board_plan("lever", "1840&Company", 1)
    with running_sandbox(Market(size=12, seed=1)) as other:
        status, _, body = get(f"{other}/lever/v0/postings/1840%26Company?mode=json")
        postings = json.loads(body)
        assert (status, len(postings)) == (200, active.jobs) and active.jobs > 0
        assert postings[0]["hostedUrl"].startswith("https://jobs.lever.co/1840%26Company/")
        status, _, detail = get(f"{other}/lever/v0/postings/1840%26Company/{postings[0]['id']}")
        assert status == 200 and json.loads(detail)["id"] == postings[0]["id"]


def test_recorded_generated_and_unknown_boards_answer_as_before(sandbox):
    recorded = (ROOT / "sandbox" / "recorded" / "greenhouse_gitlab_jobs.json").read_bytes()
    assert "gitlab" in shipped_boards("greenhouse")
    assert get(f"{sandbox}/greenhouse/v1/boards/gitlab/jobs")[::2] == (200, recorded)
    assert "linear" in shipped_boards("ashby")
    linear = (ROOT / "sandbox" / "recorded" / "ashby_linear_job_board.json").read_bytes()
    assert get(f"{sandbox}/ashby/posting-api/job-board/linear")[::2] == (200, linear)
    generated = json.loads(get(f"{sandbox}/greenhouse/v1/boards/{BOARD_TOKENS[0]}/jobs")[2])
    assert generated["jobs"] and all(
        j["company_name"] == "Northwind Security" for j in generated["jobs"]
    )

    gdit = (ROOT / "sandbox" / "recorded" / "workday_gdit_jobs.json").read_bytes()
    gdit_api = workday_api(sandbox, "gdit/External_Career_Site", "gdit.wd5.myworkdayjobs.com")
    assert get(f"{gdit_api}/jobs", WORKDAY_FIRST_PAGE)[::2] == (200, gdit)

    unknown = "no-such-board-anywhere"
    assert all(unknown not in shipped_boards(ats) for ats in ATSES)
    answers = {ats: get(listing_url(sandbox, ats, unknown)) for ats in LISTING}
    assert {ats: (s, json.loads(b)) for ats, (s, _, b) in answers.items()} == {
        "greenhouse": (404, {"status": 404, "error": "Job board not found"}),
        "lever": (404, {"ok": False, "error": "Document not found"}),
        "ashby": (404, {"success": False, "errors": ["Job board not found"]}),
        "smartrecruiters": (200, SR_NOTHING),
        "workable": (404, {"error": "Not found"}),
    }


# --- determinism, shares and laziness ---------------------------------------------------------

FINGERPRINT = """
import hashlib, sys
from sandbox.registry import ATSES, board_postings, registry_boards
seed = int(sys.argv[1])
digest = hashlib.sha256()
for ats in ATSES:
    boards = registry_boards(ats, seed)
    digest.update(repr(boards).encode())
    for identifier, _fate in boards[:40]:
        digest.update(repr(board_postings(ats, identifier, seed)).encode())
print(digest.hexdigest())
"""


def _fingerprint(seed: int, hash_seed: str) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    done = subprocess.run(
        [sys.executable, "-c", FINGERPRINT, str(seed)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def test_fates_and_postings_are_the_same_in_every_process():
    """Salted str hashes differ between these processes; the market does not."""
    assert _fingerprint(SEED, "1") == _fingerprint(SEED, "2") != _fingerprint(SEED + 1, "1")


def test_same_seed_same_answers_other_seed_other_fates():
    for ats in ATSES:
        mine, other = registry_boards(ats, SEED), registry_boards(ats, 7)
        assert [i for i, _ in mine] == [i for i, _ in other] == list(shipped_boards(ats))
        changed = sum(a != b for (_, a), (_, b) in zip(mine, other, strict=True))
        assert 0.1 < changed / len(mine) < 0.35  # P(same fate) is about 0.79

    gone_then_active = next(
        p
        for p in plans("greenhouse")
        if p.fate == GONE and board_plan("greenhouse", p.board.identifier, 7).fate == ACTIVE
    )
    sample = [pick(ats, fate) for ats in ATSES for fate in (ACTIVE, EMPTY, GONE, RATE_LIMITED)]
    sample.append(pick("greenhouse", ACTIVE, large=True))
    bodies = []
    for market in (Market(size=120), Market(size=120), Market(size=120, seed=7)):
        board_postings.cache_clear()  # each sandbox makes its postings anew
        with running_sandbox(market) as url:
            bodies.append(
                [list_board(url, p.ats, p.board.identifier)[::2] for p in sample]
                + [get(listing_url(url, "greenhouse", gone_then_active.board.identifier))[0]]
            )
    assert bodies[0] == bodies[1]
    assert bodies[0][-1] == 404 and bodies[2][-1] == 200
    assert sum(a != b for a, b in zip(bodies[0], bodies[2], strict=True)) >= len(sample) // 2


@pytest.mark.parametrize("seed", [SEED, 7])
def test_fate_shares_over_the_shipped_lists(seed):
    everything = collections.Counter()
    for ats in ATSES:
        boards = [board_plan(ats, identifier, seed) for identifier in shipped_boards(ats)]
        fates = collections.Counter(p.fate for p in boards)
        everything.update(fates)
        share = {fate: fates[fate] / len(boards) for fate in (GONE, EMPTY, RATE_LIMITED)}
        assert 0.005 <= share[GONE] <= 0.015, (ats, share)
        assert 0.08 <= share[EMPTY] <= 0.12, (ats, share)
        assert 0.002 <= share[RATE_LIMITED] <= 0.01, (ats, share)
        active = [p for p in boards if p.fate == ACTIVE]
        large = [p for p in active if p.jobs >= 50]
        assert all(1 <= p.jobs <= 15 for p in active if p.jobs < 50)
        assert all(50 <= p.jobs <= 200 for p in large)
        assert 0.01 <= len(large) / len(active) <= 0.035, ats
        with_security = sum(p.security_jobs > 0 for p in boards) / len(boards)
        assert 0.08 <= with_security <= 0.12, (ats, with_security)
    total = sum(everything.values())
    # The six lists: 6,031 + 2,402 + 3,448 + 4,268 + 2,747 + 3,530 (Workday's career sites).
    assert total == 22_426
    assert 0.008 <= everything[GONE] / total <= 0.012
    assert 0.09 <= everything[EMPTY] / total <= 0.11


def test_postings_are_mostly_not_security_roles():
    postings = [
        posting
        for identifier, fate in registry_boards("greenhouse", SEED)[:600]
        if fate == ACTIVE
        for posting in board_postings("greenhouse", identifier, SEED)
    ]
    families = collections.Counter(p.family for p in postings)
    managers = families["security_manager"] + families["security_leader"]
    assert families["other"] / len(postings) > 0.8
    assert 0.005 < managers / len(postings) < 0.05
    assert {p.title for p in postings if p.family in ("security_manager", "security_leader")} <= (
        SECURITY_TITLES
    )
    assert len({p.greenhouse_id for p in postings}) == len(postings)  # ids never collide


def test_nothing_is_generated_before_it_is_asked_for():
    shipped_boards.cache_clear()
    board_postings.cache_clear()
    with running_sandbox(Market(size=120)) as url:
        # Started: no list read, no posting made.
        assert shipped_boards.cache_info().currsize == 0
        assert board_postings.cache_info().currsize == 0
        active = [p for p in plans("greenhouse") if p.fate == ACTIVE][:70]
        shipped_boards.cache_clear()  # plans() read the list; the sandbox must read its own
        get(listing_url(url, "greenhouse", active[0].board.identifier))
        assert shipped_boards.cache_info().currsize == 1  # Greenhouse's list only
        assert board_postings.cache_info().currsize == 1
        for plan in active[1:]:
            get(listing_url(url, "greenhouse", plan.board.identifier))
        # Only the boards asked for recently are kept, however many are asked for.
        assert board_postings.cache_info().currsize == board_postings.cache_info().maxsize == 64


# --- Workday's career sites -------------------------------------------------------------------

WORKDAY_NOT_FOUND = {"errorCode": "HTTP_404", "message": "career site not found"}


def test_a_workday_site_is_named_by_its_careers_url_and_answers_at_its_own_host_only(sandbox):
    sites = shipped_boards("workday")
    assert len(sites) == 3530
    # The list's slugs are "3i/direct_hire" and "atmosenergy/wd108/External_Career_Site";
    # a crawler takes tenant and site from the careers URL, and so does the sandbox.
    assert sites["3i/Direct_Hire"].host == "3i.wd103.myworkdayjobs.com"
    assert sites["atmosenergy/External_Career_Site"].host == "atmosenergy.wd108.myworkdayjobs.com"
    assert "3i/direct_hire" not in sites
    plan = board_plan("workday", "3i/Direct_Hire", SEED)
    assert (plan.fate, plan.jobs) == (ACTIVE, 13)
    status, _, body = list_board(sandbox, "workday", "3i/Direct_Hire")
    assert (status, json.loads(body)["total"]) == (200, 13)
    elsewhere = [
        workday_api(sandbox, "3i/Direct_Hire", "3i.wd1.myworkdayjobs.com"),  # another wd<N>
        workday_api(sandbox, "3m/Direct_Hire", "3i.wd103.myworkdayjobs.com"),  # another tenant
        workday_api(sandbox, "3i/direct_hire", "3i.wd103.myworkdayjobs.com"),  # another site
    ]
    for api in elsewhere:
        status, _, body = get(f"{api}/jobs", WORKDAY_FIRST_PAGE)
        assert (status, json.loads(body)) == (404, WORKDAY_NOT_FOUND)


def test_a_workday_detail_states_the_pay_in_its_description_as_us_postings_do(sandbox):
    api = workday_api(sandbox, "aes/aes_clean_energy")
    body = {**WORKDAY_FIRST_PAGE, "searchText": "information security"}
    listed = json.loads(get(f"{api}/jobs", body)[2])["jobPostings"]
    [manager] = [p for p in listed if p["title"] == "Information Security Manager"]
    path = "/job/San-Francisco-CA/Information-Security-Manager_R1000755001"
    assert manager == {
        "title": "Information Security Manager",
        "externalPath": path,
        "locationsText": "San Francisco, CA",
        "postedOn": "Posted 30+ Days Ago",
        "remoteType": "Onsite",
        "bulletFields": ["R1000755001"],
    }
    status, headers, detail = get(api + path)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    detail = json.loads(detail)
    info = detail["jobPostingInfo"]
    assert (info["title"], info["jobReqId"], info["startDate"]) == (
        "Information Security Manager",
        "R1000755001",
        "2026-09-03",
    )
    assert info["externalUrl"] == f"https://aes.wd1.myworkdayjobs.com/aes_clean_energy{path}"
    assert info["jobDescription"].endswith("<p>Base Pay Range: $148,000 USD - $238,000 USD</p>")
    assert detail["hiringOrganization"]["name"] == "Sandbox Employer WO-00056"
    # A path the site never listed, and a listed path at another site, are not postings.
    for url in (
        api + "/job/San-Francisco-CA/Information-Security-Manager_R1000755002",
        workday_api(sandbox, "aes/AES_COLOMBIA") + path,
    ):
        status, _, body = get(url)
        assert (status, json.loads(body)["errorCode"]) == (404, "HTTP_404")


def test_crawl_workday_registry_sites_through_the_real_spider(tmp_path):
    """Forty shipped career sites, handed to the spider as a run's registry boards are (their
    careers URLs in SECJOBS_BOARDS_FILE, no pins): the first 30 of the list, the first 3 gone,
    the first 3 rate-limited and 4 more with a security manager or leader."""
    boards = registry_boards("workday", SEED)
    chosen = [identifier for identifier, _fate in boards[:30]]
    chosen += [identifier for identifier, fate in boards if fate == GONE][:3]
    chosen += [identifier for identifier, fate in boards if fate == RATE_LIMITED][:3]
    chosen += [i for i, _ in boards[30:] if board_plan("workday", i, SEED).security_jobs][:4]
    sites = shipped_boards("workday")
    urls = [f"https://{sites[i].host}/{i.split('/', 1)[1]}" for i in chosen]
    registry = tmp_path / "boards.json"
    registry.write_text(json.dumps(urls))
    with running_sandbox(Market(size=120)) as url:
        result = run_crawl(
            "workday",
            url,
            tmp_path / "staging",
            "WORKDAY_SITES=[]",
            f"SECJOBS_BOARDS_FILE={registry}",
            "RETRY_AFTER_MAX=0",  # a rate-limited site is deferred, not waited for
        )

    assert result.returncode == 0, result.log_tail
    checks = {c["board"]: (c["outcome"], c.get("openPostings"), c["detail"]) for c in result.checks}
    assert sorted(checks) == sorted(chosen)
    assert collections.Counter(outcome for outcome, _, _ in checks.values()) == {
        "jobs": 31,
        "none": 3,
        "unknown": 3,
        "limited": 3,
    }
    assert {b: c for b, c in checks.items() if c[0] != "jobs"} == {
        "maersk/MCI_Careers": ("none", 0, "0 jobs"),
        "a1group/karriere_at": ("none", 0, "0 jobs"),
        "aafp/AAFP_Careers": ("none", 0, "0 jobs"),
        "alto/fuzehealthcareersite": ("unknown", None, "404"),
        "seafrigo/External_Career_Site_Seafrigo": ("unknown", None, "404"),
        "nttlimited/internal_employees_not_on_workday": ("unknown", None, "404"),
        "autonation/careers": ("limited", None, "Retry-After 60 s"),
        "performant/Performant": ("limited", None, "Retry-After 60 s"),
        "cardinalhealth/ext_global": ("limited", None, "Retry-After 60 s"),
    }
    # Each active site's first answer states its whole list's total: 433 postings in all,
    # two of them large (ABB 130, ABC Supply 137).
    totals = {b: n for b, (outcome, n, _) in checks.items() if outcome == "jobs"}
    assert sum(totals.values()) == 433
    assert (totals["abb/External_Career_Page"], totals["abcsupply/MuleHideCareers"]) == (130, 137)
    assert totals == {b: board_plan("workday", b, SEED).jobs for b in totals}

    # The five security managers the sandbox put on these sites, each fetched once though
    # the searches found them 12 times; 286 other results were left by their titles.
    by_id = {i["jobPostingId"]: i for i in result.items}
    assert {i: p["jobTitle"] for i, p in by_id.items()} == {
        "8x8inc:R1000707002": "Cybersecurity Manager",
        "acronis:R1000738006": "Cybersecurity Manager",
        "aes:R1000755001": "Information Security Manager",
        "aes:R1000756001": "Senior Manager, Cyber Security",
        "alkegen:R1000776000": "Security Engineering Manager",
    }
    assert len(result.items) == 5 and not result.failures
    stats = result.stats
    assert (stats["dupefilter/filtered"], stats["secjobs/workday/skipped_by_title"]) == (7, 286)
    # 40 first requests; 3 searches on each of the 31 sites with jobs, 98 pages (ABB's and
    # ABC Supply's broad searches run to 2 or 3); 5 details; robots.txt.
    assert stats["downloader/request_count"] == 40 + 98 + 5 + 1
    assert stats["secjobs/boards/limited"] == 3 and "secjobs/lost_pages" not in stats

    # Pay from the descriptions, as on real US Workday postings: a "Base Pay Range" line,
    # a sentence, or none.
    pay = {i: clean_posting(p) for i, p in by_id.items()}
    assert {i: (r["pay_raw"], r["pay_min"], r["pay_max"]) for i, r in pay.items()} == {
        "8x8inc:R1000707002": (None, None, None),
        "acronis:R1000738006": ("$128,000—$192,000 USD", 128_000, 192_000),
        "aes:R1000755001": ("$148,000 USD - $238,000 USD", 148_000, 238_000),
        "aes:R1000756001": ("$122,000 USD - $195,000 USD", 122_000, 195_000),
        "alkegen:R1000776000": ("$171,000 USD - $274,000 USD", 171_000, 274_000),
    }
    assert {pay[i]["pay_period"] for i in pay if i.startswith(("aes", "alkegen"))} == {"year"}
    aes = by_id["aes:R1000755001"]
    assert aes["url"] == (
        "https://aes.wd1.myworkdayjobs.com/aes_clean_energy/job/San-Francisco-CA/"
        "Information-Security-Manager_R1000755001"
    )
    assert aes["hiringOrganization"]["name"] == "Sandbox Employer WO-00056"
    assert {i["origin"] for i in result.items} == {"sandbox"}
