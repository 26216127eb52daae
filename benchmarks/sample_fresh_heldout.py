"""Draw the fresh held-out pay strings and titles (``labelled/*_heldout_fresh.csv``).

    .venv/bin/python benchmarks/sample_fresh_heldout.py [--out DIR]

Enumerates candidate strings in ``../shared/realdata/``: distinct non-empty pay fields, the
descriptions (or, in MIT files, the description lines) that mention pay or money, and distinct
job titles; drops every text already in one of the six older labelled sets (and a pay text
inside, or holding, an older text of its file); and draws a seeded
sample (seed 20261208 for pay, 20261209 for titles) stratified by file, no file above 20%,
about a quarter of the pay strings without a pay-like amount and a third of the titles
security-related (simple keyword tests, not the parsers). Writes ``pay_fresh_todo.csv`` and
``titles_fresh_todo.csv`` with empty label columns to DIR (default: the temp directory), to
be labelled by reading. ``labelled/PAY_TITLES_LABELLING.md`` says how the draw was labelled.
"""

from __future__ import annotations

import argparse
import csv
import html
import random
import re
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

import html_text

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.accuracy import load_rows, load_source, resolve  # noqa: E402
from sandbox.realdata import realdata_dir  # noqa: E402

PAY_SEED, TITLE_SEED = 20261208, 20261209
PAY_N, TITLE_N = 300, 300
NO_PAY_SHARE, SECURITY_SHARE, FILE_CAP = 0.25, 1 / 3, 0.20
OLDER_SETS = (
    "pay.csv",
    "pay_heldout.csv",
    "pay_heldout_unseen.csv",
    "titles.csv",
    "titles_heldout.csv",
    "titles_heldout_unseen.csv",
)

