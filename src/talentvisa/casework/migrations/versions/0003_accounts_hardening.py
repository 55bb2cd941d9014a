"""Accounts: a second factor for staff (TOTP secret and the last step used); failed
sign-ins are no longer counted on the account (they are throttled per client).

Revision ID: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ALTER TABLE (SQLite 3.35+ drops columns in place): recreating the table would
    # cascade through the foreign keys that point at it.
    op.add_column("users", sa.Column("totp_secret", sa.String(64), nullable=True))
    op.add_column("users", sa.Column("totp_step", sa.Integer(), nullable=True))
    op.drop_column("users", "failed_logins")
    # Lock-outs the old failure counter set are lifted: only an admin locks an account now.
    op.execute("UPDATE users SET locked_until = NULL")


def downgrade() -> None:
    op.add_column(
        "users", sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0")
    )
    op.drop_column("users", "totp_step")
    op.drop_column("users", "totp_secret")
