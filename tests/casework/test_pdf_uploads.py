"""PDFs are rewritten on upload: what officers open has no scripts, automatic or launching
actions, or embedded files; web pages dressed as PDFs and PDF+ZIP polyglots are refused,
in the reader's language. The test files are made with pikepdf in tests/casework/pdfs.py."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from talentvisa.casework.service import Actor, CaseService, Invalid
from talentvisa.web.app import create_app
from tests.casework import pdfs
from tests.casework.test_api import signed_in

ACTIVE = ("/JS", "/JavaScript", "/OpenAction", "/AA", "/EmbeddedFiles", "/EF", "/Launch")


def _everything(pdf: pikepdf.Pdf) -> str:
    """Every object of the file, written out: what a reader would find in it."""
    return "\n".join(repr(obj) for obj in pdf.objects)


def test_a_pdf_with_scripts_is_stored_without_them(
    service: CaseService, person: Callable[[str], Actor]
) -> None:
    applicant = person("applicant")
    app_id = service.create(applicant)
    sent = pdfs.scripted()
    with pikepdf.open(io.BytesIO(sent)) as before:  # the test file has what it should
        assert all(key in _everything(before) for key in ACTIVE)
    doc_id = service.upload(applicant, app_id, "cv", "cv.pdf", sent)
    stored, content_type, _ = service.download(applicant, doc_id)
    assert content_type == "application/pdf" and stored != sent
    with pikepdf.open(io.BytesIO(stored)) as after:
        found = _everything(after)
        assert not [key for key in ACTIVE if key in found], found
        assert "/FileAttachment" not in found and "setup.exe" not in found
        assert len(after.pages) == 1
        links = [str(a.A.URI) for a in after.pages[0].Annots if "/A" in a]
        assert links == ["https://example.org/publications"]  # a plain link stays
    doc = service.get(applicant, app_id)["documents"][0]
    assert doc["sha256"] == hashlib.sha256(stored).hexdigest() and doc["size"] == len(stored)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (pdfs.html_body, r"a web page \(HTML\)"),
        (pdfs.zip_appended, "also a ZIP archive"),
        (pdfs.zip_inside, "also a ZIP archive"),
        (pdfs.encrypted, "protected by a password"),
    ],
    ids=["html", "zip-appended", "zip-inside", "encrypted"],
)
def test_web_pages_polyglots_and_locked_pdfs_are_refused_and_nothing_stored(
    service: CaseService,
    person: Callable[[str], Actor],
    tmp_path: Path,
    make: Callable[[], bytes],
    message: str,
) -> None:
    applicant = person("applicant")
    app_id = service.create(applicant)
    with pytest.raises(Invalid, match=message):
        service.upload(applicant, app_id, "cv", "cv.pdf", make())
    assert service.get(applicant, app_id)["documents"] == []
    assert not any(p.is_file() for p in (tmp_path / "documents").rglob("*"))


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "This PDF is also a ZIP archive"), ("zh", "此PDF同时是ZIP压缩包")],
)
def test_the_refusal_is_said_in_the_readers_language(
    service: CaseService, lang: str, words: str
) -> None:
    app: Any = create_app(service)
    c, h = signed_in(app, service)
    app_id = c.post("/api/v1/cases/applications", headers=h).json()["id"]
    polyglot = ("cv.pdf", io.BytesIO(pdfs.zip_inside()), "application/pdf")
    r = c.post(
        f"/cases/{app_id}/documents?lang={lang}",
        data={"csrf_token": h["X-CSRF-Token"], "kind": "cv"},
        files={"file": polyglot},
    )
    assert r.status_code == 422 and words in r.text, r.text[-600:]
    polyglot[1].seek(0)
    r = c.post(
        f"/api/v1/cases/applications/{app_id}/documents",
        headers={**h, "Accept-Language": lang},
        data={"kind": "cv"},
        files={"file": polyglot},
    )
    assert r.status_code == 422 and words in r.json()["detail"]
