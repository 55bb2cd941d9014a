"""What holds the audit chain from outside the database: the key its events are signed
with, and the checkpoint file its head is copied to.

Someone who can write to the database but not read the key cannot recompute the chain
after changing an event; someone who also holds the key still cannot rewrite or cut what a
checkpoint already pinned. Both live outside the database on purpose (docs/cases.md,
"Audit chain: keys and checkpoints").

Settings, from the environment:

- ``TALENTVISA_ENV``: ``development`` (the default) or ``production``.
- ``TALENTVISA_AUDIT_KEY_FILE``: a file of keys, one a line; the first signs new events,
  the others still verify old ones (rotation). ``TALENTVISA_AUDIT_KEY`` gives one key
  instead. In development, with neither set, a key is generated into a file beside the
  documents directory; production refuses to start without one.
- ``TALENTVISA_AUDIT_CHECKPOINT``: the append-only checkpoint file; in development it
  defaults to a file beside the documents directory; production needs it set.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import secrets
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

MODE_ENV: Final = "TALENTVISA_ENV"
KEY_ENV: Final = "TALENTVISA_AUDIT_KEY"
KEY_FILE_ENV: Final = "TALENTVISA_AUDIT_KEY_FILE"
CHECKPOINT_ENV: Final = "TALENTVISA_AUDIT_CHECKPOINT"
DEV_KEY_FILE: Final = "talentvisa-audit.key"
DEV_CHECKPOINT_FILE: Final = "talentvisa-audit.checkpoints"
MIN_KEY_CHARS: Final = 32  # e.g. `openssl rand -hex 32` gives 64
_DOCS: Final = 'see docs/cases.md, "Audit chain: keys and checkpoints"'

log = logging.getLogger(__name__)


class AnchorError(Exception):
    """A key or checkpoint setting that cannot be used; the message says what to do."""


def production(environ: Mapping[str, str] = os.environ) -> bool:
    mode = environ.get(MODE_ENV, "development")
    if mode not in ("development", "production"):
        raise AnchorError(f"{MODE_ENV} must be development or production, not {mode!r}")
    return mode == "production"


@dataclass(frozen=True, slots=True)
class Key:
    id: str  # names the key in each event without revealing it
    secret: bytes = field(repr=False)

    @classmethod
    def from_text(cls, text: str, where: str) -> Key:
        if len(text) < MIN_KEY_CHARS:
            raise AnchorError(
                f"the audit key in {where} is {len(text)} characters; it needs at least "
                f"{MIN_KEY_CHARS} (make one with `openssl rand -hex 32`)"
            )
        secret = text.encode()
        ident = hmac.new(secret, b"talentvisa audit key id", hashlib.sha256).hexdigest()[:16]
        return cls(ident, secret)

    def sign(self, body: bytes) -> str:
        return hmac.new(self.secret, body, hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class Keyring:
    """The key new events are signed with first, then older keys that still verify."""

    keys: tuple[Key, ...]
    source: str  # where the keys came from, for messages (never the keys themselves)

    @property
    def signer(self) -> Key:
        return self.keys[0]

    def get(self, key_id: str) -> Key | None:
        return next((k for k in self.keys if k.id == key_id), None)


def _read_keys(path: Path, where: str) -> Keyring:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise AnchorError(f"cannot read the audit key file {path}: {exc.strerror}") from None
    keys = tuple(
        Key.from_text(line.strip(), where)
        for line in lines
        if line.strip() and not line.lstrip().startswith("#")
    )
    if not keys:
        raise AnchorError(f"the audit key file {path} holds no key ({_DOCS})")
    return Keyring(keys, where)


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """One line of a checkpoint file: the chain had ``events`` events ending in ``hash``."""

    events: int
    hash: str
    at: str
    where: str  # file and line, for messages


class CheckpointFile:
    """Append-only lines of JSON, one per committed transaction that added events.

    Lines are written after the commit (never for a change that rolled back) with one
    ``write`` on a file opened for appending, so writers in several processes do not
    interleave. They are not flushed to disk one by one: a line lost in a power cut only
    leaves the last events unpinned until the next one, and the database itself writes
    synchronously. Make the file append-only for the server's user (``chattr +a``) and
    keep copies elsewhere (``talentvisa audit checkpoint``).
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._made = False

    def append(self, events: int, head: str, at: dt.datetime) -> None:
        line = json.dumps({"events": events, "hash": head, "at": stamp(at)}) + "\n"
        if not self._made:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._made = True
        fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, line.encode())
        finally:
            os.close(fd)

    def check_writable(self) -> None:
        try:
            os.close(os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600))
        except OSError as exc:
            raise AnchorError(
                f"cannot append to the audit checkpoint file {self.path}: {exc.strerror} "
                f"(set {CHECKPOINT_ENV} to a file the server may append to)"
            ) from None

    def exists(self) -> bool:
        return self.path.exists()

    def read(self) -> Iterator[Checkpoint | str]:
        """Each line as a checkpoint, or as a description of why it is not one."""
        if not self.path.exists():
            return
        with self.path.open(encoding="utf-8", errors="replace") as f:
            for number, line in enumerate(f, 1):
                where = f"{self.path}:{number}"
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                    checkpoint = Checkpoint(
                        int(record["events"]), str(record["hash"]), str(record["at"]), where
                    )
                except (ValueError, KeyError, TypeError):
                    yield f"line {where} is not a checkpoint (it was edited, or the file is not one)"
                    continue
                yield checkpoint