# Per file, the fields read (paths with [N] for any index): pay fields, descriptions (read
# whole, or line by line in MIT files) and titles. Salary statistics (BLS, PayScale, Glassdoor
# percentiles) are numbers, not posted pay strings, and are left out.
SD = "SearchResult.SearchResultItems[N].MatchedObjectDescriptor"
FIELDS: dict[str, dict[str, tuple[str, ...]]] = {
    "api_json/2006-sk_JobOS__greenhouse_stripe_jobs_nocontent.json": {"title": ("jobs[N].title",)},
    "api_json/2006-sk_JobOS__smartrecruiters_westerndigital_postings.json": {
        "title": ("content[N].name",)
    },
    "api_json/AllenHThompson_job-press__usajobs_search_response.json.md": {
        "pay": (
            f"{SD}.PositionRemuneration[N].MinimumRange",
            f"{SD}.PositionRemuneration[N].MaximumRange",
        ),
        "desc": (f"{SD}.UserArea.Details.JobSummary",),
        "title": (f"{SD}.PositionTitle",),
    },
    "api_json/Birappa87__linkedin_voyager_jobsfeed.json": {"title": ("included[N].title.text",)},
    "api_json/JACKAS5_resume-helper__remoteok.json": {
        "desc": ("[N].description",),
        "title": ("[N].position",),
    },
    "api_json/Pavlana_getjo__workday_kainos_job_detail.json": {
        "desc": ("jobPostingInfo.jobDescription",),
        "title": ("jobPostingInfo.title",),
    },
    "api_json/Wall-Street-Playbook__active_jobs_db_api.json": {
        "desc": ("[N].description_text",),
        "title": ("[N].title",),
    },
    "api_json/Wall-Street-Playbook__linkedin_jobsearch_api_finance.json": {
        "desc": ("[N].description_text",),
        "title": ("[N].title",),
    },
    "api_json/Wall-Street-Playbook__remotive.json": {
        "pay": ("jobs[N].salary",),
        "desc": ("jobs[N].description",),
        "title": ("jobs[N].title",),
    },
    "api_json/WorkVerse__remotive.json": {
        "pay": ("jobs[N].salary",),
        "desc": ("jobs[N].description",),
        "title": ("jobs[N].title",),
    },
    "api_json/brightdata__linkedin_jobs_search_url.json": {
        # job_description_formatted is the same text as job_summary, in HTML
        "desc": ("[N].job_summary",),
        "title": ("[N].job_title",),
    },
    "api_json/clepine_job-agent__workday_analogdevices_jobs_list.json": {
        "title": ("jobPostings[N].title",)
    },
    "api_json/clepine_job-agent__workday_analogdevices_jobs_list_laterpage.json": {
        "title": ("jobPostings[N].title",)
    },
    "api_json/ericfleshman-commits_candidatezero__greenhouse_list.json": {
        "title": ("jobs[N].title",)
    },
    "api_json/ericfleshman-commits_candidatezero__smartrecruiters_postings.json": {
        "title": ("content[N].name",)
    },
    "api_json/ericfleshman-commits_candidatezero__workable_account.json": {
        "desc": ("jobs[N].description",),
        "title": ("jobs[N].title",),
    },
    "api_json/ericfleshman-commits_candidatezero__workday_detail.json": {
        "desc": ("jobPostingInfo.jobDescription",),
        "title": ("jobPostingInfo.title",),
    },
    "api_json/ericfleshman-commits_candidatezero__workday_jobs.json": {
        "title": ("jobPostings[N].title",)
    },
    "api_json/jdoner02__usajobs_cyber_jobs_normalized.json": {
        "pay": ("[N].salary",),
        "desc": ("[N].description",),
        "title": ("[N].title",),
    },
    "api_json/lubobali_aws-job-streamer__workday_gdit_job_detail.json": {
        "desc": ("jobPostingInfo.jobDescription",),
        "title": ("jobPostingInfo.title",),
    },
    "api_json/lubobali_aws-job-streamer__workday_gdit_jobs_list.json": {
        "title": ("jobPostings[N].title",)
    },
    "api_json/midat-fx__sample_ashby_linear.json": {
        "desc": ("jobs[N].descriptionPlain",),
        "title": ("jobs[N].title",),
    },
    "api_json/midat-fx__sample_greenhouse_gitlab.json": {
        "desc": ("jobs[N].content",),
        "title": ("jobs[N].title",),
    },
    "api_json/midat-fx__sample_lever_matchgroup.json": {
        "pay": ("[N].salaryDescriptionPlain",),
        "desc": ("[N].descriptionPlain", "[N].additionalPlain", "[N].lists[N].content"),
        "title": ("[N].text",),
    },
    "api_json/scrapfly__indeed_jobs.json": {
        "desc": ("[N].description",),
        "title": ("[N].jobTitle",),
    },
    "api_json/scrapfly__indeed_search_mosaic.json": {
        "pay": ("[N].salarySnippet.text", "[N].estimatedSalary.formattedRange"),
        "desc": ("[N].snippet", "[N].taxoAttributes[N]"),
        "title": ("[N].title", "[N].displayTitle", "[N].normTitle"),
    },
    "html_jobposting/jobseek__jsonld_meta_software_engineer.html": {
        "desc": ("description",),
        "title": ("title",),
    },
    "html_jobposting/jobseek__jsonld_neura_robotics_manager.html": {
        "pay": ("incentiveCompensation[N]",),
        "desc": ("description",),
        "title": ("title",),
    },
    "html_jobposting/scrapfly__linkedin_jobs_jsonld.json": {
        "desc": ("[N].jobDescription[N]",),
        "title": ("[N].title",),
    },
    **{
        f"html_jobposting/workday_medtronic__{name}.html": {
            "desc": ("description",),
            "title": ("title",),
        }
        for name in (
            "R46392-2_20260406_093159",
            "R60129-1_20260406_093156",
            "R62042-2_20260407_053156",
            "R62450-1_20260407_053157",
        )
    },
    "html_listing/scrapfly__linkedin_job_search.json": {"title": ("[N].title",)},
    "html_salary/scrapfly__glassdoor_salaries.json": {"title": ("results[N].jobTitle.text",)},
    "salary_strings/AMREESHAYS_cyberjobs-radar__jobs.json": {
        "pay": ("[N].salary", "[N].salary_inr"),
        "desc": ("[N].description",),
        "title": ("[N].title",),
    },
    "salary_strings/ChandraViratIlla__dice_jobs.json": {
        "pay": ("[N].overview.salary",),
        "desc": ("[N].job_details.*[N]",),
        "title": ("[N].basic_info.title",),
    },
    "salary_strings/PlayingNumbers_ds_salary_proj__glassdoor_jobs.csv": {
        "pay": ("Salary Estimate",),
        "desc": ("Job Description",),
        "title": ("Job Title",),
    },
    "salary_strings/bsdevda_cyber-job-radar__security_jobs.json": {
        "desc": ("[N].description",),
        "title": ("[N].title",),
    },
    "salary_strings/haikalfouzi__glassdoor_salaries_nyc.json": {
        "pay": ("[N].meanPay",),
        "title": ("[N].jobTitle",),
    },
    "salary_strings/scrapfly__glassdoor_jobs.json": {
        "pay": ("[N].jobSalary",),
        "title": ("[N].jobTitle",),
    },
    "salary_strings/scrapfly__google_jobs_search.json": {
        "pay": ("jobs[N].salary_range",),
        "desc": ("jobs[N].description", "jobs[N].qualifications[N]"),
        "title": ("jobs[N].title",),
    },
    "salary_strings/stapply-ai__uber_careers.json": {
        "desc": ("jobs[N].description",),
        "title": ("jobs[N].title",),
    },
    "salary_strings/zenxuen_secret__salaries_cyber.csv": {
        "pay": ("salary",),
        "title": ("job_title",),
    },
}

