"""Hostile uploads get a clear refusal and leave stored data untouched."""

from __future__ import annotations

import io
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from talentvisa.casework import documents
from talentvisa.casework.service import Actor, CaseService, Invalid
from tests.casework.test_workflow import PDF


def png(width: int = 64, height: int = 48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def bomb() -> bytes:
    """A small PNG that claims 100,000 x 100,000 pixels."""
    import struct

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("kind", "name", "data", "message"),
    [
        ("photo", "me.png", b"", "the file is empty"),
        ("photo", "big.png", b"\x89PNG" + b"0" * (2 * 1024 * 1024), "at most 2 MB"),
        (
            "photo",
            "me.jpg",
            b"<script>alert(1)</script>",
            "neither a PDF nor a readable JPEG or PNG",
        ),
        ("photo", "cv.pdf", PDF, "the content is application/pdf, accepted: JPEG, PNG"),
        ("cv", "cv.png", png(), "the content is image/png, accepted: PDF"),
        ("cv", "cut.pdf", b"%PDF-1.4\n1 0 obj<<>>endobj\n", "not a complete PDF"),
        ("photo", "bomb.png", bomb(), "too many pixels"),
        ("photo", "anim.gif", b"GIF89a" + b"\0" * 30, "neither a PDF nor"),
        ("visa", "x.pdf", PDF, "unknown document kind 'visa'"),
    ],
)
def test_refused_uploads_say_why_and_store_nothing(
    service: CaseService,
    person: Callable[[str], Actor],
    tmp_path: Path,
    kind: str,
    name: str,
    data: bytes,
    message: str,
) -> None:
    applicant = person("applicant")
    app_id = service.create(applicant)
    with pytest.raises(Invalid, match=message):
        service.upload(applicant, app_id, kind, name, data)
    assert service.get(applicant, app_id)["documents"] == []
    assert not any(p.is_file() for p in (tmp_path / "documents").rglob("*"))


def test_a_polyglot_image_is_stored_without_its_payload(
    service: CaseService, person: Callable[[str], Actor], tmp_path: Path
) -> None:
    applicant = person("applicant")
    app_id = service.create(applicant)
    hidden = b"<html><script>steal()</script></html>PK\x03\x04zipped"
    doc_id = service.upload(applicant, app_id, "photo", "photo.png", png() + hidden)
    data, content_type, _ = service.download(applicant, doc_id)
    assert content_type == "image/png" and hidden not in data
    assert Image.open(io.BytesIO(data)).size == (64, 48)


def test_file_names_are_shown_never_used_as_paths(
    service: CaseService, person: Callable[[str], Actor], tmp_path: Path
) -> None:
    applicant = person("applicant")
    app_id = service.create(applicant)
    service.upload(applicant, app_id, "cv", "../../etc/passwd<script>.pdf", PDF)
    doc = service.get(applicant, app_id)["documents"][0]
    assert doc["name"] == "passwdscript.pdf"
    stored = [p for p in (tmp_path / "documents").rglob("*") if p.is_file()]
    assert [p.name for p in stored] == [doc["sha256"]]
    assert not (tmp_path / "etc").exists()


def test_the_same_bytes_are_stored_once(
    service: CaseService, person: Callable[[str], Actor], tmp_path: Path
) -> None:
    applicant = person("applicant")
    app_id = service.create(applicant)
    service.upload(applicant, app_id, "cv", "a.pdf", PDF)
    service.upload(applicant, app_id, "transcript", "b.pdf", PDF)
    assert len([p for p in (tmp_path / "documents").rglob("*") if p.is_file()]) == 1
    assert len(service.get(applicant, app_id)["documents"]) == 2


class Refuser:
    name = "test"

    def scan(self, data: bytes) -> str | None:
        return "EICAR test signature" if b"EICAR" in data else None


def test_a_scanner_plugs_in_behind_one_method() -> None:
    with pytest.raises(documents.Rejected, match="refused by the test scanner: EICAR"):
        documents.check("cv", "x.pdf", PDF.replace(b"1 0 obj", b"EICAR 1 0 obj"), Refuser())
    assert documents.check("cv", "x.pdf", PDF, Refuser()).content_type == "application/pdf"
