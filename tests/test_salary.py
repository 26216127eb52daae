"""Pay text to numbers, on strings taken from real postings and salary sites."""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pipeline.salary import HOURS_PER_YEAR, normalize_period, parse_salary


@pytest.mark.parametrize(
    ("text", "lo", "hi", "currency", "period"),
    [
        # Greenhouse pay-transparency block (GitLab, recorded)
        ("United States Salary Range: $108,400 — $129,600 USD", 108_400, 129_600, "USD", "year"),
        # Glassdoor "Salary Estimate" strings
        ("$53K-$91K (Glassdoor est.)", 53_000, 91_000, "USD", "year"),
        ("$21-$34 Per Hour(Glassdoor est.)", 21, 34, "USD", "hour"),
        ("Employer Provided Salary:$150K-$160K", 150_000, 160_000, "USD", "year"),
        # Uber careers pay statements
        (
            "CA-based roles: The base salary range for this role is USD$157,000 per year - "
            "USD$174,000 per year.",
            157_000,
            174_000,
            "USD",
            "year",
        ),
        # Dice overview.salary
        ("USD 66.00 - 73.33 per hour", 66, 73.33, "USD", "hour"),
        # Remotive free text
        ("€80k-€110k", 80_000, 110_000, "EUR", "year"),
        ("$31,2k- $52k", 31_200, 52_000, "USD", "year"),
        ("80.000,00 € - 95.000,00 €", 80_000, 95_000, "EUR", "year"),
        ("£45,000 - £55,000 per annum", 45_000, 55_000, "GBP", "year"),
        ("CA$120,000–CA$140,000", 120_000, 140_000, "CAD", "year"),
        ("$9,000 - $11,000 a month", 9_000, 11_000, "USD", "month"),
    ],
)
def test_real_pay_strings(text, lo, hi, currency, period):
    parsed = parse_salary(text)
    assert parsed is not None
    assert (parsed.min, parsed.max, parsed.currency, parsed.period) == (lo, hi, currency, period)


@pytest.mark.parametrize(
    "text",
    [
        "We offer a 401(k) match and 20 weeks of parental leave.",
        "Backed by $50 million in Series B funding.",
        "Competitive salary and equity.",
        "5+ years of experience, 2 of them managing a team of 10.",
        "",
        None,
    ],
)
def test_text_without_pay(text):
    assert parse_salary(text) is None


def test_up_to_is_a_ceiling_only():
    parsed = parse_salary("up to $19/hour")
    assert (parsed.min, parsed.max, parsed.period) == (None, 19, "hour")
    assert parsed.annual_max == 19 * HOURS_PER_YEAR


def test_base_pay_beats_a_stipend_stated_first():
    # Issue #5: in prose the statement introduced as base pay wins over benefit amounts.
    text = (
        "Benefits include a $100 monthly stipend. The base salary range for this role "
        "is $124,000—$167,000 USD, plus bonus."
    )
    parsed = parse_salary(text)
    assert (parsed.min, parsed.max, parsed.period) == (124_000, 167_000, "year")


def test_glassdoor_strings_from_the_recorded_scrape(realdata):
    path = realdata / "salary_strings" / "PlayingNumbers_ds_salary_proj__glassdoor_jobs.csv"
    with path.open(encoding="utf-8") as handle:
        strings = {row["Salary Estimate"] for row in csv.DictReader(handle)} - {"-1"}
    parsed = {s: parse_salary(s) for s in strings}
    missed = [s for s, p in parsed.items() if p is None or p.min is None or p.max is None]
    assert not missed
    hourly = [s for s in strings if "Per Hour" in s]
    assert hourly and all(parsed[s].period == "hour" for s in hourly)
    assert all(parsed[s].period == "year" for s in strings if "K" in s)


def test_dice_salaries_from_the_recorded_scrape(realdata):
    path = realdata / "salary_strings" / "ChandraViratIlla__dice_jobs.json"
    jobs = json.loads(path.read_text())
    strings = [j["overview"]["salary"] for j in jobs if j["overview"].get("salary")]
    assert strings
    for text in strings:
        parsed = parse_salary(text)
        assert parsed is not None and parsed.currency == "USD", text
        assert parsed.period == ("hour" if "per hour" in text else "year"), text


@given(
    lo=st.integers(20_000, 400_000),
    spread=st.integers(0, 200_000),
    dash=st.sampled_from(["-", "–", "—", " to "]),
)
def test_annual_range_round_trips(lo, spread, dash):
    hi = lo + spread
    parsed = parse_salary(f"Salary: ${lo:,}{dash}${hi:,} per year")
    assert (parsed.min, parsed.max, parsed.annual_min, parsed.annual_max) == (lo, hi, lo, hi)