class Anchors:
    """The keyring and checkpoint file one case store uses. In development the key file
    is made on first use, so a fresh checkout just works."""

    def __init__(
        self,
        checkpoint: CheckpointFile | None,
        keyring: Keyring | None = None,
        dev_key_file: Path | None = None,
    ) -> None:
        self.checkpoint = checkpoint
        self._keyring = keyring
        self._dev_key_file = dev_key_file
        self._lock = threading.Lock()

    def keyring(self, create: bool = True) -> Keyring | None:
        """The keys; None when none is set and ``create`` is false (verify never makes a
        key it would then fail every event with)."""
        if self._keyring is not None or self._dev_key_file is None:
            return self._keyring
        with self._lock:
            path = self._dev_key_file
            if self._keyring is None and (create or path.exists()):
                if not path.exists():
                    _create_key_file(path)
                self._keyring = _read_keys(path, f"the development key file {path}")
            return self._keyring


def _create_key_file(path: Path) -> None:
    """Write a new key atomically: a second process racing us reads the first's key."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{secrets.token_hex(4)}")
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        os.write(fd, (secrets.token_hex(32) + "\n").encode())
    finally:
        os.close(fd)
    try:
        os.link(partial, path)
    except FileExistsError:
        pass
    finally:
        partial.unlink()
    log.warning("made a development audit key at %s (production sets %s)", path, KEY_FILE_ENV)


def from_environment(data_dir: Path, environ: Mapping[str, str] = os.environ) -> Anchors:
    """The anchors the environment names; ``data_dir`` holds development defaults."""
    prod = production(environ)
    key_text, key_file = environ.get(KEY_ENV), environ.get(KEY_FILE_ENV)
    if key_text and key_file:
        raise AnchorError(f"set {KEY_FILE_ENV} or {KEY_ENV}, not both")
    keyring: Keyring | None = None
    dev_key: Path | None = None
    if key_file:
        keyring = _read_keys(Path(key_file), f"{KEY_FILE_ENV}={key_file}")
    elif key_text:
        keyring = Keyring((Key.from_text(key_text.strip(), KEY_ENV),), KEY_ENV)
    elif prod:
        raise AnchorError(
            f"{MODE_ENV}=production needs an audit key: set {KEY_FILE_ENV} to a file "
            f"holding one ({_DOCS})"
        )
    else:
        dev_key = data_dir / DEV_KEY_FILE
    checkpoint_path = environ.get(CHECKPOINT_ENV)
    if not checkpoint_path and prod:
        raise AnchorError(
            f"{MODE_ENV}=production needs an audit checkpoint file: set {CHECKPOINT_ENV} "
            f"to an append-only file outside the database's reach ({_DOCS})"
        )
    checkpoint = CheckpointFile(Path(checkpoint_path or data_dir / DEV_CHECKPOINT_FILE))
    if prod:
        checkpoint.check_writable()
    return Anchors(checkpoint, keyring, dev_key)


def stamp(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
