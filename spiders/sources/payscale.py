"""PayScale's own keys in payscale.toml: the salary pages to read."""

from __future__ import annotations

from spiders.sources.spec import SalaryPagesSpec


class PayScaleSpec(SalaryPagesSpec):
    pass
