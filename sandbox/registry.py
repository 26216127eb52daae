"""The shipped board registry as a sandbox market: every board of ``pipeline/data/boards/``
answers, with a fate and postings that are pure functions of (ATS, identifier, seed).

A board's fate comes from a blake2b digest of (ATS, identifier, market seed), never from
Python's salted ``hash()``, so every process of every run agrees. About 1% of the boards are
gone, 0.5% rate-limited, 10% empty; the rest list 1-15 postings, mostly not security roles
(a security manager or leader on about one board in ten), and 2% of them are large (50-200
postings) so that paging is exercised where the API pages. Nothing is computed up front: the
lists are read on the first request for their ATS, a fate when its board is asked for, and
the postings of a board when it is listed (a few boards' worth are kept).

Each route module (``sandbox/routes/<ats>.py``) turns a fate into its ATS's own answer.
Recorded and generated boards keep their own answers: the routes look at those first.

A Workday board is a career site, ``<tenant>/<site>`` on the host
``<tenant>.wd<N>.myworkdayjobs.com``, both as its careers URL writes them: the list's slug
sometimes spells the site in another case, or with the ``wd<N>`` in it, and the site is
what a crawler takes from the URL.
"""

from __future__ import annotations

import csv
import hashlib
import html
import random
import re
from dataclasses import dataclass, fields
from functools import lru_cache
from pathlib import Path
from urllib.parse import unquote, urlsplit

from aiohttp import web

from sandbox.generator import TITLE_WEIGHTS, TITLES, GeneratedPosting, generate_posting

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "pipeline" / "data" / "boards"
ATSES = ("ashby", "greenhouse", "lever", "smartrecruiters", "workable", "workday")

GONE, RATE_LIMITED, EMPTY, ACTIVE = "gone", "rate_limited", "empty", "active"
FATES = (GONE, RATE_LIMITED, EMPTY, ACTIVE)
# Cumulative upper bounds of each fate on the board's uniform draw.
_FATE_BOUNDS = ((GONE, 0.01), (RATE_LIMITED, 0.015), (EMPTY, 0.115), (ACTIVE, 1.0))
LARGE_SHARE = 0.02  # of active boards
# Of active boards, so that about one board in ten of the whole list has one.
SECURITY_BOARD_SHARE = 0.113
RETRY_AFTER = 60  # seconds, for the ATSs that do not say otherwise

# Registry postings' indices start here, far above any generated market's, and each board
# gets a block of them: ids derived from the index (Greenhouse's, SmartRecruiters') never
# collide with the generated employers' or with another board's.
REGISTRY_INDEX_BASE = 1_000_000_000
INDEX_BLOCK = 1_000

SECURITY_FAMILIES = ("security_manager", "security_leader")
_SECURITY_TITLES = [
    (title, family, midpoint, weight)
    for (title, family, midpoint), weight in zip(TITLES, TITLE_WEIGHTS, strict=True)
    if family in SECURITY_FAMILIES
]
# What most jobs on an employer's board are: (title, family, annual USD midpoint, weight).
# A few security individual contributors and a physical-security manager stay in, as on
# real boards, so a title filter has near misses to leave out.
_FILLER_TITLES = [
    ("Software Engineer", "other", 150_000, 10),
    ("Senior Software Engineer", "other", 185_000, 8),
    ("Staff Software Engineer", "other", 225_000, 3),
    ("Engineering Manager", "other", 210_000, 3),
    ("Product Manager", "other", 165_000, 5),
    ("Product Designer", "other", 145_000, 3),
    ("Data Scientist", "other", 155_000, 3),
    ("Data Engineer", "other", 150_000, 3),
    ("DevOps Engineer", "other", 155_000, 3),
    ("Account Executive", "other", 120_000, 6),
    ("Sales Development Representative", "other", 65_000, 4),
    ("Customer Success Manager", "other", 95_000, 4),
    ("Customer Support Specialist", "other", 55_000, 3),
    ("Marketing Manager", "other", 125_000, 3),
    ("Recruiter", "other", 90_000, 2),
    ("People Operations Partner", "other", 110_000, 1),
    ("Financial Analyst", "other", 95_000, 2),
    ("Operations Manager", "other", 105_000, 2),
    ("Legal Counsel", "other", 190_000, 1),
    ("Office Manager", "other", 70_000, 1),
    *[
        (title, family, midpoint, 1)
        for title, family, midpoint in TITLES
        if family in ("security_ic", "security_other_manager")
    ],
]
_MIDPOINTS = {title: midpoint for title, _family, midpoint in TITLES}


