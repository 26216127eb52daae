"""Pay text to numbers: the first base-pay statement in a pay field or free text.

Annualizing uses the constants below (a 40-hour week, 52 weeks, 260 working days).
Amounts are kept in the currency stated; conversion to USD is a separate step.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from price_parser.parser import parse_number

HOURS_PER_YEAR = 2080
DAYS_PER_YEAR = 260
WEEKS_PER_YEAR = 52
MONTHS_PER_YEAR = 12
PERIODS_PER_YEAR = {
    "hour": HOURS_PER_YEAR,
    "day": DAYS_PER_YEAR,
    "week": WEEKS_PER_YEAR,
    "month": MONTHS_PER_YEAR,
    "year": 1,
}

# Currency markers, longest first so "US$" wins over "$". A bare "$" means USD:
# other dollar currencies are written with their prefix or code.
_SYMBOLS = {
    "US$": "USD",
    "USD$": "USD",
    "CA$": "CAD",
    "C$": "CAD",
    "AU$": "AUD",
    "A$": "AUD",
    "NZ$": "NZD",
    "S$": "SGD",
    "HK$": "HKD",
    "$": "USD",
    "£": "GBP",
    "€": "EUR",
    "₹": "INR",
    "¥": "JPY",
    "CHF": "CHF",
    "kr": "SEK",
}
_CODES = (
    "USD",
    "EUR",
    "GBP",
    "CAD",
    "AUD",
    "NZD",
    "CHF",
    "SEK",
    "NOK",
    "DKK",
    "INR",
    "JPY",
    "SGD",
    "HKD",
    "PLN",
    "BRL",
    "MXN",
    "ILS",
    "ZAR",
)
_CURRENCY = "|".join(
    re.escape(token) for token in sorted([*_SYMBOLS, *_CODES], key=len, reverse=True)
)
_NUMBER = r"\d{1,3}(?:[,.\s\u00a0\u202f]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_AMOUNT = (
    rf"(?:(?P<@cur_a>{_CURRENCY})\s?)?(?P<@num>{_NUMBER})\s?"
    rf"(?P<@mult>[kK](?![a-zA-Z])|[mM](?:illion)?(?![a-zA-Z])|bn|billion)?"
    rf"(?:\s?(?P<@cur_b>{_CURRENCY})(?![a-zA-Z]))?"
)
_DASH = r"\s*(?:-|–|—|‒|―|to|and|bis)\s*"
_RANGE = re.compile(
    _AMOUNT.replace("@", "lo_")
    + r"(?:\s*(?:per|/|an?)\s*\w+)?"  # "USD$157,000 per year - USD$174,000 per year"
    + rf"(?:{_DASH}{_AMOUNT.replace('@', 'hi_')})?",
    re.IGNORECASE,
)
_PERIOD_WORDS = [
    ("hour", r"hour|hr\b|hourly|/h\b|ph\b|stunde"),
    ("day", r"\bday\b|daily|per diem|/d\b"),
    ("week", r"week|wk\b|weekly"),
    ("month", r"month|/mo\b|monthly|pcm\b|monat"),
    ("year", r"year|yr\b|annum|annual|annually|p\.a\.|yearly|jahr"),
]
_PAY_CONTEXT = re.compile(
    r"salary|pay|compensation|base|wage|rate|range|ote|earn|hour|/hr|annual|per|up to|from|"
    r"gehalt|lohn",
    re.IGNORECASE,
)
_SALARY_WORD = re.compile(r"salary|salaries|gehalt", re.IGNORECASE)
_NOT_PAY_AFTER = re.compile(
    r"^\s*(?:in funding|funding|raised|series|revenue|valuation|"
    r"of (?:funding|revenue)|users|customers|employees|\+ (?:users|customers))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ParsedSalary:
    min: float | None
    max: float | None
    currency: str | None  # ISO 4217
    period: str  # hour | day | week | month | year
    annual_min: float | None  # in ``currency``
    annual_max: float | None
    period_inferred: bool = False  # True when the text did not state the period
    text: str = ""  # the statement that was parsed


def _currency(token: str | None) -> str | None:
    if not token:
        return None
    upper = token.upper()
    return upper if upper in _CODES else _SYMBOLS.get(token) or _SYMBOLS.get(upper)


def _value(number: str, mult: str | None) -> float | None:
    # European "80.000,00" and US "80,000.00" both parse; spaces group thousands.
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", number)
    if re.fullmatch(r"\d{1,3}(?:[.,]\d{3})+", cleaned):
        cleaned = re.sub(r"[.,]", "", cleaned)  # thousands groups only, no decimals
    value = parse_number(cleaned)
    if value is None:
        return None
    value = float(value)
    if mult:
        m = mult.lower()
        if m == "k":
            value *= 1_000
        else:
            return None  # millions/billions are funding or revenue, never a salary
    return value


def _period(text: str, start: int, end: int) -> str | None:
    after = text[start : end + 30].lower()
    before = text[max(0, start - 60) : start].lower()
    for window in (after, before):
        found = [
            (m.start(), name)
            for name, pattern in _PERIOD_WORDS
            for m in [re.search(pattern, window)]
            if m
        ]
        if found:
            # After the amount, the nearest word wins; before it, the last one does.
            return min(found)[1] if window is after else max(found)[1]
    return None


def parse_salary(text: str | None) -> ParsedSalary | None:
    """The first base-pay statement in ``text``, or None when it states no pay."""
    if not text:
        return None
    for match in _RANGE.finditer(text):
        parsed = _from_match(text, match)
        if parsed is not None:
            return parsed
    return None


def _from_match(text: str, match: re.Match) -> ParsedSalary | None:
    g = match.groupdict()
    if _NOT_PAY_AFTER.match(text[match.end() : match.end() + 30]):
        return None
    lo = _value(g["lo_num"], g["lo_mult"])
    hi = _value(g["hi_num"], g["hi_mult"]) if g["hi_num"] else None
    if lo is None or (g["hi_num"] and hi is None):
        return None
    # "80-100k": the multiplier written once applies to both ends.
    if g["hi_mult"] and not g["lo_mult"] and hi and lo < 1_000 <= hi:
        lo *= 1_000
    currency = next(
        filter(None, map(_currency, (g["lo_cur_a"], g["lo_cur_b"], g["hi_cur_a"], g["hi_cur_b"]))),
        None,
    )
    if currency is None:
        return None  # a bare number is not a pay statement (years, headcounts, 401(k))
    context = text[max(0, match.start() - 80) : match.end() + 30]
    # A lone amount counts in a short pay field ("£70k") or beside pay words in prose.
    if hi is None and len(text) > 40 and not _PAY_CONTEXT.search(context):
        return None
    if lo < 1:
        return None
    period = _period(text, match.start(), match.end())
    inferred = period is None
    if (
        period is None
        and max(lo or 0, hi or 0) >= 1_000
        and _SALARY_WORD.search(text[max(0, match.start() - 60) : match.start()])
    ):
        period, inferred = "year", False  # "Salary Range: $95,000 - $129,000" is yearly
    if period is None:
        period = "hour" if max(lo, hi or 0) < 300 else "year"
    per_year = PERIODS_PER_YEAR[period]
    if hi is None and re.search(
        r"(?:up to|max(?:imum)?(?: of)?|<)\s*$", text[: match.start()], re.I
    ):
        lo, hi = None, lo  # "up to $19/hour": a ceiling, no floor
    return ParsedSalary(
        min=lo,
        max=hi,
        currency=currency,
        period=period,
        annual_min=lo * per_year if lo is not None else None,
        annual_max=hi * per_year if hi is not None else None,
        period_inferred=inferred,
        text=match.group(0).strip(),
    )


def normalize_period(rate_type: str | None) -> str | None:
    """A published rate unit ("YEAR", "hourly", "per month") as one of our periods."""
    if not rate_type:
        return None
    lowered = rate_type.lower()
    for name, pattern in _PERIOD_WORDS:
        if re.search(pattern, lowered) or lowered == name:
            return name
    return None
