"""ECB reference rates under /ecb_fx, in the ECB's eurofxref XML layout.

The sandbox cannot reach the ECB, so these rates are SYNTHETIC (the sender says so): fixed
levels near recent fixings with a small deterministic daily wobble, one fixing per weekday for
the 90 days up to the generator's epoch. They exist to exercise conversion, not as data.
"""

from __future__ import annotations

import math
from datetime import timedelta

from aiohttp import web

from sandbox.generator import EPOCH, Market

PATH = "/ecb_fx/stats/eurofxref/eurofxref-hist-90d.xml"
# Units per euro, roughly where they stood recently.
LEVELS = {
    "USD": 1.09,
    "GBP": 0.85,
    "CAD": 1.50,
    "AUD": 1.65,
    "CHF": 0.95,
    "SEK": 11.4,
    "JPY": 160.0,
    "INR": 92.0,
    "PLN": 4.30,
}


def fixings(days: int = 90):
    """(date, {currency: units per euro}) for each weekday, newest first, like the ECB file."""
    for back in range(days):
        day = EPOCH - timedelta(days=back)
        if day.weekday() < 5:
            wobble = 1 + 0.004 * math.sin(day.toordinal() / 3)
            yield day, {code: round(level * wobble, 4) for code, level in LEVELS.items()}


def ecb_xml() -> str:
    cubes = "\n".join(
        f'\t\t<Cube time="{day.isoformat()}">'
        + "".join(f'<Cube currency="{c}" rate="{r}"/>' for c, r in rates.items())
        + "</Cube>"
        for day, rates in fixings()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" '
        'xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">\n'
        "\t<gesmes:subject>Reference rates</gesmes:subject>\n"
        "\t<gesmes:Sender><gesmes:name>secjobs sandbox: SYNTHETIC rates, not ECB data"
        "</gesmes:name></gesmes:Sender>\n"
        f"\t<Cube>\n{cubes}\n\t</Cube>\n</gesmes:Envelope>\n"
    )


def add_routes(router: web.UrlDispatcher, market: Market) -> None:
    async def rates(_request: web.Request):
        return web.Response(text=ecb_xml(), content_type="text/xml")

    router.add_get(PATH, rates)


def scrapy_settings(base_url: str) -> dict:
    return {"ECB_FX_BASE_URL": f"{base_url}/ecb_fx"}