@given(lo=st.integers(15, 150), spread=st.integers(0, 80))
def test_hourly_annualizes_upwards(lo, spread):
    parsed = parse_salary(f"${lo} - ${lo + spread} per hour")
    assert parsed.period == "hour"
    assert parsed.annual_min == lo * HOURS_PER_YEAR >= parsed.min
    assert parsed.min <= parsed.max


@pytest.mark.parametrize(
    ("unit", "period"),
    [
        ("YEAR", "year"),
        ("HOUR", "hour"),
        ("per month", "month"),
        ("WEEK", "week"),
        ("BIWEEKLY", "biweekly"),  # USAJOBS "BW"
        ("Bi-Weekly", "biweekly"),  # not "week": paid half as often
        ("SEMI_MONTHLY", "semimonthly"),  # not "month": paid twice as often
        ("Semi-monthly", "semimonthly"),
        ("DAY", "day"),
        ("bogus", None),
        (None, None),
    ],
)
def test_normalize_period(unit, period):
    assert normalize_period(unit) == period


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Uber sales posting (stapply-ai/ats-scrapers, MIT): OTE first, base salary inside it
        (
            "The total on-target earnings (OTE)\xa0 range for this position is USD $136,429 - "
            "$151,429. The OTE includes a base salary range of USD $95,500 - $106,000 and an "
            "annualized cash variable incentive target range of $40,929 - $45,429.",
            (95_500, 106_000, "USD", "year"),
        ),
        # an ISO code beside a bare "$" decides the currency (bsdevda/cyber-job-radar, MIT)
        ("Canada Tier 1 Locations $104,000—$139,000 CAD", (104_000, 139_000, "CAD", "year")),
        ("CAN base pay range per year: CAD $133,000 - $183,000", (133_000, 183_000, "CAD", "year")),
        ("Hiring Ranges: Remote Germany €68.000—€91.000 EUR", (68_000, 91_000, "EUR", "year")),
        ("Compensation: up to $200K base salary (plus bonus)", (None, 200_000, "USD", "year")),
        ("Salaries range from $125-$250K and is an estimate", (125_000, 250_000, "USD", "year")),
        # Google Jobs strings state no currency
        ("70–80 an hour", (70, 80, None, "hour")),
        ("200K–300K a year", (200_000, 300_000, None, "year")),
        # a lone figure is both ends
        ("$14/hr", (14, 14, "USD", "hour")),
        (
            "_The base weekly salary range for this role while working at one of our partnering "
            "law firms is $4300 - $4400._",
            (4_300, 4_400, "USD", "week"),
        ),
    ],
)
def test_more_real_statements(text, expected):
    parsed = parse_salary(text)
    assert (parsed.min, parsed.max, parsed.currency, parsed.period) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We’re shaping the future of a $10T industry with solutions powered by technology.",
        "In 2021, we raised $150 million in Series D funding, quadrupling our valuation.",
        "Nach unserer €14 Mio. Series A, unterstützt von führenden VCs, bauen wir weiter.",
        "Learning & development budget of €1000 per year and a transparent growth framework.",
        "We match up to $2000 (or local currency equivalent) for financial donations.",
        "typically accounts with more than $200,000 in annual recurring revenue. Own it.",
    ],
)
def test_company_figures_and_benefits_are_not_pay(text):
    assert parse_salary(text) is None


@given(
    lo=st.integers(1, 500),
    spread=st.integers(0, 300),
    unit=st.sampled_from(
        [("per hour", "hour"), ("a day", "day"), ("per week", "week"), ("a month", "month")]
    ),
)
def test_sub_annual_periods_annualize_upwards(lo, spread, unit):
    words, period = unit
    parsed = parse_salary(f"Pay: ${lo} - ${lo + spread} {words}")
    assert parsed.period == period
    assert parsed.min <= parsed.max
    assert parsed.annual_min >= parsed.min and parsed.annual_max >= parsed.max


@given(lo=st.integers(30, 400), spread=st.integers(0, 200), cur=st.sampled_from(["€", "£", "$"]))
def test_k_notation_round_trips(lo, spread, cur):
    parsed = parse_salary(f"{cur}{lo}k-{cur}{lo + spread}k")
    assert (parsed.min, parsed.max) == (lo * 1_000, (lo + spread) * 1_000)
    assert parsed.min <= parsed.max


@pytest.mark.parametrize(
    "text",
    ["$3,000 bi-weekly", "$3,000 biweekly", "$3,000 every two weeks", "£3,000 fortnightly"],
)
def test_biweekly_pay_is_paid_26_times_a_year(text):
    parsed = parse_salary(text)
    assert parsed.period == "biweekly" and not parsed.period_inferred
    assert parsed.annual_min == parsed.annual_max == 78_000


