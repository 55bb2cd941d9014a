"""Where the case store lives: SQLite (WAL) by default, PostgreSQL through DATABASE_URL.

Schema changes go through Alembic only (``talentvisa db upgrade``); the app never creates
tables behind the migrations' back.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL: Final = "sqlite:///talentvisa-cases.db"
_UPGRADE: Final = "run `talentvisa db upgrade` first"


class StoreError(Exception):
    """The case store cannot be used as it is; the message says what to do."""


class NotMigrated(StoreError):
    """The store's tables are missing (``revision`` None) or older than this code."""

    def __init__(self, message: str, revision: str | None) -> None:
        super().__init__(message)
        self.revision = revision


def database_url() -> str:
    return os.environ.get("DATABASE_URL", DEFAULT_URL)


def describe(url: str | None = None) -> str:
    """The URL as messages may show it: never the password."""
    url = url or database_url()
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return url.split(":", 1)[0] + ":…"


def make_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    try:
        make_url(url).get_dialect()
    except (ArgumentError, ValueError):  # unparsable, or a database we have no driver for
        raise StoreError(
            f"DATABASE_URL {describe(url)} is not a case store URL: use sqlite:///PATH or "
            "postgresql://USER@HOST/NAME"
        ) from None
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=40)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Let SQLAlchemy, not the driver, start transactions, so BEGIN IMMEDIATE below holds.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # an acknowledged write survives a crash
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin_immediate(connection: Any) -> None:
    """Take the write lock at the start: read-then-write transactions never deadlock."""
    connection.exec_driver_sql("BEGIN IMMEDIATE")


def sessions(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def alembic_config(url: str | None = None) -> Any:
    from alembic.config import Config

    config = Config()
    config.set_main_option(
        "script_location", str(Path(str(resources.files("talentvisa.casework") / "migrations")))
    )
    config.set_main_option("sqlalchemy.url", (url or database_url()).replace("%", "%%"))
    return config


def upgrade(url: str | None = None) -> None:
    """Bring the schema to the newest migration (idempotent)."""
    from alembic import command

    engine = make_engine(url)
    try:
        reachable(engine)
    finally:
        engine.dispose()
    command.upgrade(alembic_config(url), "head")


def reachable(engine: Engine) -> None:
    """Connect once, so an unreachable server or unwritable path is one clear line."""
    try:
        with engine.connect():
            pass
    except DBAPIError as exc:
        where = engine.url.render_as_string(hide_password=True)
        raise StoreError(f"cannot open the case store at {where}: {_first_line(exc)}") from None


def require_current(engine: Engine) -> None:
    """Refuse a store whose tables are missing or older than this code, before a command
    fails half-way on it (and without creating an empty SQLite file on the way)."""
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    where = engine.url.render_as_string(hide_password=True)
    path = engine.url.database
    sqlite_file = engine.dialect.name == "sqlite" and path and path != ":memory:"
    if sqlite_file and not Path(str(path)).exists():
        raise NotMigrated(f"there is no case store at {path}: {_UPGRADE}", None)
    reachable(engine)
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if current is None:
        raise NotMigrated(f"the case store at {where} has no tables yet: {_UPGRADE}", None)
    if current != head:
        raise NotMigrated(
            f"the case store at {where} is at migration {current} and this talentvisa "
            f"needs {head}: {_UPGRADE}",
            current,
        )


def problem(exc: SQLAlchemyError, url: str | None = None) -> str:
    """A database error in one line: the driver's first line, never the statement or
    its parameters (which may hold a password's hash)."""
    return (
        f"the case store at {describe(url)} refused the command ({_first_line(exc)}); "
        "if it is not up to date, run `talentvisa db upgrade`"
    )


def _first_line(exc: SQLAlchemyError) -> str:
    lines = str(exc.orig if isinstance(exc, DBAPIError) else exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__
