"""The real page in headless Chromium (Debian's), driven by Playwright, and the API through
gradio_client, on a small real index."""

from __future__ import annotations

import re
import shutil
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import ROOT, corpus_pdf
from tests.ui.conftest import start_app

pytestmark = [pytest.mark.browser, pytest.mark.integration]
ARTIFACTS = ROOT / "test-artifacts"
DEVELOPER_TEXT = """() => {
  window.__developerText = false;
  new MutationObserver(() => {
    const t = document.body.innerText;
    if (t.includes("Batches") || t.includes("Embedding passages") || t.includes("steps")) {
      window.__developerText = true;
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""
SHOWN = "#sources .turn-sources:not([hidden]) .source"  # the selected answer's cards
EVIL_LETTER = """Joint targeted area inspection of Scriptshire

Key strengths

The Scriptshire youth panel wrote <script>window.__pwned = 1</script> on its noticeboard, and inspectors quoted it to show the page escapes letters.
The Scriptshire youth panel meets every Tuesday with police and health visitors to review missing children.
"""


@pytest.fixture
def page(browser, server):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(server)
    page.wait_for_selector("#question textarea", timeout=60_000)
    yield page
    page.close()


def ask(page, question: str) -> None:  # type: ignore[no-untyped-def]
    before = page.locator("#chat .message").count() if page.locator("#chat .message").count() else 0
    page.fill("#question textarea", question)
    page.click("#ask")
    page.wait_for_function(
        "(n) => document.querySelectorAll('#chat .message').length >= n + 2",
        arg=before,
        timeout=60_000,
    )
    page.wait_for_function(
        "() => !document.querySelector('#chat').innerText.includes('Searching the letters')",
        timeout=60_000,
    )
    page.wait_for_selector(f"{SHOWN}, #sources .turn-sources:not([hidden]) .notice", timeout=60_000)
    time.sleep(0.5)


def test_answer_with_citations_and_highlighted_source(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, "How many children attended their child protection conference in Stockton?")
    chat = page.inner_text("#chat")
    assert "eight of 222" in chat
    scrolled = page.evaluate("window.scrollY")
    page.locator("#chat a.cite").first.click()
    card = page.locator("#source-1-1")
    assert card.is_visible() and "selected" in (card.get_attribute("class") or "")
    assert any("eight of 222" in m for m in card.locator("mark").all_inner_texts())
    assert "page 9" in card.inner_text()
    assert page.evaluate("window.scrollY") == scrolled  # the answer stays on screen
    title = page.locator("#chat a.cite").first.get_attribute("title") or ""
    assert "eight of 222" in title  # the quoted sentence on hover or focus
    page.locator("#chat a.copy-cite").first.click()  # the answer with a reference list
    copied = page.evaluate("window.__copied") or ""
    assert "eight of 222" in copied and "\n\nSources:\n[1] " in copied and "page 9" in copied
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page-answer.png"), full_page=True)


def test_area_filter_changes_the_sources(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, "What works well for children and young people?")
    before = page.inner_text("#sources")
    page.click("#areas input")
    page.keyboard.type("Hartlepool")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    ask(page, "What works well for children and young people?")
    metas = page.locator(SHOWN + " .meta").all_inner_texts()
    assert metas and all("Hartlepool" in m for m in metas)
    assert page.inner_text("#sources") != before
    assert "area: Hartlepool" in page.inner_text("#chat")


def test_export_and_rating(page, server: str) -> None:  # type: ignore[no-untyped-def]
    ask(page, "What did inspectors find about dentists and neglect in Stockton?")
    page.click("#export")
    page.wait_for_selector("#export-file a", timeout=30_000)
    page.locator("#chat button[aria-label='Like']").last.click()
    page.wait_for_function(
        "() => document.querySelector('#status').innerText.includes('rating was saved')",
        timeout=30_000,
    )


def test_unanswerable_question_abstains_with_nearest_passages(page) -> None:  # type: ignore[no-untyped-def]
    ask(
        page,
        "What did inspectors report on neglect in Leeds in their joint targeted area inspection?",
    )
    assert "do not say" in page.inner_text("#chat")
    assert "The nearest passages are listed below" in page.inner_text("#sources")
    assert page.locator(SHOWN).count() >= 1


def test_an_off_topic_question_shows_no_unrelated_passages(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, "What is the weather in Paris?")
    assert "No passage in the letters comes near the question" in page.inner_text("#chat")
    assert "No passage in the letters comes near the question" in page.inner_text("#sources")
    assert page.locator(SHOWN).count() == 0


def test_an_earlier_answer_keeps_its_own_sources(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, "How many children attended their child protection conference in Stockton?")
    ask(page, "What works well for children with SEND in Hartlepool?")
    assert "Hartlepool" in page.locator(SHOWN + " .meta").first.inner_text()
    page.locator("#chat .answer.turn-1 a.cite").first.click()
    card = page.locator("#source-1-1")
    assert card.is_visible() and "eight of 222" in card.inner_text()
    assert not page.locator("#source-2-1").is_visible()
    page.locator("#chat .answer.turn-2 .by").click()  # clicking in an answer shows its sources
    assert page.locator("#source-2-1").is_visible() and not card.is_visible()


def test_upload_then_ask_and_letter_text_cannot_inject_script(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    evil = tmp_path / "jtai-scriptshire-2024-01.txt"
    evil.write_text(EVIL_LETTER, encoding="utf-8")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"this is not a pdf")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    truncated = tmp_path / "truncated.pdf"  # passes the header check; the reader refuses it
    truncated.write_bytes(corpus_pdf("jtai-bexley-2020-03").read_bytes()[:4000])
    page.click("text=Add letters")
    letters = [corpus_pdf("focused-visit-plymouth-2023-01"), evil, bad, empty, truncated]
    page.set_input_files("#upload input[type=file]", [str(f) for f in letters])
    page.wait_for_timeout(1500)
    page.evaluate(DEVELOPER_TEXT)
    page.click("#add")
    page.wait_for_function(
        "() => document.querySelector('#added').innerText.includes('Added')", timeout=240_000
    )
    added = page.inner_text("#added")
    assert not page.evaluate("window.__developerText"), "progress showed tqdm's developer text"
    assert "focused-visit-plymouth-2023-01" in added and "jtai-scriptshire-2024-01" in added
    assert "Skipped broken.pdf: does not look like a PDF" in added
    assert "Skipped empty.pdf: the file is empty" in added
    assert "Skipped truncated.pdf:" in added

    # A reloaded page shows the index as it is now: the letters are counted and filterable.
    page.reload()
    page.wait_for_selector("#question textarea", timeout=60_000)
    page.wait_for_function(
        "() => document.querySelector('#about').innerText.match(/^\\d+ letters/)", timeout=30_000
    )
    held = int(page.inner_text("#about").split(" letters")[0])
    assert held >= 4, page.inner_text("#about")  # the fixture's two, and the two added
    page.click("#areas input")
    page.keyboard.type("Plym")
    assert page.locator("[role=option]:has-text('Plymouth')").count() >= 1
    page.keyboard.press("Escape")

    ask(page, "What did the focused visit to Plymouth find?")
    assert "do not say" not in page.inner_text("#chat").split("Plymouth find?")[-1]
    metas = page.locator(SHOWN + " .meta").all_inner_texts()
    assert metas and all("Plymouth" in m for m in metas)

    question = (
        "When does the Scriptshire youth panel meet and what did it write on its noticeboard?"
    )
    ask(page, question)
    reply = page.inner_text("#chat").split(question)[-1]
    assert "Tuesday" in reply and "wrote" in reply  # both parts answered
    sources = page.locator("#sources")
    assert "<script>window.__pwned = 1</script>" in sources.inner_text()
    assert sources.locator("script").count() == 0
    assert page.evaluate("window.__pwned === undefined")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page-upload.png"), full_page=True)


def test_api_through_gradio_client(server: str) -> None:
    from gradio_client import Client

    client = Client(server, verbose=False)
    result = client.predict(
        "How many children attended their child protection conference in Stockton?", api_name="/ask"
    )
    assert "eight of 222" in result["answer"] and not result["abstained"]
    assert result["citations"][0]["page"] == 9
    filtered = client.predict(
        "What works well?", ["Hartlepool"], None, None, None, "Strengths", api_name="/ask"
    )
    assert {p["doc"] for p in filtered["passages"]} == {"area-send-hartlepool-2023-05"}


def test_area_history_tab_lists_inspections_with_links_and_a_chart(page) -> None:  # type: ignore[no-untyped-def]
    page.click("button[role=tab]:has-text('Area history')")
    # It opens with no area chosen and says what to do, not on an arbitrary area's empty table.
    assert "Choose an area" in page.inner_text("#history-table")
    assert page.locator("#history-table table").count() == 0
    show_history(page, "Hartlepool")
    table = page.inner_text("#history-table")
    assert "area SEND" in table and "inspected 2023-03-13 to 2023-03-17" in table
    assert "typically lead to positive experiences" in table
    links = page.locator("#history-table a").evaluate_all("els => els.map(e => e.href)")
    assert any("#page=" in href for href in links)
    page.wait_for_selector(
        "#history-chart img, #history-chart svg, #history-chart canvas", timeout=60_000
    )
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page-history.png"), full_page=True)


def test_the_history_tab_opens_on_the_area_asked_about(page) -> None:  # type: ignore[no-untyped-def]
    ask(page, "How many children attended their child protection conference in Stockton?")
    page.click("button[role=tab]:has-text('Area history')")
    page.wait_for_selector("#history-table table.history", timeout=60_000)
    assert page.input_value("#history-area input") == "Stockton-on-Tees"
    assert "Joint targeted area inspection" in page.inner_text("#history-table")


def show_history(page, area: str) -> None:  # type: ignore[no-untyped-def]
    page.click("button[role=tab]:has-text('Area history')")
    page.click("#history-area input")
    page.keyboard.type(area)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.click("#history-show")
    page.wait_for_selector("#history-table table.history", timeout=60_000)


def test_an_upload_never_replaces_a_letter(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    fake = tmp_path / "jtai-stockton-on-tees-2018-01.txt"
    fake.write_text(
        "Joint targeted area inspection of Stockton-on-Tees\n\nKey strengths\n\n"
        "Stockton-on-Tees was judged outstanding in every respect by this fake letter.\n",
        encoding="utf-8",
    )
    same = tmp_path / "report (3).pdf"  # the shipped letter again, under a download's name
    same.write_bytes(corpus_pdf("area-send-hartlepool-2023-05").read_bytes())
    page.click("text=Add letters")
    page.set_input_files("#upload input[type=file]", [str(fake), str(same)])
    page.wait_for_timeout(1500)
    page.click("#add")
    page.wait_for_function(
        "() => document.querySelector('#added').innerText.includes('already')", timeout=240_000
    )
    added = page.inner_text("#added")
    assert "indexed as jtai-stockton-on-tees-2018-01-upload-2" in added
    assert "report (3).pdf is already in the index as area-send-hartlepool-2023-05" in added
    ask(page, "How many children attended their child protection conference in Stockton?")
    assert "eight of 222" in page.inner_text("#chat")  # the real letter still answers


def test_only_the_ingested_documents_are_served(browser_app: tuple[str, Path]) -> None:
    server, beside = browser_app

    def status(path: Path) -> int:
        try:
            with urllib.request.urlopen(f"{server}gradio_api/file={path}", timeout=10) as reply:
                return int(reply.status)
        except urllib.error.HTTPError as exc:
            return exc.code

    assert status(beside) >= 400  # a file that sits beside a letter is never served
    assert status(beside.parent / "jtai-stockton-on-tees-2018-01.pdf") >= 400  # nor its folder
    from gradio_client import Client

    result = Client(server, verbose=False).predict(
        "How many children attended their child protection conference in Stockton?", api_name="/ask"
    )
    assert result["citations"]
    store = next(p for p in beside.parents if (p / "index").exists()) / "index" / "documents"
    assert status(store / "jtai-stockton-on-tees-2018-01.pdf") == 200  # the index's own copy


def test_sign_in_and_no_uploads_for_a_team(tmp_path: Path, browser) -> None:  # type: ignore[no-untyped-def]
    from gradio_client import Client

    from assistant.index.builder import ingest
    from assistant.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(corpus_pdf("area-send-hartlepool-2023-05"), corpus)
    index = tmp_path / "index"
    ingest([corpus], Settings(index_dir=index), show_progress=False)
    users = tmp_path / "users"
    users.write_text("# the team\nsam:correct horse\n", encoding="utf-8")
    url, proc = start_app(tmp_path, corpus, index, "--auth-file", str(users), "--no-uploads")
    try:
        with pytest.raises(Exception):  # noqa: B017 - any refusal will do: no answer
            Client(url, verbose=False).predict("What works well?", api_name="/ask")
        result = Client(url, auth=("sam", "correct horse"), verbose=False).predict(
            "What works well in Hartlepool?", api_name="/ask"
        )
        assert result["citations"]
        page = browser.new_page()
        page.goto(url)
        page.fill("input[type=text]", "sam")
        page.fill("input[type=password]", "correct horse")
        page.keyboard.press("Enter")
        page.wait_for_selector("#question textarea", timeout=60_000)
        assert page.locator("text=Add letters").count() == 0
        page.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_no_serious_accessibility_violations(page) -> None:  # type: ignore[no-untyped-def]
    """On every tab at 1440 px, with an answer shown and the upload panel open (390 px: in
    test_sources_sizes.py); nor the two lesser ones the page once had (no level-one heading,
    an icon repeating its link's text)."""
    page.set_viewport_size({"width": 1440, "height": 900})
    assert not serious_violations(page, also=LESSER)
    ask(page, "How many children attended their child protection conference in Stockton?")
    labels = page.locator("#chat [aria-label]").evaluate_all(
        "els => els.map(e => e.getAttribute('aria-label'))"
    )
    assert not [label for label in labels if "<" in label]  # screen readers get text, not HTML
    assert page.locator("#chat button[aria-label='']").count() == 0
    assert not serious_violations(page)
    page.click("button:has-text('Add letters')")  # the upload panel, opened
    page.wait_for_selector("#upload", timeout=30_000)
    assert not serious_violations(page)
    page.click("button[role=tab]:has-text('Letters')")
    page.wait_for_selector("#library-table table", timeout=30_000)
    assert not serious_violations(page)
    show_history(page, "Hartlepool")
    assert not serious_violations(page)


LESSER = ("page-has-heading-one", "image-redundant-alt")


def serious_violations(page, also: tuple[str, ...] = ()) -> str:  # type: ignore[no-untyped-def]
    """axe-core's serious and critical violations on what the page shows, one per line (and
    those of the rules in ``also``, whatever their impact)."""
    from axe_playwright_python.sync_playwright import Axe

    # Colours are judged once Gradio's fades (an updated component's opacity) have finished.
    page.evaluate("() => Promise.allSettled(document.getAnimations().map((a) => a.finished))")
    page.wait_for_timeout(300)
    results = Axe().run(page)
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}: "
        + "; ".join(
            f"{n['target']} {n.get('html', '')[:300]} {n.get('failureSummary', '').splitlines()[-1][:200]}"
            for n in v["nodes"]
        )
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical") or v["id"] in also
    )


