"""Several app processes on one real Chroma server (`chroma run` on 127.0.0.1): the server holds
everything, so a process started on an empty index folder answers as the embedded index does,
and letters one process adds reach the others."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.errors import IndexMismatchError, IndexUnavailableError
from assistant.index.builder import ingest
from assistant.index.catalog_store import catalog_store
from assistant.index.vectors import chroma_server
from assistant.service import Assistant
from assistant.settings import Settings
from tests.conftest import ROOT, corpus_pdf
from tests.ui.conftest import free_port

pytestmark = pytest.mark.integration

QUESTIONS = [
    "How many children attended their child protection conference in Stockton-On-Tees?",
    "What was the overall effectiveness judgement in Stockton's 2023 ILACS?",
    "What works well for children and young people in Hartlepool?",
    "When did the Stockton-on-Tees JTAI take place, and what was its theme?",
    "What is the weather in Paris?",
]
NEW_LETTER = """Joint targeted area inspection of Serverton

Key strengths

In Serverton, the harbour outreach team meets every fishing family each spring to talk about neglect, and inspectors saw how much families valued those visits.
The Serverton partnership has trained all harbour staff to recognise signs of neglect and to refer children promptly to the multi-agency front door.

Areas for improvement

Health visitors in Serverton do not always share information about families who move between moorings, so some risks are not known to the front door.
"""


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """A real Chroma server, as the chromadb wheel ships it, on a free local port."""
    with chroma_server(tmp_path_factory.mktemp("chroma-server"), free_port()) as port:
        yield port


@pytest.fixture(scope="module")
def first(chroma: int, sample_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The first process's settings, after it ingested the sample corpus into the server."""
    settings = server(tmp_path_factory.mktemp("first"), chroma, "shared")
    report = ingest([sample_corpus], settings, show_progress=False)
    assert not report.failed and len(report.added) == 4
    return settings


def server(index: Path, port: int, collection: str = "passages") -> Settings:
    return Settings(
        index_dir=index, chroma_host="127.0.0.1", chroma_port=port, collection=collection
    )


def answers(assistant: Assistant) -> list[tuple[str, list[str], list[str]]]:
    out = []
    for question in QUESTIONS:
        answer = assistant.ask(question)
        out.append(
            (
                answer.text,
                [c.passage_id for c in answer.citations],
                [sp.passage.id for sp in answer.passages],
            )
        )
    return out


def test_a_second_process_on_an_empty_folder_answers_as_the_embedded_index_does(
    first: Settings, sample_corpus: Path, sample_index: Path, tmp_path: Path
) -> None:
    # Nothing but the copies of the letters the page serves is written to the first folder.
    assert not (first.index_dir / "catalog").exists()
    assert not (first.index_dir / "chroma").exists()

    second = first.replace(index_dir=tmp_path / "second")  # an empty folder: another machine
    embedded = Assistant.open(Settings(index_dir=sample_index))
    other = Assistant.open(second)
    assert list(other.catalog.documents) == list(embedded.catalog.documents)
    assert [p.id for p in other.catalog.passages] == [p.id for p in embedded.catalog.passages]
    assert answers(other) == answers(embedded)

    # A no-change ingest through the second process writes nothing and keeps the version.
    version = catalog_store(second).version()
    again = ingest([sample_corpus], second, show_progress=False)
    assert not again.changed and catalog_store(second).version() == version


def test_an_ingest_that_started_before_another_saved_is_refused(
    chroma: int, tmp_path: Path
) -> None:
    settings = server(tmp_path, chroma, "racing")
    (tmp_path / "jtai-serverton-2024-05.txt").write_text(NEW_LETTER, encoding="utf-8")
    ingest([tmp_path / "jtai-serverton-2024-05.txt"], settings, show_progress=False)
    catalogs = catalog_store(settings)
    catalog = catalogs.load()
    assert catalog is not None
    stale = catalog.version
    catalogs.save(catalog, stale)  # another process saves first
    with pytest.raises(IndexMismatchError, match="another process changed the index"):
        catalogs.save(catalog, stale)


def test_a_process_configured_by_environment_answers_from_the_server(
    first: Settings, tmp_path: Path
) -> None:
    """A real second process (the CLI), pointed at the server by CHROMA_HOST and CHROMA_PORT."""
    env = {
        **os.environ,
        "CHROMA_HOST": "127.0.0.1",
        "CHROMA_PORT": str(first.chroma_port),
        "CHROMA_COLLECTION": first.collection,
        "ASSISTANT_INDEX_DIR": str(tmp_path / "empty"),
    }
    question = QUESTIONS[0]
    result = subprocess.run(
        [sys.executable, "-m", "assistant", "ask", question, "--json"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    local = Assistant.open(first).ask(question)
    assert json.loads(result.stdout)["answer"] == local.text and not local.abstained


def test_a_server_that_stops_gives_a_plain_message_and_answers_once_it_is_back(
    tmp_path: Path,
) -> None:
    """Its own server, stopped and started again on the same port and folder: the question
    gets "cannot be reached" (on the page, in place of "Searching the letters..."), then an
    answer once the server is back, with nothing restarted on the app's side."""
    from assistant.library import Library
    from assistant.shared import Shared
    from assistant.ui.actions import Actions

    port = free_port()
    letters = tmp_path / "letters"
    letters.mkdir()
    shutil.copy(corpus_pdf("focused-visit-plymouth-2023-01"), letters)
    settings = server(tmp_path / "app", port).replace(data_dir=tmp_path / "data")
    question = "What did inspectors find about children in care in Plymouth?"
    with chroma_server(tmp_path / "chroma", port):
        assert ingest([letters], settings, show_progress=False).added
        assistant = Assistant.open(settings)
        before = assistant.ask(question).text
        respond = Actions(Library(Shared(assistant))).respond  # the page's handler

    down = f"the index server at 127.0.0.1:{port} cannot be reached; try again in a moment"
    with pytest.raises(IndexUnavailableError, match=down):  # what the API and the CLI get
        assistant.ask(question)
    *_, (_, chat, turns, _) = respond(question, [], [], [], [], "Any", "Any", "Any")
    assert chat[-1] == {"role": "assistant", "content": down[0].upper() + down[1:] + "."}
    assert turns == []

    with chroma_server(tmp_path / "chroma", port):
        assert assistant.ask(question).text == before
        *_, (_, chat, turns, _) = respond(question, [], [], [], [], "Any", "Any", "Any")
        assert len(turns) == 1 and turns[0].text == before


def test_a_letter_added_through_one_process_reaches_the_other(  # last: it adds a letter
    first: Settings, sample_corpus: Path, tmp_path: Path
) -> None:
    from assistant.shared import Shared

    page = Shared(Assistant.open(first))  # the first process's running page
    assert not page.refresh()  # nothing changed yet

    second = first.replace(index_dir=tmp_path / "second")
    uploads = tmp_path / "second-uploads"
    uploads.mkdir()
    (uploads / "jtai-serverton-2024-05.txt").write_text(NEW_LETTER, encoding="utf-8")
    report = ingest([uploads], second, show_progress=False)
    assert report.added == ["jtai-serverton-2024-05"]
    # The first process's files know nothing of it (another machine's upload folder), and
    # its own ingest of its corpus keeps it.
    assert not ingest([sample_corpus], first, show_progress=False).removed

    question = "What does the harbour outreach team do in Serverton?"
    assert page.assistant.ask(question).abstained  # before it looks again
    assert page.refresh()
    answer = page.assistant.ask(question)
    assert not answer.abstained and "fishing family" in answer.text
    assert {c.doc for c in answer.citations} == {"jtai-serverton-2024-05"}
