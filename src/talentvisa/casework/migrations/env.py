"""Alembic environment: migrations run against the URL ``talentvisa db upgrade`` gives."""

from __future__ import annotations

from alembic import context

from talentvisa.casework.db import make_engine
from talentvisa.casework.models import Base

config = context.config
engine = make_engine(config.get_main_option("sqlalchemy.url"))
with engine.connect() as connection:
    context.configure(connection=connection, target_metadata=Base.metadata)
    with context.begin_transaction():
        context.run_migrations()
engine.dispose()
