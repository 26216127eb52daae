"""ECB euro reference rates XML (eurofxref-daily / -hist-90d / -hist)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import attrs
from web_poet import WebPage

from pipeline.fx import parse_ecb_xml
from spiders.items import FxRateObservation, PageFailure


@attrs.define
class EcbRatesPage(WebPage):
    def rates(self) -> list[FxRateObservation | PageFailure]:
        try:
            rates = parse_ecb_xml(self.response.body)
        except ET.ParseError as exc:
            return [
                PageFailure(
                    url=str(self.url),
                    reason="malformed_xml",
                    detail=str(exc),
                    snippet=self.response.body[:300].decode("utf-8", "replace"),
                )
            ]
        if not rates:
            return [
                PageFailure(
                    url=str(self.url),
                    reason="layout_changed",
                    detail="no dated Cube with a USD rate",
                )
            ]
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
