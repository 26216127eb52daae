"""pay periods up to 16 characters

``job_posting.pay_period`` and ``salary_observation.period`` hold a key of
``pipeline.salary.PERIODS_PER_YEAR``; "semimonthly" (paid 24 times a year, until now read as
monthly) is longer than the 8 characters they had. PostgreSQL alters the columns in place.
SQLite ignores a VARCHAR's length (it keeps only the declaration), and changing it would copy
the tables (129 s and twice the file for a million postings), so nothing changes there
(``pipeline.db.compare_type`` ignores that length on SQLite). Postings stored earlier keep
what they were cleaned to until a crawl sees them again: every posting seen is stored anew.

The downgrade reads "semimonthly" as "month", as the code before this revision did; the
annual figures of those rows keep the semi-monthly reading.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-26 06:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (('job_posting', 'pay_period', True), ('salary_observation', 'period', False))


def _alter_lengths(before: int, after: int) -> None:
    if op.get_context().dialect.name == 'sqlite':
        return
    for table, column, nullable in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(
                column,
                existing_type=sa.String(length=before),
                type_=sa.String(length=after),
                existing_nullable=nullable,
            )


def upgrade() -> None:
    _alter_lengths(8, 16)


def downgrade() -> None:
    for table, column, _nullable in COLUMNS:
        rows = sa.table(table, sa.column(column, sa.String))
        op.execute(
            rows.update().where(rows.c[column] == 'semimonthly').values({column: 'month'})
        )
    _alter_lengths(16, 8)