def test_keyboard_only_ask_and_cite(page) -> None:  # type: ignore[no-untyped-def]
    for _ in range(60):  # Tab from the top of the page to the question box
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#question') !== null"):
            break
    else:
        raise AssertionError("the question box cannot be reached with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("", "none"), "no visible keyboard focus on the question box"
    page.keyboard.type("How many children attended their child protection conference in Stockton?")
    page.keyboard.press("Enter")
    page.wait_for_selector("#chat a.cite", timeout=60_000)
    for _ in range(80):  # on to the answer's first citation
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#chat a.cite')"):
            break
    else:
        raise AssertionError("no citation can be reached with Tab")
    page.keyboard.press("Enter")
    card = page.locator("#source-1-1")
    assert card.is_visible() and "selected" in (card.get_attribute("class") or "")
    page.click("button[role=tab]:has-text('Letters')")  # a letter ticked from the keyboard
    page.focus("#library-search textarea")
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('#library-table input.pick')"):
            break
    else:
        raise AssertionError("no letter's tick box can be reached with Tab")
    page.keyboard.press("Space")
    page.wait_for_function(
        "() => document.querySelector('#library-table').innerText.includes('1 ticked')",
        timeout=30_000,
    )


def test_the_library_lists_letters_and_ticks_restrict_the_sources(page) -> None:  # type: ignore[no-untyped-def]
    """One table, a page of letters at a time (one a page in this app), a tick box a row."""
    page.click("button[role=tab]:has-text('Letters')")
    found = re.search(
        r"Letters 1 to 1 of (\d+), page 1 of (\d+)", page.inner_text("#library-table")
    )
    assert found and found[1] == found[2] and int(found[1]) >= 2  # earlier tests may add some
    first = page.locator("#library-table input.pick").get_attribute("data-doc")
    page.click("#library-table button.page:has-text('Next')")
    page.wait_for_function(
        "() => document.querySelector('#library-table').innerText.includes('page 2 of')",
        timeout=30_000,
    )
    assert page.locator("#library-table input.pick").get_attribute("data-doc") != first
    page.fill("#library-search textarea", "hartlepool send")
    page.wait_for_function(
        "() => document.querySelector('#library-table').innerText.includes('of 1')",
        timeout=30_000,
    )
    assert "Stockton" not in page.inner_text("#library-table")
    page.check("#library-table input[aria-label='Ask only about Hartlepool area SEND 2023']")
    page.wait_for_function(
        "() => document.querySelector('#library-table').innerText.includes('1 ticked')",
        timeout=30_000,
    )
    page.click("button[role=tab]:has-text('Ask')")
    # The choice is said beside the question box before asking, in words.
    page.wait_for_selector("#letter-choice-clear", state="visible", timeout=30_000)
    choice = page.inner_text("#letter-choice")
    assert "Asking only about 1 letter: Hartlepool area SEND 2023" in choice
    ask(page, "What works well for children and young people?")
    metas = page.locator(SHOWN + " .meta").all_inner_texts()
    assert metas and all("Hartlepool" in m for m in metas)
    assert "letters: Hartlepool area SEND 2023" in page.inner_text("#chat")
    page.click("#letter-choice-clear")  # back to every letter
    page.wait_for_selector("#letter-choice-clear", state="hidden", timeout=30_000)
    assert "Asking only" not in page.inner_text("#letter-choice")
    page.click("button[role=tab]:has-text('Letters')")
    assert page.locator("#library-table input.pick:checked").count() == 0  # unticked there too
    page.fill("#library-search textarea", "")
    page.click("button[role=tab]:has-text('Ask')")
    ask(page, "What did inspectors find about dentists and neglect in Stockton?")
    assert any("Stockton" in m for m in page.locator(SHOWN + " .meta").all_inner_texts())


def test_an_uploaded_letter_can_be_removed(page, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    letter = tmp_path / "jtai-removeshire-2024-02.txt"
    letter.write_text(
        "Joint targeted area inspection of Removeshire\n\nKey strengths\n\n"
        "The Removeshire night team visits every missing child within two hours of a report.\n"
        "The Removeshire youth panel meets every Thursday with police and health visitors to "
        "review the children reported missing that week, and inspectors saw the minutes.\n",
        encoding="utf-8",
    )
    page.click("text=Add letters")
    page.set_input_files("#upload input[type=file]", [str(letter)])
    page.wait_for_timeout(1500)
    page.click("#add")
    page.wait_for_function(
        "() => document.querySelector('#added').innerText.includes('Added')", timeout=120_000
    )
    question = "How quickly does the Removeshire night team visit a missing child?"
    ask(page, question)
    assert "two hours" in page.inner_text("#chat").split(question)[-1]
    page.reload()
    page.wait_for_selector("#question textarea", timeout=60_000)
    page.click("button[role=tab]:has-text('Letters')")
    ticked = [("Removeshire", "uploaded"), ("Hartlepool", "shipped")]  # a shipped one stays
    for n, (area, shown) in enumerate(ticked, start=1):
        page.fill("#library-search textarea", area)
        page.wait_for_function(
            f"() => document.querySelector('#library-table').innerText.includes('{shown}')",
            timeout=30_000,
        )
        page.check(f"#library-table input[aria-label^='Ask only about {area}']")
        page.wait_for_function(
            f"() => document.querySelector('#library-table').innerText.includes('{n} ticked')",
            timeout=30_000,
        )
    page.fill("#library-search textarea", "")
    page.click("#library-remove")  # it names what it would remove and asks again
    page.wait_for_function(
        "() => document.querySelector('#library-removed').innerText.includes('again')",
        timeout=30_000,
    )
    assert "Remove 1 uploaded letter (Removeshire JTAI" in page.inner_text("#library-removed")
    page.click("#library-remove")
    page.wait_for_function(
        "() => document.querySelector('#library-removed').innerText.includes('Removed')",
        timeout=120_000,
    )
    note = page.inner_text("#library-removed")
    assert "area-send-hartlepool-2023-05 was shipped with the assistant and stays" in note
    assert "Removeshire" not in page.inner_text("#library-table")
    page.click("button[role=tab]:has-text('Ask')")
    ask(page, question)
    assert "two hours" not in page.inner_text("#chat").split(question)[-1]


def test_on_a_phone_the_sources_sit_under_their_answer(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server)
    page.wait_for_selector("#question textarea", timeout=60_000)
    ask_on(page, "How many children attended their child protection conference in Stockton?")
    under = page.locator("#chat .answer .inline-sources .source")
    assert under.count() >= 1 and under.first.is_visible()
    assert not page.locator("#sources").is_visible()  # the side panel gives way
    page.locator("#chat a.cite").first.click()
    assert "selected" in (under.first.get_attribute("class") or "")
    assert not serious_violations(page)  # an answer with its cards, at phone width
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page-phone.png"), full_page=True)
    page.close()


def ask_on(page, question: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#question textarea", question)
    page.click("#ask")
    page.wait_for_selector("#chat .answer .by", timeout=60_000)
