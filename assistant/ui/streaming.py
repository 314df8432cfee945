"""A model's tokens to the page as they arrive: the question runs in a thread, a LangChain
callback handler hands each token over a queue, and the caller sees the text written so far,
then the checked ``Answer`` (or the error the question raised)."""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Any

from langchain_core.callbacks import BaseCallbackHandler
from langchain_core.runnables import RunnableConfig

from assistant.records import Answer

_RESTART = object()  # a new model call began (a follow-up condensed first, then the answer)
_DONE = object()


class TokenQueue(BaseCallbackHandler):
    def __init__(self, out: queue.Queue[object]) -> None:
        self.out = out

    def on_chat_model_start(self, serialized: Any, messages: Any, **kwargs: Any) -> None:
        self.out.put(_RESTART)

    def on_llm_new_token(self, token: Any, **kwargs: Any) -> None:
        if isinstance(token, str):
            self.out.put(token)


def stream_answer(ask: Callable[[RunnableConfig], Answer]) -> Iterator[str | Answer]:
    """Run ``ask(config)``; yield the text of the current model call after each token, then the
    Answer. An exception from ``ask`` is raised here, in the caller's thread."""
    tokens: queue.Queue[object] = queue.Queue()
    result: dict[str, Any] = {}

    def run() -> None:
        try:
            result["answer"] = ask({"callbacks": [TokenQueue(tokens)]})
        except Exception as exc:
            result["error"] = exc
        finally:
            tokens.put(_DONE)

    threading.Thread(target=run, daemon=True).start()
    written = ""
    while (item := tokens.get()) is not _DONE:
        if item is _RESTART:
            written = ""
        elif isinstance(item, str):
            written += item
            yield written
    if "error" in result:
        raise result["error"]
    yield result["answer"]
