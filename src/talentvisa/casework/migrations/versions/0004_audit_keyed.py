"""Audit events are keyed: each names its HMAC key and its place in the chain.

Events written before keep their unkeyed SHA-256 and NULL in both columns; the first keyed
event links to the last of them, so from then on they cannot be recomputed unnoticed either
(``talentvisa db upgrade`` appends that event at once). Rows are never rewritten: the table
stays append-only throughout.

Revision ID: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("audit_events", sa.Column("key_id", sa.String(length=16), nullable=True))
    op.add_column("audit_events", sa.Column("seq", sa.Integer(), nullable=True))


def downgrade() -> None:
    # Plain ALTER TABLE on SQLite too (3.35+): a batch copy would drop the append-only
    # triggers with the old table. Keyed events no longer verify under the older code.
    op.execute("ALTER TABLE audit_events DROP COLUMN seq")
    op.execute("ALTER TABLE audit_events DROP COLUMN key_id")
