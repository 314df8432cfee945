"""Shared fixtures: a small real corpus (one letter of each kind) indexed with the real model."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from assistant.errors import DocumentError
from assistant.records import ParsedDocument

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
# Letters outside corpus/ that a held-out split asks about: evals/docs/<split>/ for <split>.jsonl.
SPLIT_DOCS = {p.name: p for p in sorted((ROOT / "evals" / "docs").iterdir()) if p.is_dir()}

# One document of each inspection type, small enough to embed in seconds.
SAMPLE = {
    "JTAI": "jtai-stockton-on-tees-2018-01",
    "ILACS": "ilacs-stockton-on-tees-2023-05",
    "focused visit": "focused-visit-plymouth-2023-01",
    "area SEND": "area-send-hartlepool-2023-05",
}


def corpus_pdf(doc_id: str) -> Path:
    return CORPUS / f"{doc_id}.pdf"


@pytest.fixture(scope="session")
def sample_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for doc_id in SAMPLE.values():
        shutil.copy(corpus_pdf(doc_id), folder)
    return folder


@pytest.fixture(scope="session")
def sample_index(sample_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real index (real model, real Chroma on disk) over the sample corpus."""
    from assistant.index.builder import ingest
    from assistant.settings import Settings

    index = tmp_path_factory.mktemp("index")
    report = ingest([sample_corpus], Settings(index_dir=index), show_progress=False)
    assert not report.failed, report.failed
    return index


@pytest.fixture(scope="session")
def corpus_parsed() -> dict[str, ParsedDocument | DocumentError]:
    """Every shipped letter, and the held-out splits' extra letters, read once per run (in
    parallel) as the ingester reads them, from copies named doc-001.pdf... so that nothing
    comes from a file name; keyed by the real document id. The gold-set and metadata tests
    share it."""
    from assistant.evals.metadata_check import parse_files
    from assistant.settings import Settings

    paths = sorted(CORPUS.glob("*.pdf"))
    for folder in SPLIT_DOCS.values():
        paths += sorted(folder.glob("*.pdf"))
    s = Settings()
    parsed = parse_files(
        paths,
        opaque=True,
        min_chars=s.passage_min_chars,
        max_chars=s.passage_max_chars,
        show=False,
    )
    return {path.stem: doc for path, doc in zip(paths, parsed, strict=True)}
