"""The embedding model: loaded from the folder a PyPI package installs, never from a hub."""

from __future__ import annotations

import hashlib
import os
from functools import lru_cache
from pathlib import Path

from langchain_core.embeddings import Embeddings

from assistant.errors import IndexMismatchError
from assistant.settings import Settings


@lru_cache(maxsize=4)
def weights_hash(model_dir: str) -> str:
    """sha256 of the model's weights file: what really identifies the model."""
    path = Path(model_dir)
    files = sorted(path.glob("*.safetensors")) or sorted(path.glob("*.bin"))
    if not files:
        raise IndexMismatchError(f"{model_dir}: no model weights (*.safetensors) in this folder")
    digest = hashlib.sha256()
    for file in files:
        with file.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def model_identity(settings: Settings) -> str:
    """'name@sha256-prefix': recorded with the index, checked before every query."""
    return f"{settings.embedding_model_name}@{weights_hash(str(settings.model_path))[:16]}"


@lru_cache(maxsize=2)
def _load(model_dir: str, batch_size: int) -> Embeddings:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(
        model_name=model_dir,
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"normalize_embeddings": True, "batch_size": batch_size},
    )


def load_embeddings(settings: Settings) -> Embeddings:
    """The LangChain ``Embeddings`` for the configured model (cached per process)."""
    path = settings.model_path
    if not (path / "config.json").exists():
        raise IndexMismatchError(f"{path}: not a sentence-transformers model folder")
    return _load(str(path), settings.embedding_batch_size)


class LazyEmbeddings(Embeddings):
    """Loads the model on first use, so a no-change ingest or an index check stays fast."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return load_embeddings(self.settings).embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return load_embeddings(self.settings).embed_query(text)
