"""origin: sandbox or live, per run, posting and salary figure

Until now ``make demo`` and a live run wrote into the same database, and the sandbox's
generated figures could pass for live ones. Each run, posting and salary figure now says
where it came from (pipeline.origin); a database holds one kind from now on.

Rows stored earlier are marked from what is known: a posting or figure whose URL is on a
loopback host came from the sandbox (it serves only on 127.0.0.1); a run that stored such a
row, or whose crawls' stats name a loopback URL, is a sandbox run; and every row a sandbox
run stored last is sandbox data too (recorded real boards keep their real URLs). Plain SQL
updates: no table is copied on SQLite.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ('pipeline_run', 'job_posting', 'salary_observation')
# Where the sandbox serves (127.0.0.0/8, localhost, [::1]), as URL prefixes.
LOOPBACK = tuple(
    f'{scheme}://{host}'
    for scheme in ('http', 'https')
    for host in ('127.', 'localhost:', 'localhost/', '[::1]')
)


def _on_loopback(column: str, anywhere: bool = False) -> str:
    """SQL: ``column`` starts with (``anywhere``: holds) a loopback URL."""
    before = '%' if anywhere else ''
    return '(' + ' OR '.join(f"{column} LIKE '{before}{url}%'" for url in LOOPBACK) + ')'


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(
                sa.Column('origin', sa.String(length=8), server_default='live', nullable=False)
            )
    for table in ('job_posting', 'salary_observation'):
        op.execute(f"UPDATE {table} SET origin = 'sandbox' WHERE {_on_loopback('url')}")
    # Crawl stats are JSON; a loopback URL in them (a first blocked URL) is found as text.
    op.execute(
        "UPDATE pipeline_run SET origin = 'sandbox' WHERE run_id IN ("
        "SELECT last_run_id FROM job_posting WHERE origin = 'sandbox' "
        "UNION SELECT last_run_id FROM salary_observation WHERE origin = 'sandbox' "
        "UNION SELECT run_id FROM source_crawl "
        f"WHERE {_on_loopback('CAST(stats AS TEXT)', anywhere=True)})"
    )
    for table in ('job_posting', 'salary_observation'):
        op.execute(
            f"UPDATE {table} SET origin = 'sandbox' WHERE last_run_id IN "
            "(SELECT run_id FROM pipeline_run WHERE origin = 'sandbox')"
        )


def downgrade() -> None:
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('origin')