@dataclass(frozen=True, slots=True)
class ShippedBoard:
    identifier: str  # as the ATS spells it: "hamming ai", "1840&Company", "3i/Direct_Hire"
    name: str
    number: int  # its row in the shipped list: the block of its postings' indices
    host: str = ""  # a Workday career site's own host; other ATSs' boards share their API's


@dataclass(frozen=True, slots=True)
class BoardPlan:
    """What one shipped board is in a market: its fate and how many postings it lists."""

    ats: str
    board: ShippedBoard
    fate: str
    jobs: int  # 0 unless active
    security_jobs: int  # of ``jobs``: security managers and leaders
    # A uniform draw in [0, 1) for an ATS's own per-board choices (whether a gone Ashby
    # board answers 404 or an empty list, how long Workable asks to wait).
    choice: float


@dataclass(frozen=True)
class RegistryPosting(GeneratedPosting):
    """A generated posting on a shipped board: the board is the ATS's identifier (not a slug
    of the company name) and most titles are not security roles."""

    identifier: str = ""
    family: str = "other"

    @property
    def board(self) -> str:
        return self.identifier

    # Most of a board's jobs are not security roles: their descriptions say so.
    def role_summary(self) -> str:
        if self.family.startswith("security"):
            return super().role_summary()
        return "to help our teams build, sell and support what we make."

    def experience_line(self) -> str:
        if self.family.startswith("security"):
            return super().experience_line()
        return f"{self.years_experience}+ years of relevant experience."

    def description_plain(self) -> str:
        """The description as plain text, for APIs that send both (Ashby)."""
        text = self.description_html().replace("<li>", "• ")
        text = re.sub(r"</(?:p|li|h3)>|<ul>", "\n\n", text)
        text = re.sub(r"<[^>]+>", "", text)
        return html.unescape(re.sub(r"\n{3,}", "\n\n", text)).strip()


@lru_cache(maxsize=len(ATSES))
def shipped_boards(ats: str) -> dict[str, ShippedBoard]:
    """The shipped list of ``ats``, by identifier (read once, on first use)."""
    path = SHIPPED_DIR / f"{ats}.csv"
    with path.open(newline="", encoding="utf-8-sig") as handle:
        boards = {}
        for number, row in enumerate(csv.DictReader(handle)):
            board = _workday_site(row, number) if ats == "workday" else _board(row, number)
            if board is not None:
                boards[board.identifier] = board
        return boards


def _board(row: dict, number: int) -> ShippedBoard | None:
    slug = row.get("slug")
    return ShippedBoard(slug, row["name"] or slug, number) if slug else None


def _workday_site(row: dict, number: int) -> ShippedBoard | None:
    """A Workday row as its careers URL names it: ``<tenant>/<site>`` and the host."""
    url = urlsplit(row.get("url") or "")
    host = (url.hostname or "").lower()
    segments = [s for s in url.path.split("/") if s]
    if not host.endswith(".myworkdayjobs.com") or not segments:
        return None
    identifier = f"{host.split('.', 1)[0]}/{unquote(segments[-1])}"
    return ShippedBoard(identifier, row["name"] or identifier, number, host)


def _digest(*parts: object) -> bytes:
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode(), digest_size=16).digest()


