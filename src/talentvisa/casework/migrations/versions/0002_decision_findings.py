"""Decisions keep the officer's findings they rest on (judgements and interpretations).

Revision ID: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Nullable: decisions recorded before this migration kept no findings of their own.
    op.add_column("decisions", sa.Column("findings", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("findings")
