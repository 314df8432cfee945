"""The page with a real OpenAI-compatible server behind it: the model's tokens stream into the
chat as a draft, then the checked answer replaces them and says who answered; Stop drops the
draft for the offline answer; the offline answerer can still be chosen per question."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.answer.test_llm_server import start_server
from tests.conftest import ROOT, corpus_pdf
from tests.ui.conftest import start_app

pytestmark = [pytest.mark.llm, pytest.mark.browser, pytest.mark.integration]
ARTIFACTS = ROOT / "test-artifacts"
WATCH = """() => {
  window.__sawWriting = false;
  new MutationObserver(() => {
    if (document.querySelector('#chat .checking')) window.__sawWriting = true;
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
}"""


def test_the_page_streams_a_written_answer_then_shows_the_checked_one(
    tmp_path: Path, browser
) -> None:  # type: ignore[no-untyped-def]
    from assistant.index.builder import ingest
    from assistant.settings import Settings

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(corpus_pdf("jtai-stockton-on-tees-2018-01"), corpus)
    index = tmp_path / "index"
    ingest([corpus], Settings(index_dir=index), show_progress=False)
    llm, llm_proc = start_server(tmp_path / "llm.log")
    try:
        server = {"ASSISTANT_LLM_BASE_URL": llm, "ASSISTANT_LLM_MODEL": "smollm2"}
        url, proc = start_app(tmp_path, corpus, index, env=server)
        try:
            ask_both_ways(browser, url)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    finally:
        llm_proc.terminate()
        llm_proc.wait(timeout=30)


def ask_both_ways(browser, url: str) -> None:  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(url)
    page.wait_for_selector("#question textarea", timeout=60_000)
    assert "language model smollm2" in page.inner_text("#about")
    page.evaluate(WATCH)
    page.fill("#question textarea", "What did inspectors find about dentists and neglect?")
    page.click("#ask")
    page.wait_for_selector("#chat .by", timeout=120_000)
    assert page.evaluate("window.__sawWriting"), "no tokens were shown while it wrote"
    by = page.inner_text("#chat .by")
    assert "language model smollm2" in by or "could not be used" in by
    assert page.locator("#chat .checking").count() == 0  # the checked answer replaced it
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "page-llm.png"), full_page=True)

    # Stop while it writes: the draft (boxed, timed, marked unchecked) gives way to the offline
    # answer at once.
    page.fill("#question textarea", "What did inspectors find about dentists and neglect?")
    page.click("#ask")
    page.wait_for_selector("#chat .draft", timeout=120_000)
    assert "Draft, not yet checked: writing for" in page.inner_text("#chat .draft")
    page.click("#stop")
    page.wait_for_function(
        "() => document.querySelectorAll('#chat .by').length >= 2", timeout=120_000
    )
    assert page.locator("#chat .draft").count() == 0
    stopped = page.locator("#chat .by").nth(1).inner_text()
    assert stopped == "Answered by: offline quotes from the letters"

    page.click("#mode label:has-text('Offline quotes')")
    page.fill("#question textarea", "What did inspectors find about dentists and neglect?")
    page.click("#ask")
    page.wait_for_function(
        "() => document.querySelectorAll('#chat .by').length >= 3", timeout=120_000
    )
    offline = page.locator("#chat .by").nth(2).inner_text()
    assert offline == "Answered by: offline quotes from the letters"
    page.close()
