"""board listing digests, and the board each posting was listed on

A board crawl whose listing is the same as at the board's last complete crawl does not read
it again (pipeline.boards.record_listings): ``board.listing_digest`` is that listing's
digest and ``board.listing_run_id`` the run whose postings of the board are current, and
``job_posting.board`` links a posting to its board, so an unchanged board's postings are
refreshed together. Every value starts empty: a board is read whole at its next crawl, and
its postings get their board when next seen.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 16:27:25
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('board', schema=None) as batch_op:
        batch_op.add_column(sa.Column('listing_digest', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('listing_run_id', sa.String(length=64), nullable=True))

    with op.batch_alter_table('job_posting', schema=None) as batch_op:
        batch_op.add_column(sa.Column('board', sa.String(length=255), nullable=True))
        batch_op.create_index('ix_job_posting_board', ['source', 'board'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('job_posting', schema=None) as batch_op:
        batch_op.drop_index('ix_job_posting_board')
        batch_op.drop_column('board')

    with op.batch_alter_table('board', schema=None) as batch_op:
        batch_op.drop_column('listing_run_id')
        batch_op.drop_column('listing_digest')
