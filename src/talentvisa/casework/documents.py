"""Uploaded evidence: checked by content, never by name, and stored by its SHA-256.

Each kind of document has the types it accepts and a size limit. PDFs must begin with the
PDF header and end with its trailer; images are opened with Pillow under a pixel limit
(decompression bombs are refused), verified, and re-encoded, which drops anything hidden
after the image (polyglots) and every metadata block. Files live under the storage
directory, named by hash, outside any web root; the uploaded name is only displayed.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Final, Protocol

MB: Final = 1024 * 1024
MAX_PIXELS: Final = 40_000_000  # a 40-megapixel scan is plenty; a bomb is far larger


@dataclass(frozen=True, slots=True)
class Kind:
    title: str
    types: frozenset[str]
    max_bytes: int


KINDS: Final = {
    "passport_scan": Kind(
        "Passport scan", frozenset({"application/pdf", "image/jpeg", "image/png"}), 5 * MB
    ),
    "photo": Kind("Photo", frozenset({"image/jpeg", "image/png"}), 2 * MB),
    "degree_certificate": Kind(
        "Degree certificate", frozenset({"application/pdf", "image/jpeg", "image/png"}), 10 * MB
    ),
    "transcript": Kind(
        "Transcript", frozenset({"application/pdf", "image/jpeg", "image/png"}), 10 * MB
    ),
    "cv": Kind("CV", frozenset({"application/pdf"}), 5 * MB),
    "stem_proof": Kind(
        "Proof of STEM teaching or research",
        frozenset({"application/pdf", "image/jpeg", "image/png"}),
        10 * MB,
    ),
}


class Rejected(ValueError):
    """The upload is refused; the message says why, for the person who sent it."""


class Scanner(Protocol):
    """A virus scanner behind one method; returns a reason to refuse, or None."""

    name: str

    def scan(self, data: bytes) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Checked:
    data: bytes  # what is stored: the PDF as sent, or the re-encoded image
    content_type: str
    sha256: str
    display_name: str


def check(kind: str, filename: str, data: bytes, scanner: Scanner | None = None) -> Checked:
    spec = KINDS.get(kind)
    if spec is None:
        raise Rejected(f"unknown document kind {kind!r}; known: {', '.join(KINDS)}")
    if not data:
        raise Rejected("the file is empty")
    if len(data) > spec.max_bytes:
        raise Rejected(f"{spec.title}: at most {spec.max_bytes // MB} MB")
    if data.startswith(b"%PDF-"):
        content_type, stored = "application/pdf", _pdf(data)
    else:
        content_type, stored = _image(data)
    if content_type not in spec.types:
        allowed = ", ".join(sorted(t.split("/")[1].upper() for t in spec.types))
        raise Rejected(f"{spec.title}: the content is {content_type}, accepted: {allowed}")
    if scanner is not None:
        reason = scanner.scan(stored)
        if reason is not None:
            raise Rejected(f"refused by the {scanner.name} scanner: {reason}")
    return Checked(stored, content_type, hashlib.sha256(stored).hexdigest(), display_name(filename))


def _pdf(data: bytes) -> bytes:
    if b"%%EOF" not in data[-1024:]:
        raise Rejected("this is not a complete PDF (no end-of-file marker)")
    return data


def _image(data: bytes) -> tuple[str, bytes]:
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as probe:
            fmt = probe.format
            if fmt not in ("JPEG", "PNG"):
                raise Rejected(f"{fmt or 'this'} files are not accepted; send PDF, JPEG or PNG")
            if probe.width * probe.height > MAX_PIXELS:
                raise Rejected("the image has too many pixels")
            probe.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            clean = image.convert("RGB") if fmt == "JPEG" else image.copy()
            out = io.BytesIO()
            clean.save(out, format=fmt, **({"quality": 90} if fmt == "JPEG" else {}))
    except Rejected:
        raise
    except Image.DecompressionBombError:
        raise Rejected("the image would expand to too many pixels") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Rejected("the file is neither a PDF nor a readable JPEG or PNG image") from None
    return ("image/jpeg" if fmt == "JPEG" else "image/png"), out.getvalue()


def display_name(filename: str) -> str:
    """A short, printable name for lists; never a path."""
    name = unicodedata.normalize("NFC", filename).replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[\x00-\x1f\x7f<>\"'`]", "", name).strip(" .") or "document"
    return name[:120]


class Store:
    """Content-addressed files: the same bytes are stored once, under their hash."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def path(self, sha256: str) -> Path:
        if not re.fullmatch(r"[0-9a-f]{64}", sha256):
            raise ValueError("not a SHA-256 hex digest")
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put(self, checked: Checked) -> None:
        target = self.path(checked.sha256)
        if target.exists():
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(".part")
        partial.write_bytes(checked.data)
        partial.replace(target)  # atomic: a reader never sees half a file

    def get(self, sha256: str) -> bytes:
        data = self.path(sha256).read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            raise ValueError(f"stored file {sha256} is corrupt")
        return data

    def delete(self, sha256: str) -> None:
        self.path(sha256).unlink(missing_ok=True)