_CURRENCY = (
    r"(?:[$€£¥₹]|\b(?:USD|EUR|GBP|CAD|AUD|CHF|INR|PLN|SEK|NOK|DKK|JPY|SGD|NZD|ZAR|BRL|MXN)\b)"
)
_NUMBER = r"\d[\d.,]*(?:\s?[kKmM]\b)?"
AMOUNT = re.compile(rf"{_CURRENCY}\s?{_NUMBER}|\d[\d.,]*\s?[kK]?\s?{_CURRENCY}", re.IGNORECASE)
PAY_WORD = re.compile(
    r"\b(?:salar\w*|pay|paid|payment|compensation|remunerat\w*|wages?|stipends?|bonus\w*|OTE"
    r"|earn\w*|hourly|gehalt|vergütung|lön|lønn|salaire|rémunération|sueldo|salario|loon"
    r"|wynagrodzeni\w*)\b",
    re.IGNORECASE,
)
# Near a pay-like amount: a word saying it is pay or its period (the stratum test).
PAY_CONTEXT = re.compile(
    r"salar|\bpay\b|compensation|remunerat|\bwage|\brate\b|\bbase\b|\bOTE\b|range|per (?:hour"
    r"|year|annum|month|week|day)|an? (?:hour|year|month)|/\s?(?:hr|hour|yr|year|mo|month)"
    r"|annual|hourly|gehalt|salaris|lön|brutto|gross",
    re.IGNORECASE,
)
SECURITY = re.compile(
    r"secur|cyber|\bciso\b|\bsoc\b|\bgrc\b|\biam\b|infosec|privacy|threat|vulnerab|pen ?test"
    r"|penetration|red team|forensic|incident|appsec|devsecops|malware|\bsiem\b|detection"
    r"|\bisso\b|\bissm\b|information assurance|sicherheit|\bsafety\b|\bidentity\b|insider risk"
    r"|\bfraud\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Candidate:
    source_file: str
    record: str
    text: str  # the string to label: a field's whole value, or one line of a description
    whole: bool  # the record resolves to exactly this text
    stratum: str  # pay: "pay" or "no_pay"; titles: "security" or "other"


def mit_files(root: Path) -> set[str]:
    with (root / "PROVENANCE.tsv").open(encoding="utf-8") as handle:
        rows = csv.DictReader(handle, delimiter="\t")
        return {row["local_path"] for row in rows if row["license_of_repo"].strip() == "MIT"}


def norm(text: str) -> str:
    return " ".join(str(text).split()).casefold()


def _leaves(node: object, path: str = ""):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, f"{path}.{key}" if path else key)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _leaves(value, f"{path}[{index}]")
    elif isinstance(node, str) and node.strip():
        yield path, node


