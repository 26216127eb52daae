"""Career-site job pages that carry schema.org ``JobPosting`` JSON-LD."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import attrs
from extruct.jsonld import JsonLdExtractor

from pipeline.sections import description_text
from spiders.items import (
    PAY_ESTIMATE,
    PAY_POSTED,
    BaseSalary,
    HiringOrganization,
    JobLocation,
    JobPosting,
    PageFailure,
)
from spiders.pages.base import SourcePage
from spiders.pages.text import remote_status

_EXTRACTOR = JsonLdExtractor()


def _types(node: dict) -> set[str]:
    kind = node.get("@type")
    return set(kind) if isinstance(kind, list) else {kind}


def iter_jobpostings(data) -> Iterator[dict]:
    """JobPosting nodes in one JSON-LD value: a node, a list, or an ``@graph``."""
    if isinstance(data, list):
        for element in data:
            yield from iter_jobpostings(element)
    elif isinstance(data, dict):
        if "JobPosting" in _types(data):
            yield data
        if "@graph" in data:
            yield from iter_jobpostings(data["@graph"])


def _text(value) -> str | None:
    if isinstance(value, dict):
        value = value.get("name") or value.get("value")
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value if v)
    return str(value).strip() if value not in (None, "") else None


def _parent_name(org) -> str | None:
    """The name of a hiring organization's ``parentOrganization``, if it is not the same."""
    if not isinstance(org, dict):
        return None
    parent = _text(org.get("parentOrganization"))
    return parent if parent != _text(org) else None


def location_text(place) -> str | None:
    """'Locality, Region, Country' of a schema.org Place (or its address)."""
    if isinstance(place, str):
        return place.strip() or None
    if not isinstance(place, dict):
        return None
    address = place.get("address", place)
    if isinstance(address, str):
        return address.strip() or None
    if not isinstance(address, dict):
        return None
    parts = [
        _text(address.get(key)) for key in ("addressLocality", "addressRegion", "addressCountry")
    ]
    return ", ".join(p for p in parts if p) or None


def salary_from_monetary_amount(amount) -> BaseSalary | None:
    """schema.org MonetaryAmount: ``value`` as a number or a QuantitativeValue;
    ``unitText`` inside the value or beside it."""
    if not isinstance(amount, dict):
        return None
    value = amount.get("value")
    unit = amount.get("unitText")
    lo = hi = None
    if isinstance(value, dict):
        unit = value.get("unitText") or unit
        lo, hi = value.get("minValue"), value.get("maxValue")
        if lo is None and hi is None:
            lo = hi = value.get("value")
    elif value is not None:
        lo = hi = value
    else:
        lo, hi = amount.get("minValue"), amount.get("maxValue")
    currency = amount.get("currency")
    lo, hi = _number(lo), _number(hi)
    if lo is None and hi is None:
        # No amounts: no pay (not posted pay), unless the currency field holds the statement.
        return pay_text_salary(currency, unit)
    return BaseSalary(
        raw=json.dumps(amount, sort_keys=True, ensure_ascii=False),
        valueMin=lo,
        valueMax=hi,
        rateType=unit,
        currency=currency.upper() if isinstance(currency, str) and len(currency) == 3 else None,
        currencyRaw=currency,
    )


def pay_text_salary(value, unit: str | None = None) -> BaseSalary | None:
    """Pay written where a currency code goes, as some sites do ("salaryCurrency": "USD
    $150,000.00 - USD $165,000.00 /Yr."): the text is the pay, parsed by the pipeline like
    any posted pay text. None for a code or anything without a digit."""
    if isinstance(value, str) and any(c.isdigit() for c in value):
        return BaseSalary(raw=value.strip(), rateType=unit, currencyRaw=value)
    return None


def _number(value) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value.replace(",", ""))
        except ValueError:
            return None
    return None


def posting_id(identifier, url: str) -> str:
    """The site's own id, scoped by host (one spider reads many sites), else the URL."""
    if isinstance(identifier, dict):
        identifier = identifier.get("value") or identifier.get("@id")
    if isinstance(identifier, str | int) and str(identifier).strip():
        return f"{urlsplit(url).hostname}:{str(identifier).strip()}"
    return url


def parse_jobposting(node: dict, page_url: str) -> JobPosting:
    description_html = node.get("description")
    places = node.get("jobLocation")
    places = places if isinstance(places, list) else [places] if places else []
    locations = [JobLocation(raw=text) for text in map(location_text, places) if text]
    org = node.get("hiringOrganization")
    org_name = _text(org)
    salary, origin = salary_from_monetary_amount(node.get("baseSalary")), PAY_POSTED
    if salary is None:
        salary = pay_text_salary(node.get("salaryCurrency"))
    if salary is None:
        salary, origin = salary_from_monetary_amount(node.get("estimatedSalary")), PAY_ESTIMATE
    url = node.get("url") or page_url
    remote = "remote" if node.get("jobLocationType") == "TELECOMMUTE" else None
    return JobPosting(
        url=url,
        jobPostingId=posting_id(node.get("identifier"), url),
        jobTitle=_text(node.get("title")),
        datePublished=node.get("datePosted"),
        datePublishedRaw=node.get("datePosted"),
        description=description_text(description_html) if description_html else None,
        descriptionHtml=description_html,
        employmentType=_text(node.get("employmentType")),
        remoteStatus=remote or remote_status(*(loc.raw for loc in locations)),
        jobLocation=locations,
        hiringOrganization=HiringOrganization(
            name=org_name, nameRaw=org_name, parentName=_parent_name(org)
        )
        if org_name
        else None,
        baseSalary=salary,
        payOrigin=origin if salary else None,
    )


@attrs.define
class JsonLdJobPage(SourcePage):
    """Every JobPosting on the page; broken JSON-LD blocks become ``PageFailure``s."""

    def postings(self) -> list[JobPosting | PageFailure]:
        results: list[JobPosting | PageFailure] = []
        blocks = self.xpath('//script[@type="application/ld+json"]')
        for block in blocks:
            try:
                data = _EXTRACTOR.extract_items(block.root)
            except ValueError as exc:
                results.append(self.failure("malformed_jsonld", str(exc), block.get()))
                continue
            results.extend(parse_jobposting(node, str(self.url)) for node in iter_jobpostings(data))
        if not results:
            reason = "no_jsonld" if not blocks else "no_jobposting"
            results.append(self.failure(reason, f"{len(blocks)} JSON-LD blocks", ""))
        return results
