"""quarantine fingerprints by orjson

A record's fingerprint is now the sha256 of its JSON written by orjson (sorted keys, compact)
instead of json.dumps (pipeline.postings.fingerprint). Quarantined records are kept by
(source, fingerprint) and counted when seen again, so their fingerprints are recomputed from
the payload they were stored with (that payload is the old canonical text itself, which is
what the old fingerprint hashed: the downgrade hashes it again). Records quarantined as they
were read (stage "load") hash their raw text, which has not changed.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-25 19:40:00
"""

import hashlib
import json
from collections.abc import Sequence

import orjson
import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

quarantine = sa.table(
    'quarantine',
    sa.column('id', sa.Integer),
    sa.column('stage', sa.String),
    sa.column('payload', sa.Text),
    sa.column('fingerprint', sa.String),
)


def _new(payload: str) -> str:
    record = json.loads(payload)
    try:
        canonical = orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
    except TypeError:  # integers beyond 64 bits: the payload's own text, as before
        canonical = payload.encode()
    return hashlib.sha256(canonical).hexdigest()


def _old(payload: str) -> str:
    return hashlib.sha256(payload.encode()).hexdigest()


def _rehash(compute) -> None:
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(quarantine.c.id, quarantine.c.payload).where(quarantine.c.stage != 'load')
    ).all()
    changes = [{'row_id': row.id, 'new': compute(row.payload)} for row in rows]
    if changes:
        connection.execute(
            quarantine.update()
            .where(quarantine.c.id == sa.bindparam('row_id'))
            .values(fingerprint=sa.bindparam('new')),
            changes,
        )


def upgrade() -> None:
    _rehash(_new)


def downgrade() -> None:
    _rehash(_old)
