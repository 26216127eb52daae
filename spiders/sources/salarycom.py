"""SalaryCom's own keys in salarycom.toml: the salary pages to read."""

from __future__ import annotations

from spiders.sources.spec import SalaryPagesSpec


class SalaryComSpec(SalaryPagesSpec):
    pass
