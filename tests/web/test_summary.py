"""The results page opens with a plain summary; a printable page and a PDF of it; the
comparison shows single values where the profile decides them and the published times."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader

from talentvisa.inputs import load_profile
from talentvisa.rules.loader import builtin_programs
from talentvisa.summary import processing_table
from talentvisa.web import state

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
BEFORE_LAPSE = "2026-06-01"  # the $100,000 proclamation is in its first 12-month term
AFTER_LAPSE = "2026-12-01"  # its extension past 21 September 2026 is unconfirmed


@pytest.fixture(scope="module")
def engineer() -> str:
    """The Indian engineer with a US offer, as the link the interview ends on carries it."""
    profile = load_profile(EXAMPLES / "india-h1b.yaml")
    return state.encode(profile.model_dump(mode="json", exclude_none=True))


def _plain(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _section(page: str, start: str, end: str) -> str:
    text = _plain(page)
    return text[text.index(start) : text.index(end, text.index(start))]


def test_the_summary_says_what_is_open_and_what_it_costs_in_your_currency(
    client: TestClient, engineer: str
) -> None:
    page = client.get(f"/results?p={engineer}&as_of={BEFORE_LAPSE}&lang=en").text
    summary = _section(page, "In short", "Each programme in detail")
    open_now = _section(page, "Open to you now", "Could open")
    assert "K visa" in open_now and "H-1B" not in open_now
    could = _section(page, "Could open", "Not open to you")
    # Living in India: rupees first, the published dollar figure beside it; one value.
    assert "Your employer pays: INR 9,788,587 (USD 103,595)" in could
    assert "up to" not in could.split("H-1B", 1)[1].split("Time to a decision")[0]
    assert "Lottery: 30.58% chance of selection" in could
    assert "An officer decides:" in could  # what it would take: the officer's judgement
    assert "Reach German A2 (about 12 months)" in could  # a change that opens a door
    assert "Rules last verified against their sources on 2026-12-01." in summary
    assert "EU Blue Card" in _section(page, "Not open to you", "Printable summary")


def test_the_summary_in_chinese_and_in_a_chosen_currency(client: TestClient, engineer: str) -> None:
    page = client.get(f"/results?p={engineer}&as_of={BEFORE_LAPSE}&currency=USD&lang=zh").text
    text = _plain(page)
    assert "简要结论" in text and "现在即可申请" in text and "有可能申请" in text
    assert "雇主支付: USD 103,595" in text
    assert "规则最近一次与来源核对的日期：2026-12-01。" in text


def test_a_cost_that_may_be_due_says_why(client: TestClient, engineer: str) -> None:
    page = client.get(f"/results?p={engineer}&as_of={AFTER_LAPSE}&currency=USD").text
    could = _section(page, "Could open", "Not open to you")
    assert "USD 3,595; up to USD 103,595 if the fees that may be due are charged" in could
    assert "rests on a reading of the sources that is unconfirmed" in could


def test_an_unknown_currency_is_a_400_page(client: TestClient, engineer: str) -> None:
    response = client.get(f"/results?p={engineer}&currency=XYZ")
    assert response.status_code == 400 and "no exchange rate for XYZ" in response.text


def test_the_results_page_links_the_printable_summary_and_its_pdf(
    client: TestClient, engineer: str
) -> None:
    page = client.get(f"/results?p={engineer}&as_of={BEFORE_LAPSE}").text
    assert f'href="/results/summary?p={engineer}&amp;as_of={BEFORE_LAPSE}' in page
    assert f'href="/results/summary.pdf?p={engineer}&amp;as_of={BEFORE_LAPSE}' in page
    assert f'href="/compare?p={engineer}&amp;as_of={BEFORE_LAPSE}"' in page


def test_the_printable_summary_cites_its_sources(client: TestClient, engineer: str) -> None:
    page = client.get(f"/results/summary?p={engineer}&as_of={BEFORE_LAPSE}&lang=en").text
    assert "@media print" in page and "/fonts/NotoSansSC-Regular.subset.woff" in page
    text = _plain(page)
    assert "Your visa options in short" in text and "Sources" in text
    assert "https://www.govinfo.gov/" in page  # the proclamation behind the H-1B payment
    assert "UPD-G08" in text  # the embassy page behind the Opportunity Card's 12 weeks


@pytest.mark.parametrize(
    ("lang", "phrases"),
    [
        ("en", ["Your visa options in short", "Open to you now", "USD 103,595", "Sources"]),
        ("zh", ["你的签证选择概要", "现在即可申请", "K字签证", "USD 103,595", "来源"]),
    ],
)
def test_the_summary_pdf_in_both_languages(
    client: TestClient, engineer: str, lang: str, phrases: list[str]
) -> None:
    url = f"/results/summary.pdf?p={engineer}&as_of={BEFORE_LAPSE}&currency=INR&lang={lang}"
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    assert response.headers["content-type"] == "application/pdf"
    assert f"-{lang}.pdf" in response.headers["content-disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = "".join(p.extract_text() for p in reader.pages).replace("\n", "")
    for phrase in phrases:
        assert phrase in text, phrase
    fonts = {
        str(f.get_object()["/BaseFont"]).split("+", 1)[-1]
        for p in reader.pages
        for f in p["/Resources"]["/Font"].values()
    }
    assert fonts <= {"TV-Noto-Sans-SC", "TV-Noto-Sans-SC-Bold"}  # no system font needed


def test_the_pages_get_the_shipped_font(client: TestClient) -> None:
    assert 'href="/static/fonts.css"' in client.get("/?lang=zh").text
    css = client.get("/static/fonts.css").text
    assert '"TV Noto Sans SC"' in css and "/fonts/NotoSansSC-Bold.subset.woff" in css
    font = client.get("/fonts/NotoSansSC-Regular.subset.woff")
    assert font.status_code == 200 and font.headers["content-type"] == "font/woff"
    assert font.content[:4] == b"wOFF"
    assert "SIL OPEN FONT LICENSE" in client.get("/fonts/OFL.txt").text
    assert client.get("/fonts/..%2Fprocessing.yaml").status_code == 404


def _compare_row(page: str, name: str) -> str:
    body = page[page.index("<tbody>") : page.index("</tbody>")]
    # the row whose heading names the programme (other rows may name it as the one they beat)
    (row,) = [r for r in body.split("<tr>") if name in r.split("</th>", 1)[0]]
    return _plain(row)


def test_the_comparison_shows_one_employer_cost_and_one_lottery_chance(
    client: TestClient, engineer: str
) -> None:
    """As ``talentvisa compare examples/india-h1b.yaml --as-of 2026-06-01`` says."""
    page = client.get(f"/compare?p={engineer}&as_of={BEFORE_LAPSE}").text
    row = _compare_row(page, "H-1B specialty occupation")
    assert "USD 103,595" in row and "–103,595" not in row
    assert "30.58%" in row and "%–" not in row
    # other programmes' ranges may be explained, never the H-1B's
    if "Why some costs are a range" in page:
        assert "H-1B" not in _section(page, "Why some costs are a range", "Most each option")


def test_the_comparison_explains_a_range_the_sources_leave_open(
    client: TestClient, engineer: str
) -> None:
    page = client.get(f"/compare?p={engineer}&as_of={AFTER_LAPSE}").text
    assert "USD 3,595–103,595" in _compare_row(page, "H-1B specialty occupation")
    ranges = _section(page, "Why some costs are a range", "Most each option")
    assert "H-1B" in ranges and "unconfirmed" in ranges and "USD 100,000" in ranges


def test_the_comparison_shows_published_processing_times(client: TestClient, engineer: str) -> None:
    page = client.get(f"/compare?p={engineer}&as_of={BEFORE_LAPSE}").text
    card = _compare_row(page, "Opportunity Card")
    assert "up to 12 weeks official" in card
    h1b = _compare_row(page, "H-1B specialty occupation")
    assert "6–9 months unconfirmed" in h1b and "up to 15 business days" in h1b
    assert "not published" in _compare_row(page, "K visa")
    zh = client.get(f"/compare?p={engineer}&as_of={BEFORE_LAPSE}&lang=zh").text
    assert "最长12周 官方" in _compare_row(zh, "机会卡")


def test_every_programme_says_what_processing_time_is_published() -> None:
    """So "not published" is a checked statement, not a gap in the data."""
    table = processing_table()
    assert set(table.programs) == set(builtin_programs())
    for entry in table.programs.values():
        assert entry.times or entry.note is not None


@pytest.mark.parametrize(
    ("lang", "rupee"), [("en", "Indian Rupee (INR)"), ("zh", "印度卢比 (INR)")]
)
def test_currencies_are_offered_by_name(
    client: TestClient, engineer: str, lang: str, rupee: str
) -> None:
    for page in ("/results", "/compare"):
        html = client.get(f"{page}?p={engineer}&lang={lang}").text
        assert f">{rupee}</option>" in html, page
