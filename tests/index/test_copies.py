"""A letter already held, added again in another format (a .txt saved from the PDF) or as
other bytes, is recognised by its text and not indexed twice (real model, real Chroma)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from assistant.index.builder import ingest, same_text, shingles
from assistant.index.catalog import Catalog
from assistant.settings import Settings
from tests.conftest import corpus_pdf


def test_shingles_see_one_text_through_line_breaks_and_case() -> None:
    text = (
        "Children who go missing are seen by a return home worker within three days of coming back."
    )
    wrapped = text.upper().replace(" are ", " are\n").replace(" within", "\nwithin")
    other = "Inspectors found that strategy meetings are held promptly and attended by the police."
    assert same_text(shingles([text]), shingles([wrapped]))
    assert not same_text(shingles([text]), shingles([other]))
    assert not same_text(set(), shingles([text]))


@pytest.mark.integration
def test_a_text_copy_of_a_held_pdf_is_a_duplicate(tmp_path: Path) -> None:
    letters = tmp_path / "letters"
    letters.mkdir()
    pdf = shutil.copy(corpus_pdf("focused-visit-plymouth-2023-01"), letters)
    settings = Settings(index_dir=tmp_path / "index")
    assert ingest([letters], settings, show_progress=False).added == [
        "focused-visit-plymouth-2023-01"
    ]
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    copy = downloads / "report (3).txt"
    copy.write_text(
        "\n\n".join(page.extract_text() for page in PdfReader(pdf).pages), encoding="utf-8"
    )
    report = ingest([downloads], settings, show_progress=False)
    assert report.added == [] and report.duplicates == [
        (str(copy), "focused-visit-plymouth-2023-01")
    ]
    catalog = Catalog.load(tmp_path / "index")
    assert catalog is not None and list(catalog.documents) == ["focused-visit-plymouth-2023-01"]