@pytest.mark.parametrize(
    "text", ["$4,000 semi-monthly", "$4,000 semimonthly", "$4,000 paid semi-monthly"]
)
def test_semimonthly_pay_is_paid_24_times_a_year(text):
    parsed = parse_salary(text)
    assert parsed.period == "semimonthly" and not parsed.period_inferred
    assert parsed.annual_min == parsed.annual_max == 96_000


def test_monthly_pay_stays_monthly():
    parsed = parse_salary("$8,000 per month")
    assert (parsed.period, parsed.annual_min) == ("month", 96_000)


def test_weekly_pay_stays_weekly():
    parsed = parse_salary("$1,500 weekly")
    assert (parsed.period, parsed.annual_min) == ("week", 78_000)


# Filler that makes a statement prose, not a pay field.
_LONG = " We are a fast-growing team and value ownership, clarity and kindness in our work."


# Issue #20's kinds of miss, one made-up example of each (the held-out sets in
# benchmarks/labelled/ measure them on real text).
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Ranges read as their first number: other separators, abbreviated first numbers.
        ("Pay: $21\\.50 \\- $24\\.00 per hour", (21.5, 24.0, "USD", "hour")),  # Markdown
        ("Salary range: $120,000 ~ $150,000", (120_000, 150_000, "USD", "year")),
        (
            "The salary is between $120,000 and $150,000 per year.",
            (120_000, 150_000, "USD", "year"),
        ),
        ("Salary: $120,000 – $150,000", (120_000, 150_000, "USD", "year")),
        ("$95-120,000 per year", (95_000, 120_000, "USD", "year")),
        ("$31-36/hour", (31, 36, "USD", "hour")),
        ("$78,400-96k", (78_400, 96_000, "USD", "year")),
        ("MIN: $90,000 - MID: $105,000 - MAX: $120,000 CAD", (90_000, 120_000, "CAD", "year")),
        (
            "Minimum Annual Salary $62,000 – Maximum Annual Salary $88,000",
            (62_000, 88_000, "USD", "year"),
        ),
        ("Salary: $100,000- $75,000", (75_000, 100_000, "USD", "year")),  # high to low
        # Cents kept; text glued to a number.
        ("$91,412.40 per year", (91_412.40, 91_412.40, "USD", "year")),
        ("Hourly rate: $21.50", (21.5, 21.5, "USD", "hour")),
        (
            "Salary: $95,000.00 - $160,000.00The above range reflects",
            (95_000, 160_000, "USD", "year"),
        ),
        # A currency or period after the numbers applies to them.
        ("Base salary: $104,000 - $131,000 CAD", (104_000, 131_000, "CAD", "year")),
        ("Salary: $7.200.000 COP per month", (7_200_000, 7_200_000, "COP", "month")),
        (
            "Salary: 12,400 - 21,800 PLN (gross) depending on experience, paid monthly",
            (12_400, 21_800, "PLN", "month"),
        ),
        # Regional notations.
        ("CTC: 6-9 Lacs PA", (600_000, 900_000, "INR", "year")),
        ("Salary: 80,000-1.5 Lacs PA", (80_000, 150_000, "INR", "year")),
        ("年収 400万円～600万円", (4_000_000, 6_000_000, "JPY", "year")),
        ("Le salaire est entre 42 000 et 48 000 € par an.", (42_000, 48_000, "EUR", "year")),
        ("Gehalt: zwischen EUR 4100 und EUR 4600 pro Monat", (4_100, 4_600, "EUR", "month")),
        ("Stawka: od 140 zł/h do 170 zł/h", (140, 170, "PLN", "hour")),
        ("TJM : 380-520€/j", (380, 520, "EUR", "day")),
        # Alternatives: the first statement, whole.
        (
            "Pay range: $85,000 - $140,000 or $102,000 - $168,000 in New York",
            (85_000, 140_000, "USD", "year"),
        ),
        # Issue #20's second round, from the first unseen set's misses.
        # An en dash whose UTF-8 was read as Latin-1 joins a range.
        ("Base salary range: ($150,000 \xe2\x80\x93 $175,000)", (150_000, 175_000, "USD", "year")),
        # A remark in brackets between a range's ends.
        (
            "The salary range is between $146,500 [minimum in our lowest market] to $228,000"
            " [maximum in our highest market]." + _LONG,
            (146_500, 228_000, "USD", "year"),
        ),
        # A label names the amount right after it, not one after another amount.
        (
            "Total OTE of $220,000-$300,000+. Base Salary: $120,000. Performance earnings: an"
            " extra $180,000 per year." + _LONG,
            (120_000, 120_000, "USD", "year"),
        ),
        # A pay label right before an amount in prose: pay, its currency unknown.
        ("Salary Range: 120,000.00 - 135,000.00." + _LONG, (120_000, 135_000, None, "year")),
        # A piece rate beside an hourly one: the hourly one.
        (
            "The rate of pay is $20 per 100 words (about $100 per article or $50 per hour).",
            (50, 50, "USD", "hour"),
        ),
        # A period word in the next sentence is not the pay's.
        (
            "The base salary range is $128,000—$192,000 USD, plus bonus. We offer a 401(k)"
            " match and 20 weeks of parental leave.",
            (128_000, 192_000, "USD", "year"),
        ),
        # Days of leave a year are not the pay's period.
        ("30 Tage Urlaub/Jahr, Tarifliche Vergütung 15,00 €", (15, 15, "EUR", "hour")),
        # "$90-$150+/hr" beside "$85+ million": millions are never pay.
        (
            "Members have earned $85+ million since; missions pay $90-$150+/hr." + _LONG,
            (90, 150, "USD", "hour"),
        ),
    ],
)
def test_statements_of_every_shape(text, expected):
    parsed = parse_salary(text)
    assert (parsed.min, parsed.max, parsed.currency, parsed.period) == expected


