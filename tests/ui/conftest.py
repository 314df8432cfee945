"""The real app in its own process, and Debian's Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, corpus_pdf

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_app(
    base: Path, corpus: Path, index: Path, *extra: str, env: dict[str, str] | None = None
) -> tuple[str, subprocess.Popen[bytes]]:
    """The real app in its own process on a free port, once it answers (its log in base)."""
    port = free_port()
    environment = {
        **os.environ,
        "ASSISTANT_DATA_DIR": str(base / "data"),
        "ASSISTANT_CORPUS_DIR": str(corpus),
        "GRADIO_ANALYTICS_ENABLED": "False",
        "HF_HUB_OFFLINE": "1",
        **(env or {}),
    }
    log = (base / "app.log").open("w")
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py"), "--port", str(port), "--index", str(index), *extra],
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}/"
    deadline = time.time() + 180
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return url, proc
        except urllib.error.HTTPError:
            return url, proc  # it answers (a sign-in page may refuse the root)
        except OSError:
            if proc.poll() is not None:
                raise RuntimeError((base / "app.log").read_text()) from None
            time.sleep(1)
    proc.kill()
    raise RuntimeError("the app did not start: " + (base / "app.log").read_text()[-2000:])


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def browser_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """One app for the browser tests (test_browser.py, test_sources_sizes.py) over two letters,
    with a file that is not a letter beside them: (its URL, that file). Tests may add letters."""
    from assistant.index.builder import ingest
    from assistant.settings import Settings

    base = tmp_path_factory.mktemp("browser")
    corpus = base / "corpus"
    corpus.mkdir()
    for doc_id in ("jtai-stockton-on-tees-2018-01", "area-send-hartlepool-2023-05"):
        shutil.copy(corpus_pdf(doc_id), corpus)
    beside = corpus / "notes.key"
    beside.write_text("a secret beside the letters", encoding="utf-8")
    index = base / "index"
    ingest([corpus], Settings(index_dir=index), show_progress=False)
    # One letter a page of the Letters table, so that two letters page.
    url, proc = start_app(base, corpus, index, env={"ASSISTANT_LETTERS_PER_PAGE": "1"})
    yield url, beside
    proc.terminate()
    proc.wait(timeout=30)


@pytest.fixture(scope="session")
def server(browser_app: tuple[str, Path]) -> str:
    return browser_app[0]
