"""Seeded generator of realistic job postings for the sandbox job market.

Posting ``i`` is a pure function of ``(seed, i)``, so a market of a million
postings needs no memory: pages and API responses are rendered on demand.
"""

from __future__ import annotations

import hashlib
import html
import json
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

# (title, family, base annual USD midpoint). Midpoints sit near published US
# figures for each kind of role so that reports built on the sandbox look sane.
TITLES: list[tuple[str, str, int]] = [
    ("Cybersecurity Manager", "security_manager", 135_000),
    ("Information Security Manager", "security_manager", 138_000),
    ("IT Security Manager", "security_manager", 128_000),
    ("Manager, Security Operations", "security_manager", 142_000),
    ("Senior Manager, Cyber Security", "security_manager", 165_000),
    ("Security Engineering Manager", "security_manager", 185_000),
    ("Information Systems Security Manager (ISSM)", "security_manager", 132_000),
    ("Cyber Risk Manager", "security_manager", 130_000),
    ("Director of Information Security", "security_leader", 205_000),
    ("Chief Information Security Officer", "security_leader", 260_000),
    ("Head of Security", "security_leader", 220_000),
    ("Security Analyst", "security_ic", 98_000),
    ("Senior Security Engineer", "security_ic", 160_000),
    ("SOC Analyst II", "security_ic", 88_000),
    ("Cloud Security Architect", "security_ic", 175_000),
    ("Physical Security Manager", "security_other_manager", 92_000),
    ("Account Executive", "other", 120_000),
]
# Security-manager titles are the subject of the report, so they come up most.
TITLE_WEIGHTS = [9, 9, 7, 6, 5, 4, 4, 3, 3, 1, 2, 4, 4, 3, 2, 1, 2]

# (city, state, metro pay multiplier). San Francisco's 1.46 is the article's claim.
LOCATIONS: list[tuple[str, str, float]] = [
    ("San Francisco", "CA", 1.46),
    ("Oakland", "CA", 1.38),
    ("New York", "NY", 1.30),
    ("Seattle", "WA", 1.25),
    ("Austin", "TX", 1.05),
    ("Chicago", "IL", 1.05),
    ("Washington", "DC", 1.15),
    ("Arlington", "VA", 1.12),
    ("Denver", "CO", 1.04),
    ("Atlanta", "GA", 0.98),
    ("Columbus", "OH", 0.92),
    ("Phoenix", "AZ", 0.95),
]
LOCATION_WEIGHTS = [6, 2, 6, 4, 4, 3, 4, 3, 2, 3, 2, 2]

# Fictional employers: generated postings must never be mistaken for a real company's.
COMPANIES: list[str] = [
    "Northwind Security",
    "Contoso Health",
    "Fabrikam Financial",
    "Tailspin Logistics",
    "Woodgrove Bank",
    "Adatum Cloud",
    "Litware Labs",
    "Proseware Systems",
    "Wingtip Retail",
    "Lamna Energy",
    "Trey Research",
    "Margie's Travel",
]

CERT_LINES = [
    "CISSP or CISM certification required.",
    "CISSP, ISSMP or CISM preferred.",
    "Security+ or equivalent certification.",
    "CISA or CRISC a plus.",
    "",
]
DEGREE_LINES = [
    "Bachelor's degree in Computer Science, Information Security or a related field.",
    "Bachelor's degree or equivalent experience.",
    "Master's degree in Cybersecurity preferred.",
    "",
]
EPOCH = date(2026, 11, 1)


