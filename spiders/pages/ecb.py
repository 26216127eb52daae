"""ECB euro reference rates XML (eurofxref-daily / -hist-90d / -hist)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import attrs

from pipeline.fx import parse_ecb_xml
from spiders.items import FxRateObservation, PageFailure
from spiders.pages.base import SourcePage


@attrs.define
class EcbRatesPage(SourcePage):
    def rates(self) -> list[FxRateObservation | PageFailure]:
        try:
            rates = parse_ecb_xml(self.response.body)
        except ET.ParseError as exc:
            return [self.failure("malformed_xml", str(exc), self.response.body[:300])]
        if not rates:
            return [self.failure("layout_changed", "no dated Cube with a USD rate", "")]
        return [
            FxRateObservation(
                url=str(self.url),
                currency=r.currency,
                date=r.date.isoformat(),
                usdPerUnit=round(r.usd_per_unit, 8),
                raw=r.source,
            )
            for r in rates
        ]
