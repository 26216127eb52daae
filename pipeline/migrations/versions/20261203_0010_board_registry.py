"""board registry: employers' job boards and the lists they came from

The ``board`` table holds the boards secjobs may crawl on each applicant-tracking system,
with their status as crawling shows it (pipeline.boards); ``board_list`` the lists loaded
into it. The shipped lists (pipeline/data/boards/) are loaded by ``secjobs db upgrade`` and
by every run, not here: a migration's data would be frozen at its revision.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 13:35:38
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "board",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ats", sa.String(length=32), nullable=False),
        sa.Column("identifier", sa.String(length=255), nullable=False),
        sa.Column("name", sa.Text(), nullable=True),
        sa.Column("careers_url", sa.Text(), nullable=True),
        sa.Column("origin", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_crawled", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_with_jobs", sa.DateTime(timezone=True), nullable=True),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("open_postings", sa.Integer(), nullable=True),
        sa.Column("security_postings", sa.Integer(), nullable=True),
        sa.Column("last_outcome", sa.Text(), nullable=True),
        sa.Column("found_in", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board")),
        sa.UniqueConstraint("ats", "identifier", name=op.f("uq_board_ats_identifier")),
    )
    with op.batch_alter_table("board", schema=None) as batch_op:
        batch_op.create_index("ix_board_ats_status", ["ats", "status"], unique=False)

    op.create_table(
        "board_list",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("ats", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("loaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_board_list")),
        sa.UniqueConstraint("ats", "name", name=op.f("uq_board_list_ats_name")),
    )


def downgrade() -> None:
    op.drop_table("board_list")
    with op.batch_alter_table("board", schema=None) as batch_op:
        batch_op.drop_index("ix_board_ats_status")

    op.drop_table("board")