def slug(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


BOARD_TOKENS: list[str] = [slug(c) for c in COMPANIES]


@dataclass(frozen=True)
class GeneratedPosting:
    index: int
    company: str
    title: str
    city: str
    state: str
    workplace: str  # onsite | hybrid | remote
    pay_min: int | None
    pay_max: int | None
    pay_period: str  # year | hour
    pay_display: str  # structured | text | none
    date_posted: date
    years_experience: int
    cert_line: str
    degree_line: str
    on_greenhouse: bool
    on_careers_site: bool

    @property
    def board(self) -> str:
        return slug(self.company)

    @property
    def greenhouse_id(self) -> int:
        return 4_000_000_000 + self.index

    @property
    def location_text(self) -> str:
        place = f"{self.city}, {self.state}"
        if self.workplace == "remote":
            return f"Remote - {place}"
        if self.workplace == "hybrid":
            return f"{place} (Hybrid)"
        return place

    def pay_text(self) -> str:
        if self.pay_min is None or self.pay_max is None:
            return ""
        if self.pay_period == "hour":
            return f"${self.pay_min:,} - ${self.pay_max:,} per hour"
        return f"${self.pay_min:,}—${self.pay_max:,} USD"

    def role_summary(self) -> str:
        """What the job is, after "<company> is hiring a <title> "."""
        return (
            "to lead our security program, manage incident response and own risk reporting "
            "to leadership."
        )

    def experience_line(self) -> str:
        return f"{self.years_experience}+ years of experience in information security."

    def description_html(self) -> str:
        parts = [
            f"<p>{html.escape(self.company)} is hiring a {html.escape(self.title)} "
            f"{self.role_summary()}</p>",
            "<h3>What you bring</h3><ul>",
            f"<li>{self.experience_line()}</li>",
        ]
        if self.degree_line:
            parts.append(f"<li>{html.escape(self.degree_line)}</li>")
        if self.cert_line:
            parts.append(f"<li>{html.escape(self.cert_line)}</li>")
        parts.append("</ul>")
        if self.pay_display == "text":
            parts.append(
                f"<p>The base salary range for this role is {html.escape(self.pay_text())}, "
                "plus bonus and equity.</p>"
            )
        parts.append("<p>We offer a 401(k) match and 20 weeks of parental leave.</p>")
        return "".join(parts)


def _rng(seed: int, index: int) -> random.Random:
    digest = hashlib.blake2b(f"{seed}:{index}".encode(), digest_size=8).digest()
    return random.Random(int.from_bytes(digest, "big"))


@lru_cache(maxsize=4096)
def generate_posting(seed: int, index: int) -> GeneratedPosting:
    """Posting number ``index`` of the market seeded with ``seed``."""
    rng = _rng(seed, index)
    title, _family, midpoint = rng.choices(TITLES, weights=TITLE_WEIGHTS)[0]
    city, state, multiplier = rng.choices(LOCATIONS, weights=LOCATION_WEIGHTS)[0]
    workplace = rng.choices(["onsite", "hybrid", "remote"], weights=[5, 3, 2])[0]
    centre = midpoint * multiplier * rng.uniform(0.85, 1.15)
    spread = rng.uniform(0.12, 0.25)
    pay_display = rng.choices(["structured", "text", "none"], weights=[5, 3, 2])[0]
    contract = rng.random() < 0.06
    if pay_display == "none":
        pay_min = pay_max = None
        period = "year"
    elif contract:
        period = "hour"
        pay_min = round(centre * (1 - spread) / 2080)
        pay_max = round(centre * (1 + spread) / 2080)
    else:
        period = "year"
        pay_min = round(centre * (1 - spread), -3)
        pay_max = round(centre * (1 + spread), -3)
    channel = rng.random()
    return GeneratedPosting(
        index=index,
        company=COMPANIES[index % len(COMPANIES)],
        title=title,
        city=city,
        state=state,
        workplace=workplace,
        pay_min=int(pay_min) if pay_min is not None else None,
        pay_max=int(pay_max) if pay_max is not None else None,
        pay_period=period,
        pay_display=pay_display,
        date_posted=EPOCH - timedelta(days=rng.randrange(0, 60)),
        years_experience=rng.choice([3, 5, 5, 7, 8, 10]),
        cert_line=rng.choice(CERT_LINES),
        degree_line=rng.choice(DEGREE_LINES),
        # Most postings live on one channel; ~15% on both, as cross-posted jobs do.
        on_greenhouse=channel < 0.65,
        on_careers_site=channel >= 0.5,
    )


class Market:
    """A deterministic job market of ``size`` postings."""

    def __init__(self, size: int = 240, seed: int = 2022) -> None:
        self.size = size
        self.seed = seed

    def posting(self, index: int) -> GeneratedPosting:
        if not 0 <= index < self.size:
            raise IndexError(index)
        return generate_posting(self.seed, index)

    def __iter__(self):
        for index in range(self.size):
            yield self.posting(index)

    def board_postings(self, token: str):
        """Postings of one Greenhouse board, in index order."""
        try:
            company_no = BOARD_TOKENS.index(token)
        except ValueError:
            return None
        return (
            p
            for p in (self.posting(i) for i in range(company_no, self.size, len(COMPANIES)))
            if p.on_greenhouse
        )

    def careers_postings(self):
        return (p for p in self if p.on_careers_site)


# --- renderers: the shapes the real sources publish -----------------------------------


def greenhouse_job(p: GeneratedPosting, content: bool, pay_transparency: bool = False) -> dict:
    """One job as the Greenhouse Job Board API returns it."""
    job: dict = {
        "absolute_url": f"https://job-boards.greenhouse.io/{p.board}/jobs/{p.greenhouse_id}",
        "data_compliance": [{"type": "gdpr", "requires_consent": False}],
        "internal_job_id": 9_000_000_000 + p.index,
        "location": {"name": p.location_text},
        "metadata": None,
        "id": p.greenhouse_id,
        "updated_at": f"{p.date_posted.isoformat()}T09:00:00-04:00",
        "requisition_id": f"REQ-{p.index:07d}",
        "title": p.title,
        "company_name": p.company,
        "first_published": f"{p.date_posted.isoformat()}T09:00:00-04:00",
        "language": "en",
    }
    if content:
        body = p.description_html()
        if p.pay_display == "structured":
            label = "Hourly Pay Range" if p.pay_period == "hour" else "Salary Range"
            body += (
                '<div class="content-pay-transparency"><div class="pay-input">'
                f'<div class="title">United States {label}</div>'
                f'<div class="pay-range"><span>${p.pay_min:,}</span>'
                f'<span class="divider">&mdash;</span><span>${p.pay_max:,} USD</span></div>'
                "</div></div>"
            )
        # Greenhouse escapes the HTML of `content` once more inside the JSON string.
        job["content"] = html.escape(body)
        job["departments"] = [{"id": 1, "name": "Security", "child_ids": [], "parent_id": None}]
        job["offices"] = [{"id": 2, "name": f"{p.city}, {p.state}", "location": None}]
    if pay_transparency and p.pay_display == "structured" and p.pay_min is not None:
        job["pay_input_ranges"] = [
            {
                "min_cents": p.pay_min * 100,
                "max_cents": p.pay_max * 100,
                "currency_type": "USD",
                "title": "United States Salary Range",
                "blurb": "",
            }
        ]
    return job


def jsonld_job_page(p: GeneratedPosting) -> str:
    """A career-site job page carrying schema.org JobPosting JSON-LD.

    Like real sites, the JSON-LD names the canonical URL (on a reserved .example host).
    """
    url = f"https://{p.board}.careers.example/jobs/{p.index}"
    data: dict = {
        "@context": "https://schema.org",
        "@type": "JobPosting",
        "title": p.title,
        "description": p.description_html(),
        "identifier": {"@type": "PropertyValue", "name": p.company, "value": f"CS-{p.index}"},
        "datePosted": p.date_posted.isoformat(),
        "employmentType": "CONTRACTOR" if p.pay_period == "hour" else "FULL_TIME",
        "hiringOrganization": {"@type": "Organization", "name": p.company},
        "jobLocation": {
            "@type": "Place",
            "address": {
                "@type": "PostalAddress",
                "addressLocality": p.city,
                "addressRegion": p.state,
                "addressCountry": "US",
            },
        },
        "url": url,
    }
    if p.workplace == "remote":
        data["jobLocationType"] = "TELECOMMUTE"
    if p.pay_display == "structured" and p.pay_min is not None:
        data["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": "USD",
            "value": {
                "@type": "QuantitativeValue",
                "minValue": p.pay_min,
                "maxValue": p.pay_max,
                "unitText": "HOUR" if p.pay_period == "hour" else "YEAR",
            },
        }
    # Escape "</" so a title can never close the script element early.
    payload = json.dumps(data, indent=1).replace("</", "<\\/")
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        f"<title>{html.escape(p.title)} - {html.escape(p.company)}</title>"
        f'<script type="application/ld+json">{payload}</script></head>'
        f"<body><h1>{html.escape(p.title)}</h1>{p.description_html()}</body></html>"
    )


