"""The sources beside (or, on a phone, under) each answer, at the common screen sizes: the card
an [n] cites is on screen, wide enough to read, its supporting sentence visible; for the first
answer and for a later one. Screenshots in test-artifacts/sources-<width>.png."""

from __future__ import annotations

import time

import pytest

from tests.conftest import ROOT

pytestmark = [pytest.mark.integration, pytest.mark.browser]
ARTIFACTS = ROOT / "test-artifacts"
SIZES = [(1280, 800), (1366, 768), (1440, 900), (1920, 1080), (390, 844)]
FIRST = "How many children attended their child protection conference in Stockton?"
LATER = "Compare what inspectors found about health services in Stockton-on-Tees and Hartlepool."


def ask(page, question: str, turn: int) -> None:  # type: ignore[no-untyped-def]
    page.fill("#question textarea", question)
    page.click("#ask")
    page.wait_for_function(
        "(n) => document.querySelectorAll('#chat .answer .by').length >= n",
        arg=turn,
        timeout=60_000,
    )
    time.sleep(0.5)


def readable(page, card) -> None:  # type: ignore[no-untyped-def]
    """The card is on screen, at least 100 px wide, and its highlighted sentence is in view."""
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    box = card.bounding_box()
    assert box is not None and box["width"] >= 100, box
    assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (box, width)
    mark = card.locator("mark").first
    mark_box = mark.bounding_box()
    assert mark_box is not None and 0 <= mark_box["y"] < height, (mark_box, height)
    assert 0 <= mark_box["x"] < width and mark.inner_text().strip()


def test_the_cited_card_is_on_screen_at_every_size(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    """Two answers asked once; then, at each size, [n] of each is clicked and its card read."""
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(server)
    page.wait_for_selector("#question textarea", timeout=60_000)
    ask(page, FIRST, 1)
    ask(page, LATER, 2)
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        time.sleep(0.3)
        phone = width < 700
        for turn in (1, 2):
            cite = page.locator(f"#chat .answer.turn-{turn} a.cite").first
            cite.scroll_into_view_if_needed()
            cite.click()
            time.sleep(0.3)
            if phone:  # the copy under the answer
                card = page.locator(f"#chat .answer.turn-{turn} .inline-sources .source.selected")
            else:
                card = page.locator(f"#{cite.get_attribute('href')[1:]}")
                assert "selected" in (card.get_attribute("class") or "")
            assert card.count() == 1 and card.is_visible(), (width, turn)
            readable(page, card)
        page.screenshot(path=str(ARTIFACTS / f"sources-{width}.png"))
    page.close()


def test_on_a_phone_the_question_box_history_and_tabs_fit(browser, server: str) -> None:  # type: ignore[no-untyped-def]
    from tests.ui.test_browser import serious_violations, show_history

    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server)
    page.wait_for_selector("#question textarea", timeout=60_000)
    box = page.locator("#question textarea").bounding_box()
    assert box is not None and box["y"] + box["height"] <= 844, box  # no scrolling to ask
    assert not serious_violations(page)
    show_history(page, "Hartlepool")
    wrap = page.locator("#history-table .history-wrap")
    right = wrap.evaluate("e => e.getBoundingClientRect().right")
    assert right <= 391  # the table scrolls inside its own box, not off the page
    assert wrap.evaluate("e => getComputedStyle(e).overflowX") == "auto"
    page.wait_for_selector("#history-chart img", timeout=30_000)
    chart = page.locator("#history-chart img")  # readable: as wide as on a laptop, scrolled
    assert chart.evaluate("e => e.getBoundingClientRect().width") >= 600
    assert chart.evaluate("e => e.parentElement.getBoundingClientRect().right") <= 391
    assert not serious_violations(page)
    page.screenshot(path=str(ARTIFACTS / "phone-history.png"), full_page=True)
    page.click("button[role=tab]:has-text('Letters')")
    page.wait_for_selector("#library-table table.library", timeout=30_000)
    table = page.locator("#library-table .table-wrap")
    assert table.evaluate("e => e.getBoundingClientRect().right") <= 391
    assert not serious_violations(page)
    page.screenshot(path=str(ARTIFACTS / "phone-letters.png"), full_page=True)
    page.close()
