"""Pay text to numbers: the base-pay statement in a pay field or a whole description.

Annualizing uses the constants below (a 40-hour week, 52 weeks, 260 working days).
Amounts are kept in the currency stated; conversion to USD is ``pipeline.fx``'s job.

In a long description every amount is a candidate; amounts that are benefits (stipends,
budgets, 401(k) matches, donations) or company figures (funding, revenue, valuation) are
dropped, and a statement introduced as base pay ("base salary range", "pay range") beats
one introduced as on-target earnings or commission. Among equals the first one wins.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from dataclasses import dataclass

from price_parser.parser import parse_number

from pipeline.casefold import Caseless, fold

HOURS_PER_YEAR = 2080  # 40 hours x 52 weeks
DAYS_PER_YEAR = 260  # 5 days x 52 weeks
WEEKS_PER_YEAR = 52
BIWEEKS_PER_YEAR = 26  # US federal pay periods ("BW"), paid every other week
SEMIMONTHS_PER_YEAR = 24  # paid on two set days of each month (US payrolls' "semi-monthly")
MONTHS_PER_YEAR = 12
PERIODS_PER_YEAR = {
    "hour": HOURS_PER_YEAR,
    "day": DAYS_PER_YEAR,
    "biweekly": BIWEEKS_PER_YEAR,
    "week": WEEKS_PER_YEAR,
    "semimonthly": SEMIMONTHS_PER_YEAR,
    "month": MONTHS_PER_YEAR,
    "year": 1,
}
# Without a stated period, an amount below this is hourly, at or above it yearly.
HOURLY_CEILING = 300

# Currency markers, longest first so "US$" wins over "$". A bare "$" means USD:
# other dollar currencies are written with their prefix or code.
_SYMBOLS = {
    "US$": "USD",
    "USD$": "USD",
    "CAD$": "CAD",
    "CA$": "CAD",
    "C$": "CAD",
    "AUD$": "AUD",
    "AU$": "AUD",
    "A$": "AUD",
    "NZ$": "NZD",
    "S$": "SGD",
    "SGD$": "SGD",
    "HK$": "HKD",
    "R$": "BRL",
    "MX$": "MXN",
    "$": "USD",
    "£": "GBP",
    "€": "EUR",
    "₹": "INR",
    "¥": "JPY",
    "円": "JPY",
    "₪": "ILS",
    "zł": "PLN",
    "kr": "SEK",
    "euros": "EUR",
    "euro": "EUR",
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
    "CZK",
    # Latin America, Asia, Europe beyond the euro: "$7.200.000 COP" is pesos, not dollars.
    *("COP", "ARS", "CLP", "PEN", "UYU", "PHP", "IDR", "MYR", "THB", "VND", "KRW", "CNY"),
    *("TWD", "TRY", "RON", "HUF", "BGN", "UAH", "AED", "SAR", "QAR", "EGP", "NGN", "KES"),
)
_CODE_SET = frozenset(_CODES)
_CURRENCY = "|".join(
    re.escape(token) for token in sorted([*_SYMBOLS, *_CODES], key=len, reverse=True)
)
_NUMBER = r"\d{1,3}(?:(?:,\s?|[.\s\u00a0\u202f])\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
# A multiplier: k is thousands; millions, billions and trillions are never a salary.
# Lakhs (India: 1 lakh = 100,000 rupees, "6-9 Lacs PA", "12 LPA") and 万 (10,000 yen).
_MULT = (
    r"k(?![a-z])|mm?(?![a-z])|million|bn|billion|b(?![a-z])|tn|trillion|t(?![a-z])"
    r"|Mio\.?|Mrd\.?|la(?:c|kh)s?(?![a-z])|lpa(?![a-z])|l(?![a-z])|cr(?:ores?)?(?![a-z])|万"
)
_MULTIPLIERS = {"k": 1_000, "万": 10_000}  # and lakhs: 100,000
_AMOUNT = (
    rf"(?:(?P<@code>{'|'.join(_CODES)})\s{{0,2}}(?=[$€£]))?"
    rf"(?:(?P<@cur_a>{_CURRENCY})\s?)?(?P<@num>{_NUMBER})\s?"
    rf"(?P<@mult>{_MULT})?"
    rf"(?:\s?(?P<@cur_b>{_CURRENCY})(?![a-zA-Z]))?"
)
# Between a range's ends: dashes, "~", and "to" in English, German, French, Polish; an en or
# em dash whose UTF-8 was read as Latin-1 ("â\x80\x93"); a remark in brackets before it
# ("between $146,500 [minimum salary in our lowest market] to $228,000").
_DASH = (
    r"(?:\s*\[[^\]\n]{0,120}\])?"
    r"\s*(?:-|–|—|‒|―|~|～|\xe2\x80[\x93\x94]|\xe2\u20ac[\u201c\u201d]|to|and|bis|und|et|à|do|en)\s*"
)
_RANGE = re.compile(
    r"(?:(?<![\w.,])|(?<=[a-z])(?=[$€£₹¥]))"
    + _AMOUNT.replace("@", "lo_")
    # "USD$157,000 per year - USD$174,000 ..." ("per employee" is no period)
    + r"(?P<lo_per>\s*(?:per\b|/|an?\b)\s*(?!employee|person|head|paycheck)[a-z]+\.?)?"
    + rf"(?:{_DASH}{_AMOUNT.replace('@', 'hi_')})?",
    re.IGNORECASE,
)
# _RANGE in lower case (its escapes are all lower-case already), for lower-cased text.
assert not re.search(r"\\[A-Z]", _RANGE.pattern)
_RANGE_FOLDED = Caseless(_RANGE.pattern.lower().replace("(?p<", "(?P<")).folded
# A match's first digit is at most this far from its start: the widest ISO code, two spaces,
# the widest currency marker and a space come before it.
_LEAD = max(map(len, _CODES)) + 2 + max(map(len, [*_SYMBOLS, *_CODES])) + 1
_DIGIT = re.compile(r"\d")
_PERIOD_WORDS = [
    ("hour", re.compile(r"hour|hr\b|hourly|/h\b|\bph\b|stunde|heure|時給")),
    ("day", re.compile(r"\bday\b|daily|per diem|/d\b|/j\b|/jour|par jour|/\s?md\b|man-?day|日給")),
    # Before "week": "bi-weekly" holds "week" and is paid half as often.
    ("biweekly", re.compile(r"bi[- ]?weekly|every two weeks|every 2 weeks|fortnight")),
    ("week", re.compile(r"week(?<!workweek)(?<!werkweek)|wk\b|weekly")),
    # Before "month": "semi-monthly" holds "month" and is paid twice as often.
    ("semimonthly", re.compile(r"semi[- _]?monthly|semi[- ]?month\b")),
    ("month", re.compile(r"month|/mo\b|monthly|pcm\b|monat|mois|miesi|maand|月給|月収")),
    (
        "year",
        re.compile(r"year|yr\b|annum|annual|annually|p\.a\.|yearly|jahr|par an\b|annuel|年収|年俸"),
    ),
]

# Caseless: IGNORECASE patterns, searched fast in lower-cased text (pipeline.casefold).
_PAY_CONTEXT = Caseless(
    r"salary|pay|compensation|base|wage|rate|range|ote|earn|hour|/hr|annual|per|up to|from|"
    r"gehalt|lohn|vergütung|verdien|brutto|netto|salaris|loon|salaire|wynagrodzenie|max"
)
_SALARY_WORD = Caseless(r"salary|salaries|gehalt|pay range|base pay")
_NOT_PAY_AFTER = Caseless(
    r"[\s+]*(?:in |of |a |per )?(?:annual |annualized )?(?:recurring )?"
    r"(?:funding|raised|series|revenue|arr\b|valuation|assets|bookings|sales|users|customers|"
    r"employees|industry|market|transactions|401|match|stipend|budget|allowance|"
    r"(?:to )?(?:charity|donat)|sign[- ]?on|signing|referral|relocation|paycheck|home office|"
    r"learning|towards?\b|(?:life |health )?insurance|coverage|per (?:employee|person|head)|"
    r"perks?\b|marketplace|discounts?|subsid|million|billion|"
    r"(?:[a-z-]+ )?(?:referral|signing|sign-on|retention) bonus|"
    r"(?:[a-z-]+ ){1,2}(?:stipend|budget|allowance|insurance|coverage|reimbursement|match))"
)
# A label right before an amount in prose makes it pay without a currency ("Salary Range:
# 120,000.00 - 120,000.00"): the currency stays unknown, and it must look like a salary.
_LABEL_RIGHT_BEFORE = Caseless(r"(?:salary|pay|wage|compensation)(?: range)?:\s*$")
# Piece rates are not a wage: "$0.06 per word", "$20 per 100 words", "$30 or $17 per
# 500-word page", "35 EUR / 40 USD per visit" (after the amount, or its other currency).
_PIECE_RATE = Caseless(
    r"\s*(?:(?:/|or) ?\$?\d[\d.,]* ?(?:[a-z]{3} )?)?(?:per|a|/) ?(?:\d+[- ])?(?:words?|pages?|"
    r"articles?|posts?|visits?|sales?|miles?|units?|pieces?|calls?|leads?|appointments?|"
    r"tasks?|deliver(?:y|ies)|reviews?)\b"
)
# Amounts introduced by these words are benefits, not pay.
_BENEFIT_BEFORE = Caseless(
    r"(?:stipend|budget|allowance|401\s?\(?k\)?|match(?:es|ing)?(?: up to)?|donations?|"
    r"reimburse\w*|relocation|sign[- ]?on bonus|referral bonus|wellness|funding|raised|"
    r"valuation|revenue|valued at|bookings|insurance|contribution|credits?|"
    r"learning|education|equipment|home office|coworking|per diem of|differential|"
    r"additional|prämie)[^.\n$€£]{0,25}$"
)
_BASE_BEFORE = Caseless(
    r"base (?:salary|pay|wage|hourly|compensation|rate|range)|salary range|pay range|"
    r"hiring range|annual salary|yearly salary|salary:|salary estimate|wage range|"
    r"hourly rate|pay:|compensation range|estimated salary|salaries range|salary of|"
    r"starting salary|gross salary|salary for"
)
_VARIABLE_BEFORE = Caseless(
    # Every alternative starts with a letter, which the engine skips to: "\bote\b" is
    # written "o(?<!\wo)te\b".
    r"on-target|o(?<!\wo)te\b|total (?:target |annualized )?(?:cash|compensation|earnings)|"
    r"variable|incentive|commission|bonus|equity|t(?<!\wt)tc\b"
)
_CEILING_BEFORE = re.compile(
    r"(?:up to|max(?:imum)?\.?(?: of)?|<|not to exceed|\btot|bis zu|jusqu'à)\s*$", re.I
)
_FLOOR_BEFORE = re.compile(
    r"(?:from|starting (?:at|from)|min(?:imum)?(?: of)?|>|at least|\bab|vanaf|über|more than)\s*$",
    re.I,
)
# Their longest words: ending a text, they end its last this many characters but spaces.
_CEILING_WIDTH, _FLOOR_WIDTH = len("not to exceed"), len("starting from")
_RATE_WORDS = re.compile(r"\b(?:an?|per)\s+(?:hour|year|month|week|day)|/\s?(?:hr|hour)", re.I)
_SHORT_FIELD = 60  # a pay field, not a description: lone amounts need no pay word
_CURRENCY_GROUPS = ("lo_code", "lo_cur_a", "lo_cur_b", "hi_code", "hi_cur_a", "hi_cur_b")
_AMOUNT_GROUPS = ("lo_num", "lo_mult", "lo_per", "hi_num", "hi_mult")


@dataclass(frozen=True)
class ParsedSalary:
    min: float | None
    max: float | None
    currency: str | None  # ISO 4217; None when the text states no currency ("70-80 an hour")
    period: str  # hour | day | week | month | year
    annual_min: float | None  # in ``currency``
    annual_max: float | None
    period_inferred: bool = False  # True when the text did not state the period
    text: str = ""  # the statement that was parsed


def _currency(token: str | None) -> str | None:
    if not token:
        return None
    upper = token.upper()
    return upper if upper in _CODE_SET else _SYMBOLS.get(token) or _SYMBOLS.get(upper)


_SPACES = re.compile(r"[\s\u00a0\u202f]")
_GROUPED = re.compile(r"[1-9]\d{0,2}(?:[.,]\d{3})+")
# Decimals: "21.50", "15,00", and below one any number of places ("$0.034 per word").
_PLAIN = re.compile(r"\d+(?:[.,]\d{1,2})?|0[.,]\d+")


def _value(number: str, mult: str | None) -> float | None:
    # European "80.000,00" and US "80,000.00" both parse; spaces group thousands.
    cleaned = _SPACES.sub("", number)
    if _GROUPED.fullmatch(cleaned):
        cleaned = cleaned.replace(".", "").replace(",", "")  # thousands groups, no decimals
    if _PLAIN.fullmatch(cleaned):
        value = float(cleaned.replace(",", "."))  # the common cases, without price-parser
    else:
        parsed = parse_number(cleaned)
        if parsed is None:
            return None
        value = float(parsed)
    if mult:
        factor = _multiplier(mult)
        # Rounded to the cent: 83.6 lakhs is 8,360,000, not 8,359,999.999999999.
        return round(value * factor, 2) if factor else None  # millions are never a salary
    return value


def _multiplier(mult: str) -> int | None:
    lowered = mult.lower()
    if lowered.startswith(("lac", "lak", "lpa")) or lowered == "l":
        return 100_000
    if lowered.startswith("cr"):
        return 10_000_000  # a crore: 100 lakhs
    return _MULTIPLIERS.get(lowered)


def _any_period() -> tuple[re.Pattern, list[str]]:
    r"""``_PERIOD_WORDS`` in one pattern, and the period each group names.

    Every word ends with an empty group (``match.lastindex`` tells its period) and starts
    with a literal, which the regex engine skips to: a leading ``\b`` is tested after the
    first letter, ``(?<!\w.)``. The words are tried in the same order, so the same one wins.
    """
    words, periods = [], [""]  # group 0 is the whole match
    for name, pattern in _PERIOD_WORDS:
        for word in pattern.pattern.split("|"):
            # (lookarounds are fine: they capture nothing)
            assert not re.search(r"\((?!\?)", word), f"{name}: a period's words hold no group"
            if word.startswith(r"\b"):
                word = word[2] + r"(?<!\w.)" + word[3:]
            words.append(f"{word}()")
            periods.append(name)
    return re.compile("|".join(words)), periods


_ANY_PERIOD, _PERIOD_OF = _any_period()
_SENTENCE_END = re.compile(r"[.!?;]\s|\n")
_PERIOD_REACH = 120  # how far after an amount its sentence may still state the period
# Units of working time or leave before a period word: "40 hours per week", "30 Tage
# Urlaub/Jahr" (days of leave a year): that period is not the pay's.
_HOURS_PER = re.compile(
    r"(?:hours?|hrs?|uur|uren|stunden|heures|days?|tage?|urlaub|vacation|holidays?)\s*"
    r"(?:per|a|/|pro|par|im)\s*$"
)
_HOURS_FIELD = re.compile(r"s?\s*(?::|per week|a week|/\s?week)\s*\d*")


def _pay_periods(window: str) -> Iterator[str]:
    """The periods ``window``'s words name, in order, but for the units of working hours
    ("40 uur per week", "Hours: 40 ... Pay Detail: $110,000")."""
    for found in _ANY_PERIOD.finditer(window):
        period = _PERIOD_OF[found.lastindex]
        if period == "hour" and _HOURS_FIELD.match(window, found.end()):
            continue
        if not _HOURS_PER.search(window, max(0, found.start() - 16), found.start()):
            yield period


def _period(text: str, start: int, end: int) -> str | None:
    # After the amount, its sentence only: "$128,000-$192,000 USD, plus bonus. We offer 20
    # weeks of parental leave" is not weekly.
    after = _SENTENCE_END.split(text[end : end + _PERIOD_REACH].lower(), maxsplit=1)[0]
    period = next(_pay_periods(text[start:end].lower() + after[:30]), None)
    if period:
        return period  # after the amount, the nearest word wins
    # Further on in its sentence: "12,400 - 21,800 PLN (gross) ..., paid monthly".
    period = next(_pay_periods(after[30:]), None)
    if period:
        return period
    # Before the amount, only the same sentence counts ("a $100 monthly stipend. The base
    # salary range is $124,000" is not monthly), and the last word there wins.
    before = _SENTENCE_END.split(text[max(0, start - 120) : start].lower())[-1]
    last = None
    for last in _pay_periods(before):  # noqa: B007
        pass
    return last


def _score(text: str, start: int, folded: str | None = None, since: int = 0) -> int:
    """How clearly the words before an amount introduce base pay (higher is clearer);
    ``folded``: ``casefold.fold(text)``. Only words after ``since``, where the amount
    before ended, count: a label names the amount right after it ("Total OTE of
    $220,000-$300,000+. Base Salary: $120,000 ... an extra $180,000 per year")."""
    score = 2 if _BASE_BEFORE.search(text, folded, max(since, start - 100), start) else 0
    if _VARIABLE_BEFORE.search(text, folded, max(since, start - 45), start):
        score -= 1
    return score


# Markdown converters escape punctuation: "$21\\.50 \\- $24\\.00" is "$21.50 - $24.00".
_MARKDOWN_ESCAPE = re.compile(r"\\([-.~*_+!#()\[\]$|])")
_TAG = re.compile(r"<[^<>]{0,300}>")
# A pay field of bare numbers ("91600", "54324-72432"): a salary field states money.
_BARE_MINIMUM = 100
_BARE_FIELD = re.compile(r"\s*(\d[\d,.]{0,11})\s*(?:-\s*(\d[\d,.]{0,11}))?\s*")


def _plain(text: str) -> str:
    """Pay text without what hides its amounts: markdown escapes, HTML tags and entities
    (a pay field holding a page's markup splits a range across tags), and the UTF-8-read-
    as-Latin-1 "Â" before "£" and no-break spaces."""
    if "\\" in text:
        text = _MARKDOWN_ESCAPE.sub(r"\1", text)
    if "&" in text:
        text = html.unescape(html.unescape(text)) if "&amp;" in text else html.unescape(text)
    if "<" in text:
        text = _TAG.sub(" ", text)
    if "Â" in text:
        text = text.replace("Â£", "£").replace("Â\xa0", "\xa0")
    return text


def _bare_field(text: str, match: re.Match) -> ParsedSalary | None:
    lo = _value(match[1], None)
    hi = _value(match[2], None) if match[2] else lo
    if not lo or not hi or max(lo, hi) < _BARE_MINIMUM:
        return None  # "13-13": a federal grade, a level or years, not money
    lo, hi = min(lo, hi), max(lo, hi)
    return _statement(lo, hi, None, "hour" if hi < HOURLY_CEILING else "year", True, text.strip())


def _statement(
    low: float | None,
    high: float | None,
    currency: str | None,
    period: str,
    inferred: bool,
    text: str,
) -> ParsedSalary:
    """A ``ParsedSalary``, its annual figures worked out."""
    per_year = PERIODS_PER_YEAR[period]
    return ParsedSalary(
        min=low,
        max=high,
        currency=currency,
        period=period,
        annual_min=low * per_year if low is not None else None,
        annual_max=high * per_year if high is not None else None,
        period_inferred=inferred,
        text=text,
    )


_OR_ELSE = re.compile(r"\s*/\s*")  # between one amount in two currencies


def parse_salary(text: str | None) -> ParsedSalary | None:
    """The base-pay statement in ``text``, or None when it states no pay."""
    if not text:
        return None
    text = _plain(text)
    bare = _BARE_FIELD.fullmatch(text)
    if bare:
        return _bare_field(text, bare)
    best: tuple[int, ParsedSalary] | None = None
    folded = fold(text)
    since = rejected = 0  # where the amount before ended; where a rejected one did
    for match in _amounts(text, folded):
        if rejected and _OR_ELSE.fullmatch(text, rejected, match.start()):
            rejected = match.end()  # "3,850 USD / 2,310 GBP" state one amount twice
            continue
        parsed = _from_match(text, match, folded)
        if parsed is None:
            since = rejected = match.end()
            continue
        parsed = _labelled_maximum(text, match, parsed, folded) or parsed
        if len(text) <= _SHORT_FIELD:
            if parsed.currency is None and best is None:
                best = (0, parsed)  # "Level 3: $31.00/hour": an amount of money may follow
                continue
            return parsed if parsed.currency else best[1]
        score = _score(text, match.start(), folded, since)
        since = match.end()
        if score >= 2:
            return parsed  # introduced as base pay, nothing variable beside it
        if best is None or score > best[0]:
            best = (score, parsed)
    return best[1] if best else None


# Labels glued to what comes before them count too ("Pay TypeHourlyMin Hiring Rate$18.35").
_MIN_LABEL = re.compile(r"min(?:imum)?\b[^$€£\d\n]{0,40}$", re.IGNORECASE)
_MAX_LABEL = re.compile(r"max(?:imum)?\b[^$€£\d\n]{0,40}", re.IGNORECASE)
_PAIR_REACH = 200  # how far after a labelled minimum its maximum may be stated


def _labelled_maximum(
    text: str, match: re.Match, parsed: ParsedSalary, folded: str | None
) -> ParsedSalary | None:
    """A labelled pair as one range: "MIN: $90,000 - MID: ... - MAX: $120,000 CAD",
    "Minimum Annual Salary $62,000 – Maximum Annual Salary $88,000"; None otherwise. A
    currency named after the maximum ("CAD") names both: a bare "$" reads as USD."""
    if parsed.min != parsed.max or not _MIN_LABEL.search(
        text, max(0, match.start() - 50), match.start()
    ):
        return None
    label = _MAX_LABEL.search(text, match.end(), match.end() + _PAIR_REACH)
    other = next(_amounts(text, folded, label.end()), None) if label else None
    if other is None or other.start() > label.end() + _LEAD:
        return None
    high = _from_match(text, other, folded)
    if high is None or high.max is None or high.max < parsed.min:
        return None
    currency = high.currency if parsed.currency == "USD" else parsed.currency
    text = text[match.start() : other.end()].strip()
    return _statement(parsed.min, high.max, currency, parsed.period, parsed.period_inferred, text)


def _amounts(text: str, folded: str | None = None, start: int = 0) -> Iterator[re.Match]:
    """The spans of ``_RANGE.finditer(text)``, faster (``folded``: ``casefold.fold(text)``).

    No match starts more than ``_LEAD`` characters before a digit, so searching from there
    finds the same leftmost match as searching from where the last one ended; and the search
    runs case-sensitively in the lower-cased text when it can. Scanning long descriptions
    position by position with IGNORECASE was most of the time spent on them.

    Such a match has the spans of the IGNORECASE match in ``text`` (``pipeline.casefold``),
    but its groups are lower-cased: read what case matters for from ``text``. Matching
    again in ``text`` cost more than the rest of reading an amount.
    """
    pattern, searched = (_RANGE, text) if folded is None else (_RANGE_FOLDED, folded)
    pos = start
    while digit := _DIGIT.search(text, pos):
        match = pattern.search(searched, max(pos, digit.start() - _LEAD))
        if match is None:
            return
        yield match
        pos = match.end()  # never empty: a match holds a digit


def _from_match(text: str, match: re.Match, folded: str | None = None) -> ParsedSalary | None:
    """The pay ``match`` (from ``_amounts``) states, or None; ``folded``:
    ``casefold.fold(text)``. Its groups may be lower-cased: numbers and multipliers are read
    from them, currency tokens and the statement's text from ``text`` at their spans."""
    found = match.group(*_CURRENCY_GROUPS)
    labelled = False  # a pay label right before: pay without a currency
    if not any(found) and len(text) > _SHORT_FIELD:
        # Most numbers in prose state no currency: the cheapest test first.
        label_from = max(0, match.start() - 24)  # "Salary Range: " and a space or two
        labelled = text.rfind(":", label_from, match.start()) >= 0 and bool(
            _LABEL_RIGHT_BEFORE.search(text, folded, label_from, match.start())
        )
        if not labelled:
            return None
    lo_num, lo_mult, lo_per, hi_num, hi_mult = match.group(*_AMOUNT_GROUPS)
    if _NOT_PAY_AFTER.match(text, folded, match.end()) or _PIECE_RATE.match(
        text, folded, match.start("lo_per") if lo_per else match.end()
    ):
        return None
    if hi_num:
        end, currency_after = match.end("hi_mult" if hi_mult else "hi_num"), "hi_cur_b"
    else:
        end, currency_after = match.end("lo_mult" if lo_mult else "lo_num"), "lo_cur_b"
    if end < len(text) and (
        (text[end].islower() and match.start(currency_after) != end) or text[end] in "%x"
    ):
        # "3x", "50%", "10years": not an amount of money; a capital starts the next
        # sentence glued on by a scraper ("$160,000.00The above range ...").
        return None
    # As written: "kr" is a currency marker, "KR" is not.
    tokens = [
        text[match.start(name) : match.end(name)] if token else None
        for name, token in zip(_CURRENCY_GROUPS, found, strict=True)
    ]
    # An ISO code or a prefixed dollar ("CAD", "CA$") says more than a bare "$":
    # "$104,000—$139,000 CAD" and "CAD $99,000" are Canadian dollars.
    stated = [t for t in tokens if t and t != "$"]
    currency = _currency(stated[0]) if stated else _currency("$" if "$" in tokens else None)
    if currency is None and len(text) > _SHORT_FIELD and not labelled:
        return None  # checked again below; here first, as most numbers in prose are not pay
    if _BENEFIT_BEFORE.search(text, folded, match.start() - 60, match.start()):
        return None
    lo = _value(lo_num, lo_mult)
    hi = _value(hi_num, hi_mult) if hi_num else None
    if lo is None or (hi_num and hi is None):
        return None
    # "80-100k", "$125-$250K", "6-9 Lacs": the multiplier written once applies to both ends
    # (not "80,000-1.5 Lacs"); "$95-120,000": so do the thousands written once.
    if hi_mult and not lo_mult and hi:
        factor = _multiplier(hi_mult) or 1
        if lo * factor <= hi:
            lo *= factor
    elif hi and lo < 1_000 <= hi and not lo_mult and lo * 1_000 <= hi:
        lo *= 1_000
    indian = any(m and _multiplier(m) in (100_000, 10_000_000) for m in (lo_mult, hi_mult))
    if currency is None and indian:
        currency = "INR"  # lakhs and crores are Indian rupees
    elif (
        indian
        and currency != "INR"
        and any(m and m.lower() in ("l", "cr") for m in (lo_mult, hi_mult))
    ):
        return None  # "L" and "Cr" stand for lakh and crore beside rupees only
    period = _period(text, match.start(), match.end())
    # A bare number is not pay (years, headcounts, 401(k)) unless a short pay field marks
    # it as money with K or a rate: "200K–300K a year", "70–80 an hour".
    if labelled:
        if max(lo, hi or 0) < 1_000:
            return None
    elif currency is None and (
        len(text) > _SHORT_FIELD
        or not (lo_mult or hi_mult or (period and _RATE_WORDS.search(text)))
    ):
        return None
    # A lone amount counts in a short pay field ("£70k") or beside pay words in prose.
    if (
        hi is None
        and len(text) > _SHORT_FIELD
        and not _PAY_CONTEXT.search(text, folded, match.start() - 80, match.end() + 30)
    ):
        return None
    if lo < 1 or (hi is not None and hi < 1):
        return None
    inferred = period is None
    if (
        period is None
        and max(lo, hi or 0) >= 1_000
        and _SALARY_WORD.search(text, folded, match.start() - 60, match.start())
    ):
        period, inferred = "year", False  # "Salary Range: $95,000 - $129,000" is yearly
    if period is None:
        period = "hour" if max(lo, hi or 0) < HOURLY_CEILING else "year"
    if hi is not None and hi < lo:
        lo, hi = hi, lo  # "$100,000 - $75,000": a range written high to low
    low, high = lo, hi
    if hi is None:
        # The patterns end in \s*$: only the end of the text before the amount can match.
        head = text[: match.start()].rstrip()
        if _CEILING_BEFORE.search(head[-_CEILING_WIDTH:]):
            low, high = None, lo  # "up to $19/hour": a ceiling, no floor
        elif (
            _FLOOR_BEFORE.search(head[-_FLOOR_WIDTH:]) or text[match.end() : match.end() + 1] == "+"
        ):
            low, high = lo, None  # "from $80,000", "$120k+": a floor, no ceiling
        else:
            high = lo  # "$36k", "$14/hr": one figure is both ends
    text = text[match.start() : match.end()].strip()
    return _statement(low, high, currency, period, inferred, text)


def normalize_period(rate_type: str | None) -> str | None:
    """A published rate unit ("YEAR", "hourly", "per month") as one of our periods."""
    if not rate_type:
        return None
    lowered = rate_type.lower()
    for name, pattern in _PERIOD_WORDS:
        if pattern.search(lowered) or lowered == name:
            return name
    return None