def _matches(path: str, patterns: tuple[str, ...]) -> bool:
    shape = re.sub(r"\[\d+\]", "[N]", path)
    return any(re.fullmatch(re.escape(p).replace(r"\*", r"[^.\[]+"), shape) for p in patterns)


def fields(root: Path, source_file: str, kind: str) -> list[tuple[str, str]]:
    """(record, value) of every non-empty string in the file's fields of one kind."""
    patterns = FIELDS[source_file].get(kind, ())
    if not patterns:
        return []
    data = load_source(root / source_file)
    if source_file.endswith(".csv"):
        return [
            (f"row={i}:{column}", row[column])
            for i, row in enumerate(data)
            for column in patterns
            if (row.get(column) or "").strip()
        ]
    return [(path, value) for path, value in _leaves(data) if _matches(path, patterns)]


def plain_lines(value: str) -> list[str]:
    """A description's lines as read: HTML (escaped or not) flattened to text first."""
    text = html.unescape(value) if "&lt;" in value else value
    if re.search(r"<(?:p|div|li|br|ul|span|h\d|strong|b)\b", text, re.IGNORECASE):
        text = html_text.extract_text(text)
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def pay_like(text: str, pay_field: bool) -> bool:
    """Has an amount that reads as pay (stratum test only; labels come from reading)."""
    if pay_field:
        return bool(re.search(r"\d", text))
    for match in AMOUNT.finditer(text):
        if PAY_CONTEXT.search(text[max(0, match.start() - 150) : match.end() + 60]):
            return True
    return False


def pay_candidates(root: Path, mit: set[str]) -> list[Candidate]:
    out = []
    for source_file in FIELDS:
        for record, value in fields(root, source_file, "pay"):
            out.append(Candidate(source_file, record, value, True, _pay_stratum(value, True)))
        for record, value in fields(root, source_file, "desc"):
            if source_file in mit:
                for line in plain_lines(value):
                    if PAY_WORD.search(line) or AMOUNT.search(line):
                        stratum = _pay_stratum(line, False)
                        out.append(Candidate(source_file, record, line, False, stratum))
            elif PAY_WORD.search(value) or AMOUNT.search(value):
                out.append(Candidate(source_file, record, value, True, _pay_stratum(value, False)))
    return out


def _pay_stratum(text: str, pay_field: bool) -> str:
    return "pay" if pay_like(text, pay_field) else "no_pay"


def title_candidates(root: Path) -> list[Candidate]:
    return [
        Candidate(f, record, value, True, "security" if SECURITY.search(value) else "other")
        for f in FIELDS
        for record, value in fields(root, f, "title")
    ]


def fresh(candidates: list[Candidate], root: Path, overlap: bool) -> list[Candidate]:
    """Distinct texts (first occurrence) in none of the older sets; with ``overlap``, also
    none inside, or holding, an older text of the same file (30 characters or more), and no
    line of a record an older set labels whole."""
    seen, older, whole_refs = set(), defaultdict(list), set()
    for name in OLDER_SETS:
        if not (ROOT / "benchmarks" / "labelled" / name).exists():
            continue  # the unseen sets later joined pay.csv and titles.csv: same rows
        for row in load_rows(name, root):
            seen.add(norm(row.text))
            older[row.ref.split("#", 1)[0]].append(norm(row.text))
        with (ROOT / "benchmarks" / "labelled" / name).open(encoding="utf-8") as handle:
            whole_refs |= {
                (raw["source_file"], raw["record"])
                for raw in csv.DictReader(handle)
                if not raw["text"]
            }
    out = []
    for c in candidates:
        key = norm(c.text)
        if key in seen:
            continue
        if overlap and (
            (not c.whole and (c.source_file, c.record) in whole_refs)
            or any(
                (len(key) >= 30 and key in text) or (len(text) >= 30 and text in key)
                for text in older[c.source_file]
            )
        ):
            continue
        seen.add(key)
        out.append(c)
    return out


