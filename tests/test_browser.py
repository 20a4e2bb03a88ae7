"""The staff's workflow in a real browser (headless Chromium driven by Playwright).

Run with ``pytest -m browser``; needs the Debian ``chromium`` package (``make test`` installs
it) and ``playwright`` from requirements-dev.txt. Screenshots of the main screens are saved
under tests/artifacts/ for a look by eye.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import parse_qs, quote, urlparse

import pytest
from conftest import FIXTURES, NOTICE, ROOT, pasted_paragraph
from playwright.sync_api import expect
from uiserver import running_ui

from search.index.ingest import build

pytestmark = pytest.mark.browser

CHROMIUM = os.environ.get("TRACUU_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
DESKTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
YEAR_2024 = {"luat_mau.txt", "ubnd_plan_pipetable.txt", "xss_and_junk.txt"}


@pytest.fixture(scope="module")
def server(fixture_index):
    corpus = fixture_index.parent / "corpus"
    env = {"TRACUU_UPLOAD_PASSWORD": "", "TRACUU_AUTH": ""}
    with running_ui(fixture_index, extra=["--corpus", str(corpus)], env=env) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    expect.set_options(timeout=30_000)
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (make test does it)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield b
        b.close()


def open_page(browser, url: str, viewport=DESKTOP, **kwargs):
    ctx = browser.new_context(viewport=viewport, locale="vi-VN", accept_downloads=True, **kwargs)
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=url.rstrip("/"))
    page = ctx.new_page()
    page.dialogs = []  # any alert() would mean document text ran as code
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.set_default_timeout(30_000)
    return page


@pytest.fixture
def page(browser, server):
    page = open_page(browser, server)
    page.goto(server)
    page.wait_for_selector("#tc-query input, #tc-query textarea")
    yield page
    page.context.close()


def query_box(page):
    return page.locator("#tc-query input, #tc-query textarea").first


def wait_searched(page, query: str) -> None:
    """The whole chain is done when the address bar shows the query (its last step)."""
    page.wait_for_url(lambda u: parse_qs(urlparse(u).query).get("q") == [query])
    page.wait_for_selector("#tc-results .tc-card, #tc-no-answer")


def search(page, query: str) -> None:
    box = query_box(page)
    box.fill(query)
    box.press("Enter")
    wait_searched(page, query)


def shot(page, name: str, *, full: bool = False) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def no_overflow(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_search_copy_and_context(page):
    shot(page, "desktop_home")
    search(page, "thùng phân loại rác")
    assert "kết quả" in page.inner_text("#tc-status") and " ms" in page.inner_text("#tc-status")
    card = page.locator("#tc-results .tc-card").first
    citation = card.locator(".tc-cite").inner_text()
    assert "12/KH-UBND" in citation
    shot(page, "desktop_results")

    card.get_by_role("button", name="Sao chép trích dẫn").click()
    page.wait_for_function("c => window.__tracuuLastCopied === c", arg=citation, polling=100)
    assert page.evaluate("() => navigator.clipboard.readText()") == citation
    card.get_by_role("button", name="Sao chép đoạn + trích dẫn").click()
    page.wait_for_function(
        "() => (window.__tracuuLastCopied || '').startsWith('Theo ')", polling=100
    )
    quote_text = page.evaluate("() => navigator.clipboard.readText()")
    assert quote_text.startswith(f'Theo {citation}: "') and quote_text.endswith('"')

    card.get_by_role("button", name="Xem trong văn bản").click()
    dialog = page.locator(".tc-ctx-overlay:not([hidden]) .tc-ctx")
    dialog.wait_for()
    assert "Kế hoạch" in dialog.locator(".tc-ctx-meta").inner_text()
    assert dialog.locator("table th").count() >= 3  # the table with its header
    target = dialog.locator(".tc-ctx-target")
    assert target.count() == 1 and target.locator("mark").count() >= 1
    assert target.is_visible() and target.bounding_box()["y"] < DESKTOP["height"]
    shot(page, "desktop_context_table")
    dialog.get_by_role("button", name="Đóng").click()
    page.wait_for_selector(".tc-ctx-overlay", state="hidden")
    # Keyboard users land back on the button that opened the dialog.
    assert page.evaluate("() => document.activeElement.classList.contains('tc-ctx-open')")


def test_filter_by_year_with_counts(page):
    search(page, "kinh phí")
    page.locator("#tc-filters > button.label-wrap").click()
    page.locator("#tc-year input").click()
    option = page.locator("[role=option]", has_text="2024 (")
    option.first.wait_for()
    shot(page, "desktop_filters")
    option.first.click()
    expect(page.locator("#tc-status")).to_contain_text("đang lọc: năm 2024")
    page.wait_for_selector("#tc-results .tc-card")
    metas = page.locator("#tc-results .tc-meta").all_inner_texts()
    assert metas and all(m.split(" · ")[0] in YEAR_2024 for m in metas)


def test_no_answer_message(page):
    search(page, "tuyến đường sắt ra cảng cá")
    box = page.locator("#tc-no-answer")
    assert "Không tìm thấy nội dung phù hợp" in box.inner_text() and "“sắt”" in box.inner_text()
    assert page.locator("#tc-answer").count() == 0
    # A year no passage near the query is of: the box says so.
    search(page, "máy bơm chữa cháy rừng năm 2019")
    expect(page.locator("#tc-no-answer")).to_contain_text("không phải năm 2019")


def test_export_selected_results_as_docx(page, tmp_path):
    from docx import Document

    search(page, "trạm đọc sách cộng đồng")
    cards = page.locator("#tc-results .tc-card")
    picked = [cards.nth(1), cards.nth(2)]
    for card in picked:
        card.locator("input[data-pick]").check()
    expect(page.locator("#tc-export-note")).to_contain_text("Sẽ xuất 2 kết quả đã chọn")
    with page.expect_download() as info:
        page.locator("#tc-export-docx").click()
    download = info.value
    assert download.suggested_filename.endswith(".docx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    doc = Document(str(path))
    assert "trạm đọc sách cộng đồng" in doc.paragraphs[0].text
    bold = [r.text for p in doc.paragraphs for r in p.runs if r.bold]
    assert bold == [c.locator(".tc-cite").inner_text() for c in picked]
    with page.expect_download() as info:
        page.locator("#tc-export-md").click()
    md = Path(info.value.path()).read_text(encoding="utf-8")
    assert md.startswith("# Kết quả tra cứu") and md.count("**") == 4


def test_document_text_with_markup_renders_as_text(page):
    search(page, "số điện thoại đăng ký tiếp công dân")
    card = page.locator("#tc-results .tc-card", has_text="0290.3 123 456").first
    text = card.locator(".tc-text").inner_text()
    assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(2)>" in text
    card.get_by_role("button", name="Xem trong văn bản").click()
    page.locator(".tc-ctx-overlay:not([hidden])").wait_for()
    assert "<img src=x onerror=alert(2)>" in page.locator(".tc-ctx-target").inner_text()
    page.wait_for_timeout(500)  # give an injected handler time to fire, if there were one
    created = page.evaluate(
        "() => document.querySelectorAll("
        "'#tc-results img, #tc-context img, #tc-results script, #tc-context script, "
        "#tc-results a[href^=javascript], #tc-context a[href^=javascript]').length"
    )
    assert created == 0 and page.dialogs == []
    shot(page, "desktop_xss_context")


def test_query_in_the_address_bar_and_timeline(browser, server):
    page = open_page(browser, server)
    query = "trạm đọc sách cộng đồng hỗ trợ kinh phí"
    page.goto(f"{server}?q={quote(query)}")
    wait_searched(page, query)
    assert query_box(page).input_value() == query
    timeline = page.locator("#tc-timeline-box")
    assert "Tiến độ qua các văn bản" in timeline.inner_text()
    whens = timeline.locator(".tc-tl-when").all_inner_texts()
    assert whens == ["27/06/2024", "14/01/2025"]
    shot(page, "desktop_url_timeline")
    # An example query (taken from the index) searches at once; the address bar follows.
    example = page.locator(".tc-example").first
    text = example.inner_text()
    example.click()
    wait_searched(page, text)
    assert query_box(page).input_value() == text
    page.context.close()


def test_phone_width_has_no_horizontal_overflow(browser, server):
    page = open_page(browser, server, viewport=PHONE, is_mobile=True, has_touch=True)
    query = "kinh phí thí điểm bến sông"
    page.goto(f"{server}?q={quote(query)}")
    wait_searched(page, query)
    assert no_overflow(page)
    shot(page, "phone_results")
    shot(page, "phone_results_full", full=True)
    page.locator("#tc-results .tc-card", has_text="Dòng bảng").first.get_by_role(
        "button", name="Xem trong văn bản"
    ).click()
    page.locator(".tc-ctx-overlay:not([hidden]) table").wait_for()
    assert no_overflow(page)
    shot(page, "phone_context_table")
    page.keyboard.press("Escape")
    page.wait_for_selector(".tc-ctx-overlay", state="hidden")
    page.locator("#tc-filters > button.label-wrap").click()
    page.locator("#tc-year").wait_for()
    assert no_overflow(page)
    shot(page, "phone_filters")
    page.context.close()


def test_upload_panel_hidden_without_password(page):
    assert page.locator("#tc-upload").count() == 0
    assert page.get_by_text("Thêm văn bản vào kho").count() == 0
    # ... and the page says how documents are added instead.
    assert "python ingest.py" in page.inner_text("#tc-add-hint")


NEW_DOC = NOTICE  # a small new document to upload


@pytest.fixture
def upload_server(tmp_path, encoder):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("luat_mau.txt", "nghidinh_mau.txt", "ubnd_plan_pipetable.txt"):
        shutil.copy(FIXTURES / name, corpus / name)
    index = tmp_path / "index"
    build(corpus, index, encoder)
    env = {"TRACUU_UPLOAD_PASSWORD": "mat-khau-dung", "TRACUU_AUTH": ""}
    with running_ui(index, extra=["--corpus", str(corpus)], env=env) as url:
        yield url, corpus


def test_adding_a_document_through_the_panel(browser, upload_server, tmp_path):
    url, corpus = upload_server
    new = tmp_path / "upload" / "ben_pha_cai_keo.txt"
    new.parent.mkdir()
    new.write_text(NEW_DOC, encoding="utf-8")
    page = open_page(browser, url)
    page.goto(url)
    page.locator("#tc-upload > button.label-wrap").click()
    with page.expect_file_chooser() as chooser:
        page.locator("#tc-upload-pick").click()
    chooser.value.set_files(str(new))
    expect(page.locator("#tc-upload-chosen")).to_contain_text("ben_pha_cai_keo.txt")
    status = page.locator("#tc-upload-status")

    page.locator("#tc-upload-password input").fill("sai")
    page.locator("#tc-upload-go").click()
    expect(status).to_contain_text("Sai mật khẩu")
    assert not (corpus / "ben_pha_cai_keo.txt").exists()

    page.locator("#tc-upload-password input").fill("mat-khau-dung")
    page.locator("#tc-upload-go").click()
    page.wait_for_timeout(300)
    shot(page, "desktop_upload_progress")  # the progress bar, if indexing is still running
    expect(status).to_contain_text("Đã thêm", timeout=90_000)
    assert "thêm 1" in status.inner_text()
    assert (corpus / "ben_pha_cai_keo.txt").exists()
    shot(page, "desktop_upload_done")
    search(page, "bến phà Cái Keo")
    first = page.locator("#tc-results .tc-card").first
    assert first.locator(".tc-meta").inner_text().startswith("ben_pha_cai_keo.txt")
    page.context.close()


def test_typo_quote_and_not_found_states(page):
    # A tone slip is searched as the documents write it, and the page says so.
    search(page, "thùng phân loại rắc")
    expect(page.locator("#tc-searched-as")).to_contain_text("Đã tìm với: thùng phân loại rác")
    # A pasted paragraph is found where it stands and cited as its source.
    text = pasted_paragraph()
    box = query_box(page)
    box.fill(text)
    box.press("Enter")
    page.wait_for_selector("#tc-quote")
    quote = page.locator("#tc-quote")
    assert "trích từ" in quote.inner_text().lower() and "12/KH-UBND" in quote.inner_text()
    assert page.locator("#tc-results .tc-card").first.locator(".tc-cite").inner_text() in (
        quote.locator(".tc-cite").inner_text()
    )
    shot(page, "desktop_quote")
    # Ending with a question the source does not answer, it is still cited, and not found.
    box.fill(f"{text} Vậy nhà thầu nào trúng thầu gói thu gom rác?")
    box.press("Enter")
    page.wait_for_selector("#tc-quote + #tc-no-answer")
    expect(page.locator("#tc-quote")).to_contain_text("12/KH-UBND")
    expect(page.locator("#tc-no-answer")).to_contain_text("Không tìm thấy nội dung phù hợp")
    # A topic the documents do not cover is said to be missing, the nearest passages shown.
    search(page, "học phí đại học năm 2025")
    expect(page.locator("#tc-no-answer")).to_contain_text("Không tìm thấy nội dung phù hợp")
    assert page.locator(".tc-card.tc-nearest").count() >= 1


def test_login_page_speaks_vietnamese(browser, fixture_index):
    env = {"TRACUU_AUTH": "canbo:mat-khau-1", "TRACUU_UPLOAD_PASSWORD": ""}
    with running_ui(fixture_index, env=env) as url:
        page = open_page(browser, url)
        page.goto(url)
        page.wait_for_selector("form, button")
        text = page.inner_text("body")
        shot(page, "desktop_login")
        page.context.close()
    assert "Đăng nhập" in text and "Mật khẩu" in text and "Login" not in text
