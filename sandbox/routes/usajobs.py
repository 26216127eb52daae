"""USAJOBS Search API under /usajobs: a recorded real response plus generated announcements.

The route insists on the headers the live API requires (User-Agent, Authorization-Key), so
a spider that forgets them fails here as it would live.
"""

from __future__ import annotations

from functools import lru_cache

import pycountry
from aiohttp import web

from sandbox.generator import TITLES, GeneratedPosting, Market
from sandbox.realdata import realdata_dir

# Keyword of the sandbox search answered with the recorded 2016 response (8 IT jobs).
RECORDED_KEYWORD = "job-press recording"
RECORDED_FILE = "api_json/AllenHThompson_job-press__usajobs_search_response.json.md"
SANDBOX_API_KEY = "sandbox-key"
SANDBOX_USER_AGENT = "secjobs-sandbox@example.org"
# The live searches' shapes (spiders/sources/usajobs.toml), answered from the generated market.
SANDBOX_SEARCHES = (
    {"Keyword": "cybersecurity manager"},
    {"Keyword": "information security manager"},
    {"JobCategoryCode": "2210", "Keyword": "security"},
)

# Fictional agencies: generated announcements must never pass for a real agency's.
AGENCIES = [
    ("Office of Northwind Cyber Defense", "Department of Example Affairs"),
    ("Contoso Health Data Administration", "Department of Example Health"),
    ("Fabrikam Revenue Service", "Department of the Example Treasury"),
    ("Tailspin Logistics Command", "Department of Example Defense"),
]
FAMILY = {title: family for title, family, _mid in TITLES}
# Occupational series: physical security is 0080, the rest of the security roles 2210.
SERIES = {"security_other_manager": ("0080", "Security Administration")}
IT_SERIES = ("2210", "Information Technology Management")
# GS grade pay (approximate 2026 "Rest of U.S." locality) for announcements whose generated
# posting states no pay: every federal announcement publishes its range.
GRADE_PAY = {"13": (99_200, 128_956), "14": (117_226, 152_389), "15": (137_890, 179_264)}


def recorded_body() -> bytes | None:
    root = realdata_dir()
    path = root / RECORDED_FILE if root else None
    if path is None or not path.exists():
        return None
    # The recording is the JSON body pasted into a Markdown file; it is plain JSON.
    return path.read_bytes()


@lru_cache(maxsize=64)
def _state_name(code: str) -> str:
    subdivision = pycountry.subdivisions.get(code=f"US-{code}")
    return subdivision.name if subdivision else code


def on_usajobs(p: GeneratedPosting) -> bool:
    return p.index % 4 == 0 and FAMILY.get(p.title, "other") != "other"


def announcement_id(p: GeneratedPosting) -> str:
    return str(800_000_000 + p.index)


def _grade(p: GeneratedPosting) -> str:
    family = FAMILY.get(p.title)
    return {"security_leader": "15", "security_manager": "14"}.get(family or "", "13")


def _remuneration(p: GeneratedPosting) -> dict:
    if p.pay_min is not None and p.pay_period == "hour":
        return {
            "MinimumRange": f"{p.pay_min:.2f}",
            "MaximumRange": f"{p.pay_max:.2f}",
            "RateIntervalCode": "PH",
            "Description": "Per Hour",
        }
    lo, hi = (p.pay_min, p.pay_max) if p.pay_min is not None else GRADE_PAY[_grade(p)]
    return {
        "MinimumRange": f"{lo:.1f}",
        "MaximumRange": f"{hi:.1f}",
        "RateIntervalCode": "PA",
        "Description": "Per Year",
    }


def job_summary(p: GeneratedPosting) -> str:
    org, _dept = AGENCIES[p.index % len(AGENCIES)]
    lines = [
        f"This position is located in the {org}. As a {p.title}, you will lead the "
        "information security program, manage incident response and report cyber risk to "
        "agency leadership.",
        f"{p.years_experience} years of experience in information security.",
        p.degree_line,
        p.cert_line,
    ]
    if p.workplace != "onsite":
        lines.append("This position is eligible for telework.")
    return " ".join(line for line in lines if line)


