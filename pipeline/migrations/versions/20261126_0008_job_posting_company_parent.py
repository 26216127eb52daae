"""job_posting company_parent

The department a hiring agency belongs to (USAJOBS ``DepartmentName``, schema.org
``parentOrganization``): other boards list federal jobs under either name, so duplicate
merging (pipeline.dedupe) compares both. Postings stored earlier get it when next seen.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-26 07:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('job_posting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('company_parent', sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('job_posting', schema=None) as batch_op:
        batch_op.drop_column('company_parent')