# --- more channels: the ATS each employer runs its own job site on -----------------------
# Added beside the functions above without changing what they return: a posting's channel
# on these sources and its modification date come from their own salted draws.

ATS_SOURCES: tuple[str, ...] = ("lever", "ashby", "smartrecruiters", "workable")


def company_ats(company: str) -> str:
    """The ATS (besides its Greenhouse board) a fictional employer publishes jobs through."""
    return ATS_SOURCES[COMPANIES.index(company) % len(ATS_SOURCES)]


def ats_accounts(source: str) -> list[str]:
    """Account names (site, board, company identifier, subdomain) of the employers on ``source``."""
    return [slug(c) for c in COMPANIES if company_ats(c) == source]


def ats_postings(market: Market, source: str, account: str) -> list[GeneratedPosting] | None:
    """Postings one employer publishes through ``source``; None when it has no account there.

    These are the postings its Greenhouse board does not carry (its career site may also
    show them, as career sites powered by an ATS do).
    """
    try:
        company_no = BOARD_TOKENS.index(account)
    except ValueError:
        return None
    if company_ats(COMPANIES[company_no]) != source:
        return None
    return [
        p
        for p in (market.posting(i) for i in range(company_no, market.size, len(COMPANIES)))
        if not p.on_greenhouse
    ]


def date_modified(p: GeneratedPosting) -> date:
    """When a posting was last edited: on or a few days after it was posted."""
    rng = _rng(0x1A57, p.index)
    return min(p.date_posted + timedelta(days=rng.randrange(0, 8)), EPOCH)


def posting_uuid(source: str, p: GeneratedPosting) -> str:
    """A stable UUID-shaped id for ``p`` on ``source`` (Lever and Ashby use UUIDs)."""
    digest = hashlib.blake2b(f"{source}:{p.index}".encode(), digest_size=16).hexdigest()
    return f"{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-a{digest[17:20]}-{digest[20:32]}"