def usajobs_item(p: GeneratedPosting) -> dict:
    """One ``SearchResultItems`` element in the shape of today's API."""
    org, dept = AGENCIES[p.index % len(AGENCIES)]
    series = SERIES.get(FAMILY.get(p.title, ""), IT_SERIES)
    state = _state_name(p.state)
    object_id = announcement_id(p)
    grade = _grade(p)
    return {
        "MatchedObjectId": object_id,
        "MatchedObjectDescriptor": {
            "PositionID": f"SBX-{p.date_posted:%y}-{p.index:06d}",
            "PositionTitle": p.title,
            "PositionURI": f"https://www.usajobs.gov/job/{object_id}",
            "ApplyURI": [f"https://www.usajobs.gov/job/{object_id}?PostingChannelID=RESTAPI"],
            "PositionLocationDisplay": f"{p.city}, {state}",
            "PositionLocation": [
                {
                    "LocationName": f"{p.city}, {state}",
                    "CountryCode": "United States",
                    "CountrySubDivisionCode": state,
                    "CityName": f"{p.city}, {state}",
                    "Longitude": 0.0,
                    "Latitude": 0.0,
                }
            ],
            "OrganizationName": org,
            "DepartmentName": dept,
            "JobCategory": [{"Name": series[1], "Code": series[0]}],
            "JobGrade": [{"Code": "GS"}],
            "PositionSchedule": [{"Name": "Full-time", "Code": "1"}],
            "PositionOfferingType": [{"Name": "Permanent", "Code": "15317"}],
            "QualificationSummary": (
                f"You must have {p.years_experience} years of specialized experience "
                f"equivalent to GS-{int(grade) - 1}. {p.cert_line}".strip()
            ),
            "PositionRemuneration": [_remuneration(p)],
            "PositionStartDate": f"{p.date_posted.isoformat()}T00:00:00.0000",
            "PositionEndDate": "",
            "PublicationStartDate": f"{p.date_posted.isoformat()}T00:00:00.0000",
            "ApplicationCloseDate": "",
            "UserArea": {
                "Details": {
                    "JobSummary": job_summary(p),
                    "WhoMayApply": {"Name": "United States Citizens", "Code": ""},
                    "LowGrade": grade,
                    "HighGrade": grade,
                    "RemoteIndicator": p.workplace == "remote",
                    "TeleworkEligible": p.workplace != "onsite",
                },
                "IsRadialSearch": False,
            },
        },
        "RelevanceRank": 0,
    }


def matches(p: GeneratedPosting, query: dict[str, str]) -> bool:
    """Keyword: every word in the title or summary; JobCategoryCode: the series."""
    text = f"{p.title} {job_summary(p)}".lower()
    words = (query.get("Keyword") or "").lower().split()
    if not all(word in text for word in words):
        return False
    code = query.get("JobCategoryCode")
    return not code or SERIES.get(FAMILY.get(p.title, ""), IT_SERIES)[0] in code.split(";")


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    recorded = recorded_body()

    async def search(request: web.Request):
        if not request.headers.get("Authorization-Key") or "@" not in request.headers.get(
            "User-Agent", ""
        ):
            return web.json_response({"message": "Authorization has been denied"}, status=401)
        query = dict(request.query)
        if query.get("Keyword") == RECORDED_KEYWORD and recorded is not None:
            return web.Response(body=recorded, content_type="application/json")
        per_page = min(int(query.get("ResultsPerPage", 250)), 500)
        page = max(int(query.get("Page", 1)), 1)
        found = [p for p in market if on_usajobs(p) and matches(p, query)]
        chunk = found[(page - 1) * per_page : page * per_page]
        return web.json_response(
            {
                "LanguageCode": "EN",
                "SearchParameters": {},
                "SearchResult": {
                    "SearchResultCount": len(chunk),
                    "SearchResultCountAll": len(found),
                    "SearchResultItems": [usajobs_item(p) for p in chunk],
                    "UserArea": {
                        "NumberOfPages": str(max(1, -(-len(found) // per_page))),
                        "IsRadialSearch": False,
                    },
                },
            }
        )

    router.add_get("/usajobs/api/search", search)
    router.add_get("/usajobs/api/Search", search)


def scrapy_settings(base_url: str) -> dict:
    searches = [dict(s) for s in SANDBOX_SEARCHES]
    if recorded_body() is not None:
        searches.append({"Keyword": RECORDED_KEYWORD})
    return {
        "USAJOBS_BASE_URL": f"{base_url}/usajobs",
        "USAJOBS_API_KEY": SANDBOX_API_KEY,
        "USAJOBS_USER_AGENT": SANDBOX_USER_AGENT,
        "USAJOBS_SEARCHES": searches,
    }
