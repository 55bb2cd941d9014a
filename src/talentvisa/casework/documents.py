"""Uploaded evidence: checked by content, never by name, and stored by its SHA-256.

Each kind of document has the types it accepts and a size limit. PDFs must begin with the
PDF header and end with its trailer, and are rewritten by qpdf with every script, automatic
action and embedded file removed (web pages and ZIP polyglots are refused); images are opened with Pillow under a pixel limit
(decompression bombs are refused), verified, and re-encoded, which drops anything hidden
after the image (polyglots) and every metadata block. Files live under the storage
directory, named by hash, outside any web root; the uploaded name is only displayed.
"""

from __future__ import annotations

import hashlib
import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Protocol

from talentvisa.messages import N_

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
    data: bytes  # what is stored: the rewritten PDF, or the re-encoded image
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
    if scanner is not None:  # what was sent, before anything of it is opened
        _scan(scanner, data)
    if data.startswith(b"%PDF-"):
        content_type, stored = "application/pdf", _pdf(data)
    else:
        content_type, stored = _image(data)
    if content_type not in spec.types:
        allowed = ", ".join(sorted(t.split("/")[1].upper() for t in spec.types))
        raise Rejected(f"{spec.title}: the content is {content_type}, accepted: {allowed}")
    if scanner is not None and stored != data:
        _scan(scanner, stored)
    return Checked(stored, content_type, hashlib.sha256(stored).hexdigest(), display_name(filename))


# Actions a reader takes only when the person clicks, and that stay inside the document or
# open a web page; every other action (JavaScript, Launch, GoToE/GoToR, SubmitForm,
# ImportData, Rendition...) is removed, with every automatic trigger (OpenAction, AA).
SAFE_ACTIONS: Final = frozenset({"/GoTo", "/Named", "/Thread", "/URI"})
SAFE_SCHEMES: Final = (b"http://", b"https://", b"mailto:")
# Annotations that carry files or media a reader may play or open.
MEDIA_ANNOTS: Final = frozenset({"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia"})
# Keys that must be gone from every object of the stored file; a check after the rewrite.
ACTIVE_KEYS: Final = frozenset({"/JS", "/JavaScript", "/AA", "/OpenAction", "/EF", "/XFA"})
# The start of a web page, which a browser that sniffs would render instead of the PDF.
HTML_MARKS: Final = (b"<html", b"<!doctype", b"<script", b"<body", b"<iframe", b"<svg")

# What the applicant is told; catalogue entries, so they are said in both languages.
NOT_COMPLETE: Final = N_("This is not a complete PDF: it has no end-of-file marker.")
NOT_READABLE: Final = N_("This PDF cannot be read; save it again from the program that made it.")
ENCRYPTED: Final = N_("This PDF is protected by a password; upload it without the password.")
NO_PAGES: Final = N_("This PDF has no pages.")
HTML_BODY: Final = N_("This file is a web page (HTML) named as a PDF; upload the PDF itself.")
POLYGLOT: Final = N_(
    "This PDF is also a ZIP archive (a file hidden inside); upload a plain PDF instead."
)
STILL_ACTIVE: Final = N_(
    "This PDF has scripts or embedded files we could not remove; print it to a new PDF and"
    " upload that."
)


def _scan(scanner: Scanner, data: bytes) -> None:
    reason = scanner.scan(data)
    if reason is not None:
        raise Rejected(f"refused by the {scanner.name} scanner: {reason}")


def _pdf(data: bytes) -> bytes:
    """The PDF rewritten by qpdf (pikepdf): only the objects the document uses, with
    scripts, automatic and launching actions, embedded files and media removed. Whatever
    sat between or after the objects (an appended archive, a web page) is not copied."""
    import pikepdf

    if b"%%EOF" not in data[-1024:]:
        raise Rejected(NOT_COMPLETE)
    if _holds_zip(data):
        raise Rejected(POLYGLOT)
    if any(mark in data[:1024].lower() for mark in HTML_MARKS):
        raise Rejected(HTML_BODY)
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            if len(pdf.pages) == 0:
                raise Rejected(NO_PAGES)
            _deactivate(pdf)
            out = io.BytesIO()
            pdf.save(
                out,
                encryption=False,
                deterministic_id=True,  # the same upload is stored once
                compress_streams=True,
                stream_decode_level=pikepdf.StreamDecodeLevel.none,  # never inflate a bomb
            )
    except pikepdf.PasswordError:
        raise Rejected(ENCRYPTED) from None
    except pikepdf.PdfError:
        raise Rejected(NOT_READABLE) from None
    stored = out.getvalue()
    if _holds_zip(stored):
        raise Rejected(POLYGLOT)
    if any(mark in stored.lower() for mark in HTML_MARKS[:3]):
        raise Rejected(HTML_BODY)
    with pikepdf.open(io.BytesIO(stored)) as check:
        if any(_active(obj) for obj in _dictionaries(check)):
            raise Rejected(STILL_ACTIVE)
    return stored


def _holds_zip(data: bytes) -> bool:
    """A ZIP archive anywhere in the bytes: one a ZIP reader finds from the end, or the
    three records every archive has (local file, central directory, end), which together
    do not turn up by chance in compressed data."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        return True
    return all(record in data for record in (b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"))


def _dictionaries(pdf: Any) -> Iterator[Any]:
    """Every dictionary in the file, indirect or nested, each once; iterative, so a deeply
    nested file cannot exhaust the stack."""
    import pikepdf

    seen: set[tuple[int, int]] = set()
    stack: list[Any] = list(pdf.objects)
    while stack:
        obj = stack.pop()
        if not isinstance(obj, pikepdf.Dictionary | pikepdf.Stream | pikepdf.Array):
            continue  # numbers, names, strings: nothing to look inside
        if obj.is_indirect:
            if obj.objgen in seen:
                continue
            seen.add(obj.objgen)
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            yield obj
            stack.extend(obj.values())
        elif isinstance(obj, pikepdf.Array):
            stack.extend(obj)


def _unsafe(action: Any) -> bool:
    import pikepdf

    if not isinstance(action, pikepdf.Dictionary):
        return True
    kind = str(action.get("/S", ""))
    if kind not in SAFE_ACTIONS:
        return True
    uri = action.get("/URI")
    raw = bytes(uri) if isinstance(uri, pikepdf.String) else b""
    return kind == "/URI" and not raw.lower().startswith(SAFE_SCHEMES)


def _deactivate(pdf: Any) -> None:
    import pikepdf

    for obj in list(_dictionaries(pdf)):
        for key in ("/OpenAction", "/AA", "/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA"):
            if key in obj:
                del obj[key]
        for key in ("/A", "/PA", "/Next"):
            if key in obj and (key == "/Next" or _unsafe(obj[key])):
                del obj[key]
        annots = obj.get("/Annots")
        if isinstance(annots, pikepdf.Array):
            kept = [a for a in annots if str(a.get("/Subtype", "")) not in MEDIA_ANNOTS]
            if len(kept) != len(annots):
                obj["/Annots"] = pikepdf.Array(kept)


def _active(obj: Any) -> bool:
    if any(key in obj for key in ACTIVE_KEYS):
        return True
    return any(key in obj and _unsafe(obj[key]) for key in ("/A", "/PA"))


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
