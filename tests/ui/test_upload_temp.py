"""Gradio's copies of uploaded files: none is left in its temp folder once the letters are added
(they are kept in data/uploads/ instead), and the folder is emptied at each start."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conftest import corpus_pdf
from tests.ui.conftest import start_app

pytestmark = [pytest.mark.browser, pytest.mark.integration]

NOTE = (
    "Joint targeted area inspection of Fenmoor\n"
    "Inspectors found that the multi-agency safeguarding hub in Fenmoor responds quickly to "
    "referrals about children at risk of exploitation, and that managers check its decisions.\n"
)


def test_uploaded_files_leave_no_copy_in_gradio_temp_folder(
    sample_index: Path, tmp_path: Path, browser
) -> None:  # type: ignore[no-untyped-def]
    index = tmp_path / "index"
    shutil.copytree(sample_index, index, symlinks=True)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    temp = tmp_path / "data" / "gradio-temp"
    (temp / "left-over").mkdir(parents=True)
    (temp / "left-over" / "old.pdf").write_bytes(b"%PDF from an earlier run")
    url, proc = start_app(tmp_path, corpus, index)
    try:
        assert not list(temp.rglob("*.pdf"))  # emptied at the start
        letter = tmp_path / "jtai-fenmoor-2024-02.txt"
        letter.write_text(NOTE, encoding="utf-8")
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("#question textarea", timeout=60_000)
        page.click("text=Add letters")
        page.set_input_files(
            "#upload input[type=file]",
            [str(letter), str(corpus_pdf("focused-visit-plymouth-2023-01"))],
        )
        page.wait_for_timeout(1500)
        page.click("#add")
        page.wait_for_function(
            "() => document.querySelector('#added').innerText.includes('Added')",
            timeout=240_000,
        )
        added = page.inner_text("#added")
        page.close()
        assert "jtai-fenmoor-2024-02" in added, added
        assert (tmp_path / "data" / "uploads" / "jtai-fenmoor-2024-02.txt").exists()
        # No uploaded body is left (Gradio's form parser leaves an empty placeholder file per
        # upload in the folder's root; the folder is emptied at each start).
        left = [p for p in temp.rglob("*") if p.is_file() and p.stat().st_size]
        assert not left, left
        assert not list(temp.rglob("jtai-fenmoor*")) and not list(temp.rglob("*.pdf"))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
