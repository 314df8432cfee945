"""Incremental ingestion with the real model and a real Chroma store."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from assistant.errors import IndexMismatchError
from assistant.index.builder import ingest
from assistant.index.catalog import Catalog
from assistant.index.embedder import LazyEmbeddings, model_identity
from assistant.index.vectors import open_store, stored_ids
from assistant.service import Assistant
from assistant.settings import Settings
from tests.conftest import corpus_pdf

pytestmark = pytest.mark.integration

LETTER = """Joint targeted area inspection of Exampleshire

Key strengths

The Exampleshire family hub answers every call within four minutes. {detail}

Areas for improvement

Health visitors do not always share records with the hub in time.
"""


def _write_letter(path: Path, detail: str) -> None:
    path.write_text(
        LETTER.format(detail=detail) + ("Further context about the area. " * 10), encoding="utf-8"
    )


def _chroma_ids(settings: Settings) -> set[str]:
    return stored_ids(open_store(settings, LazyEmbeddings(settings), model_identity(settings)))


def test_add_change_delete_and_no_op(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(corpus_pdf("focused-visit-plymouth-2023-01"), corpus)
    letter = corpus / "jtai-exampleshire-2024-01.txt"
    _write_letter(letter, "Staff say the hub is calm.")
    settings = Settings(index_dir=tmp_path / "index")

    first = ingest([corpus], settings, show_progress=False)
    assert sorted(first.added) == ["focused-visit-plymouth-2023-01", "jtai-exampleshire-2024-01"]
    catalog = Catalog.load(settings.index_dir)
    assert catalog is not None
    assert _chroma_ids(settings) == set(catalog.position)

    # Add
    shutil.copy(corpus_pdf("area-send-hartlepool-2023-05"), corpus)
    added = ingest([corpus], settings, show_progress=False)
    assert added.added == ["area-send-hartlepool-2023-05"] and len(added.unchanged) == 2

    # Change: the old version's passages go, the new one's are searchable
    _write_letter(letter, "A new duty desk opened in March with twelve social workers.")
    changed = ingest([corpus], settings, show_progress=False)
    assert changed.updated == ["jtai-exampleshire-2024-01"]
    catalog = Catalog.load(settings.index_dir)
    assert catalog is not None
    assert _chroma_ids(settings) == set(catalog.position)
    assistant = Assistant.open(settings)
    top = assistant.ask("How many social workers staff the new duty desk?").passages[0]
    assert "twelve social workers" in top.passage.text

    # Delete
    (corpus / "focused-visit-plymouth-2023-01.pdf").unlink()
    removed = ingest([corpus], settings, show_progress=False)
    assert removed.removed == ["focused-visit-plymouth-2023-01"]
    catalog = Catalog.load(settings.index_dir)
    assert catalog is not None and "focused-visit-plymouth-2023-01" not in catalog.documents
    assert _chroma_ids(settings) == set(catalog.position)

    # No-op: nothing read or written, in well under the time a real change takes
    link_target = (settings.index_dir / "catalog").resolve()
    started = time.perf_counter()
    nothing = ingest([corpus], settings, show_progress=False)
    assert not nothing.changed and len(nothing.unchanged) == 2
    assert (settings.index_dir / "catalog").resolve() == link_target
    print(f"no-op ingest: {time.perf_counter() - started:.2f} s")


def test_bad_file_is_reported_and_the_batch_goes_on(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.4 garbage")
    _write_letter(corpus / "jtai-exampleshire-2024-01.txt", "Fine.")
    report = ingest([corpus], Settings(index_dir=tmp_path / "index"), show_progress=False)
    assert report.added == ["jtai-exampleshire-2024-01"]
    assert len(report.failed) == 1
    path, reason = report.failed[0]
    assert path.endswith("broken.pdf") and "not a readable PDF" in reason


def test_interrupted_ingest_never_answers_from_half_a_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write_letter(corpus / "jtai-exampleshire-2024-01.txt", "Fine.")
    settings = Settings(index_dir=tmp_path / "index")
    ingest([corpus], settings, show_progress=False)
    before = Catalog.load(settings.index_dir)
    assert before is not None

    shutil.copy(corpus_pdf("focused-visit-plymouth-2023-01"), corpus)

    def crash(self: Catalog, index_dir: Path) -> Path:
        raise KeyboardInterrupt

    monkeypatch.setattr(Catalog, "save", crash)
    with pytest.raises(KeyboardInterrupt):
        ingest([corpus], settings, show_progress=False)
    monkeypatch.undo()

    # The vector store holds the new letter's passages, but nothing can see them.
    assert len(_chroma_ids(settings)) > len(before.passages)
    answer = Assistant.open(settings).ask("What did the focused visit find in Plymouth?", k=10)
    assert {sp.passage.doc_id for sp in answer.retrieved} == {"jtai-exampleshire-2024-01"}

    # The next run finishes the job and leaves no strays.
    report = ingest([corpus], settings, show_progress=False)
    assert report.added == ["focused-visit-plymouth-2023-01"]
    catalog = Catalog.load(settings.index_dir)
    assert catalog is not None
    assert _chroma_ids(settings) == set(catalog.position)


def test_refuses_an_index_built_with_another_model(sample_index: Path, tmp_path: Path) -> None:
    other = tmp_path / "model"
    other.mkdir()
    (other / "config.json").write_text("{}")
    (other / "model.safetensors").write_bytes(b"different weights")
    settings = Settings(index_dir=sample_index, embedding_model_dir=str(other))
    with pytest.raises(
        IndexMismatchError, match="built with sentence-transformers/all-MiniLM-L6-v2@"
    ):
        Assistant.open(settings)
    with pytest.raises(IndexMismatchError, match="--rebuild"):
        ingest([tmp_path], settings, show_progress=False)


def test_an_index_embedded_by_the_other_backend_is_refused_until_rebuilt(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _write_letter(corpus / "jtai-exampleshire-2024-01.txt", "Staff say the hub is calm.")
    by_torch = Settings(index_dir=tmp_path / "index", embedding_backend="torch")
    ingest([corpus], by_torch, show_progress=False)
    by_onnx = by_torch.replace(embedding_backend="onnx")
    with pytest.raises(IndexMismatchError, match=r"embedding_backend = torch\).*--rebuild"):
        Assistant.open(by_onnx)
    with pytest.raises(IndexMismatchError, match=r"embedding_backend = torch\).*--rebuild"):
        ingest([corpus], by_onnx, show_progress=False)
    assert ingest([corpus], by_onnx, rebuild=True, show_progress=False).added
    answer = Assistant.open(by_onnx).ask("How quickly does the Exampleshire hub answer calls?")
    assert answer.passages


def test_changed_settings_reread_letters_from_other_folders(tmp_path: Path) -> None:
    corpus, uploads = tmp_path / "corpus", tmp_path / "uploads"
    corpus.mkdir()
    uploads.mkdir()
    _write_letter(corpus / "jtai-exampleshire-2024-01.txt", "Fine.")
    _write_letter(uploads / "jtai-otherton-2024-01.txt", "Also fine.")
    settings = Settings(index_dir=tmp_path / "index")
    ingest([corpus], settings, show_progress=False)
    ingest([uploads], settings, show_progress=False)

    changed = settings.replace(passage_min_chars=100)  # as when the ingester's code changes
    report = ingest([corpus], changed, show_progress=False)
    assert sorted(report.reread) == ["jtai-exampleshire-2024-01", "jtai-otherton-2024-01"]
    catalog = Catalog.load(settings.index_dir)
    assert catalog is not None and set(catalog.documents) == {
        "jtai-exampleshire-2024-01",
        "jtai-otherton-2024-01",
    }


def test_the_document_store_holds_exactly_the_indexed_documents(tmp_path: Path) -> None:
    from assistant.index.builder import sync_documents
    from assistant.index.catalog import Catalog
    from assistant.ingest.loader import file_hash
    from assistant.records import DocumentMeta

    letters = tmp_path / "letters"
    letters.mkdir()
    (letters / "report (3).txt").write_text("a letter", encoding="utf-8")
    meta = DocumentMeta(
        "report (3)", "t", "A", "JTAI", "report (3).txt", file_hash(letters / "report (3).txt"), 1
    )
    catalog = Catalog("m", {}, documents={meta.doc_id: meta})
    catalog.sources = {meta.doc_id: str(letters / "report (3).txt")}
    store = tmp_path / "documents"
    store.mkdir()
    (store / "gone.pdf").write_text("a letter no longer indexed", encoding="utf-8")
    sync_documents(store, catalog)
    assert sorted(p.name for p in store.iterdir()) == ["report (3).txt"]
    (letters / "report (3).txt").write_text("the letter, changed", encoding="utf-8")
    catalog.documents[meta.doc_id] = DocumentMeta(
        "report (3)", "t", "A", "JTAI", "report (3).txt", file_hash(letters / "report (3).txt"), 1
    )
    sync_documents(store, catalog)
    assert (store / "report (3).txt").read_text(encoding="utf-8") == "the letter, changed"


def test_an_index_copied_without_its_link_can_still_be_added_to(
    sample_index: Path, tmp_path: Path
) -> None:
    """`cp -rL` or a backup tool turns the catalog link into a plain folder: adding still works."""
    index = tmp_path / "index"
    shutil.copytree(sample_index, index)  # follows the link: `catalog` is now a real folder
    assert not (index / "catalog").is_symlink()
    letters = tmp_path / "letters"
    letters.mkdir()
    _write_letter(letters / "jtai-exampleshire-2024-01.txt", "Copied indexes still grow.")
    settings = Settings(index_dir=index)
    report = ingest([letters], settings, show_progress=False)
    assert report.added == ["jtai-exampleshire-2024-01"]
    catalog = Catalog.load(index)
    assert catalog is not None and "jtai-exampleshire-2024-01" in catalog.documents
    assert len(catalog.documents) == len(Catalog.load(sample_index).documents) + 1  # type: ignore[union-attr]
    assert (index / "catalog").is_symlink()
    assert _chroma_ids(settings) == set(catalog.position)