@pytest.mark.parametrize(
    "text",
    [
        "We offer $1,200 towards your home office.",
        "A $7,500 signing bonus.",
        "$50K life insurance",
        "Up to $6,000 donation match",
        # Piece rates, an amount in two currencies after a stipend, sign on bonuses.
        "Initial compensation is up to $0.06 per word, $0.034 per word being typical." + _LONG,
        "This equals about $30 or $17 per 500-word page." + _LONG,
        "A co-working space twice per month (35 EUR / 40 USD per visit)." + _LONG,
        "The expected base stipend is 3,850 USD / 2,310 GBP / 4,300 CAD per week." + _LONG,
        "Hours: 5:00am-1:30pm** $10,000 sign on bonus & $10,000 loan forgiveness**" + _LONG,
    ],
)
def test_benefits_are_not_pay(text):
    assert parse_salary(text) is None


@given(
    lo=st.decimals(15, 150, places=2),
    spread=st.decimals(0, 50, places=2),
    dash=st.sampled_from([" - ", "-", " – ", " to ", " ~ ", " \\- "]),
)
def test_cents_survive_and_a_range_is_ordered(lo, spread, dash):
    hi = lo + spread
    parsed = parse_salary(f"Pay: ${lo:.2f}{dash}${hi:.2f} per hour")
    assert (parsed.min, parsed.max) == (float(lo), float(hi))
    parsed = parse_salary(f"Pay: ${hi:.2f}{dash}${lo:.2f} per hour")  # written high to low
    assert parsed.min <= parsed.max


_BENEFIT = st.sampled_from(
    [
        "${n:,} towards your home office",
        "a ${n:,} signing bonus",
        "${n:,} life insurance",
        "up to ${n:,} donation match",
        "a ${n:,} learning budget",
        "a monthly ${n:,} wellness stipend",
        "401(k) match up to ${n:,}",
    ]
)


@given(st.lists(st.tuples(_BENEFIT, st.integers(20, 20_000)), min_size=1, max_size=4))
def test_a_text_of_benefits_alone_has_no_pay(benefits):
    text = "Perks: " + "; ".join(template.format(n=n) for template, n in benefits) + "."
    assert parse_salary(text) is None


_PIECES = st.sampled_from(
    [
        *("$", "€", "£", "₹", "万", "円", "～", "-", "–", " to ", " and ", "L", "Cr", "k", "lakh"),
        *("&amp;", "&lt;p&gt;", "<p>", "</span>", "Â£", "\\-", "\\.", "MIN:", "MAX:", "Hours: 40"),
        *("per week", "uur per week", " ", "1", "0", "5", "9", ",", ".", "12,500", "21.50", "/hr"),
        *("/j", "/MD", "per hour", "annually", "CAD", "COP", "PLN", "signing bonus", "stipend"),
    ]
)


@given(st.lists(_PIECES, max_size=30).map("".join))
def test_any_text_parses_or_not_but_never_raises_and_keeps_ranges_ordered(text):
    parsed = parse_salary(text)
    if parsed is not None and parsed.min is not None and parsed.max is not None:
        assert parsed.min <= parsed.max
        assert parsed.period in ("hour", "day", "week", "biweekly", "semimonthly", "month", "year")