def allocate(pools: Counter, total: int, caps: Counter, rng: random.Random) -> Counter:
    """Spread ``total`` across files as evenly as their pools and caps allow."""
    taken, left = Counter(), total
    while left > 0:
        room = [f for f in sorted(pools) if taken[f] < min(pools[f], caps[f])]
        if not room:
            break
        rng.shuffle(room)
        share = max(1, left // len(room))
        for f in room:
            give = min(share, min(pools[f], caps[f]) - taken[f], left)
            taken[f] += give
            left -= give
    return taken


def draw(candidates: list[Candidate], n: int, strata: tuple[tuple[str, float], ...], seed: int):
    """A seeded sample stratified by stratum and file, no file above FILE_CAP of ``n``.

    Strata are drawn in order (the scarce one first); one short of its share leaves the rest
    to the next, and a file's cap counts what earlier strata took from it.
    """
    rng = random.Random(seed)
    by_stratum: dict[str, dict[str, list[Candidate]]] = defaultdict(lambda: defaultdict(list))
    for c in candidates:
        by_stratum[c.stratum][c.source_file].append(c)
    files = {c.source_file for c in candidates}
    caps = Counter({f: int(FILE_CAP * n) for f in files})
    sample: list[Candidate] = []
    targets = {}
    for i, (stratum, share) in enumerate(strata):
        target = n - len(sample) if i == len(strata) - 1 else round(n * share)
        pools = Counter({f: len(cs) for f, cs in by_stratum[stratum].items()})
        taken = allocate(pools, target, caps, rng)
        for f, k in sorted(taken.items()):
            sample += rng.sample(by_stratum[stratum][f], k)
        caps -= taken
        targets[stratum] = sum(taken.values())
    return sample, targets


def check(c: Candidate, root: Path) -> None:
    """The reference resolves back to the candidate's text (whole, or as one of its lines)."""
    value = resolve(c.source_file, c.record, root)
    if c.whole:
        assert value == c.text, (c.source_file, c.record)
    else:
        assert norm(c.text) in norm(" ".join(plain_lines(value))), (c.source_file, c.record)


def write(path: Path, sample: list[Candidate], mit: set[str], labels: tuple[str, ...]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(("source_file", "record", "text", *labels))
        for c in sample:
            text = c.text if c.source_file in mit else ""
            writer.writerow((c.source_file, c.record, text, *[""] * len(labels)))


def report(name: str, pool: list[Candidate], sample: list[Candidate]) -> None:
    print(f"\n{name}: pool {len(pool)}, drawn {len(sample)}")
    pooled = Counter((c.source_file, c.stratum) for c in pool)
    drawn = Counter((c.source_file, c.stratum) for c in sample)
    strata = sorted({c.stratum for c in pool})
    print(f"  {'file':70} " + " ".join(f"{s + ' pool/drawn':>22}" for s in strata))
    for f in sorted({c.source_file for c in pool}):
        cells = " ".join(f"{pooled[f, s]:>13}/{drawn[f, s]:<8}" for s in strata)
        print(f"  {f:70} {cells}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()))
    args = parser.parse_args()
    root = realdata_dir()
    if root is None:
        raise SystemExit("../shared/realdata is not available")
    mit = mit_files(root)

    pay_pool = fresh(pay_candidates(root, mit), root, overlap=True)
    title_pool = fresh(title_candidates(root), root, overlap=False)
    pay, pay_drawn = draw(
        pay_pool, PAY_N, (("no_pay", NO_PAY_SHARE), ("pay", 1 - NO_PAY_SHARE)), PAY_SEED
    )
    titles, title_drawn = draw(
        title_pool,
        TITLE_N,
        (("security", SECURITY_SHARE), ("other", 1 - SECURITY_SHARE)),
        TITLE_SEED,
    )
    for c in pay + titles:
        check(c, root)
    report(f"pay strings (drawn per stratum {pay_drawn})", pay_pool, pay)
    report(f"titles (drawn per stratum {title_drawn})", title_pool, titles)
    args.out.mkdir(parents=True, exist_ok=True)
    write(args.out / "pay_fresh_todo.csv", pay, mit, ("min", "max", "currency", "period"))
    write(args.out / "titles_fresh_todo.csv", titles, mit, ("family", "seniority"))
    print(f"\nwrote {args.out / 'pay_fresh_todo.csv'} and {args.out / 'titles_fresh_todo.csv'}")


if __name__ == "__main__":
    main()