def _plan(ats: str, board: ShippedBoard, seed: int) -> BoardPlan:
    digest = _digest("fate", ats, board.identifier, seed)
    draw = int.from_bytes(digest[:8], "big") / 2**64
    fate = next(name for name, bound in _FATE_BOUNDS if draw < bound)
    rng = random.Random(int.from_bytes(digest, "big"))
    choice = rng.random()
    if fate != ACTIVE:
        return BoardPlan(ats, board, fate, 0, 0, choice)
    large = rng.random() < LARGE_SHARE
    # Small boards mostly list a handful of jobs; large ones page.
    jobs = rng.randint(50, 200) if large else min(15, int(rng.triangular(1, 16, 1)))
    security = 0
    if rng.random() < SECURITY_BOARD_SHARE:
        security = rng.randint(1, 4) if large else 1
    return BoardPlan(ats, board, fate, jobs, security, choice)


def board_plan(ats: str, identifier: str, seed: int) -> BoardPlan | None:
    """The plan of a shipped board in the market seeded ``seed``; None when not shipped."""
    board = shipped_boards(ats).get(identifier)
    return None if board is None else _plan(ats, board, seed)


def registry_boards(ats: str, seed: int) -> list[tuple[str, str]]:
    """Every shipped board of ``ats`` with its fate, in list order (for tests and benchmarks)."""
    return [(b.identifier, _plan(ats, b, seed).fate) for b in shipped_boards(ats).values()]


@lru_cache(maxsize=64)
def board_postings(ats: str, identifier: str, seed: int) -> tuple[RegistryPosting, ...]:
    """The postings a shipped board lists (none unless it is active), made on request."""
    plan = board_plan(ats, identifier, seed)
    if plan is None or plan.fate != ACTIVE:
        return ()
    rng = random.Random(int.from_bytes(_digest("postings", ats, identifier, seed), "big"))
    security_slots = set(rng.sample(range(plan.jobs), plan.security_jobs))
    first = REGISTRY_INDEX_BASE + plan.board.number * INDEX_BLOCK
    postings = []
    for n in range(plan.jobs):
        pool = _SECURITY_TITLES if n in security_slots else _FILLER_TITLES
        title, family, midpoint, _weight = rng.choices(pool, weights=[t[3] for t in pool])[0]
        postings.append(_posting(ats, plan, first + n, seed, title, family, midpoint))
    return tuple(postings)


def _posting(
    ats: str, plan: BoardPlan, index: int, seed: int, title: str, family: str, midpoint: int
) -> RegistryPosting:
    # The generated market's draw gives place, pay display, dates and requirements; the
    # title is the board's own, and pay moves with it. __wrapped__: the market's cache of
    # its own postings stays its own.
    base = generate_posting.__wrapped__(seed, index)
    scale = midpoint / _MIDPOINTS[base.title]
    digits = 0 if base.pay_period == "hour" else -3
    drawn = {f.name: getattr(base, f.name) for f in fields(GeneratedPosting)}
    drawn.update(
        # Made-up jobs and pay never carry a real employer's name, even in the sandbox.
        company=fictional_name(ats, plan.board),
        title=title,
        pay_min=None if base.pay_min is None else int(round(base.pay_min * scale, digits)),
        pay_max=None if base.pay_max is None else int(round(base.pay_max * scale, digits)),
        # Certifications are asked of security roles, not of the rest of a board.
        cert_line=base.cert_line if family.startswith("security") else "",
        on_greenhouse=ats == "greenhouse",
        on_careers_site=False,
    )
    return RegistryPosting(**drawn, identifier=plan.board.identifier, family=family)


def fictional_name(ats: str, board: ShippedBoard) -> str:
    """The employer name a shipped board's generated postings carry: not the real one."""
    return f"Sandbox Employer {ats[:2].upper()}-{board.number + 1:05d}"


def too_many_requests(seconds: int) -> web.Response:
    """A rate-limited board's answer: 429 with how long to wait, as the faults' 429 is."""
    return web.Response(status=429, text="Too Many Requests", headers={"Retry-After": str(seconds)})
