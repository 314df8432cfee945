"""The embedding model run by onnxruntime: the same weights as the torch backend, about twice as
fast on CPU, and the same vectors (``python -m assistant.evals.embed_check`` measures both).

It does what sentence-transformers does for this model folder, read from the folder's own files
rather than assumed: ``modules.json`` (Transformer -> Pooling [-> Normalize]),
``1_Pooling/config.json`` (mean of the token vectors where the attention mask is 1) and
``sentence_bert_config.json`` (truncate to ``max_seq_length`` tokens). A folder asking for
anything else (another pooling, a Dense layer) is refused rather than embedded differently.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from assistant.errors import IndexMismatchError
from assistant.index.onnx_export import INPUTS, OUTPUT

_TRANSFORMER = "sentence_transformers.models.Transformer"
_POOLING = "sentence_transformers.models.Pooling"
_NORMALIZE = "sentence_transformers.models.Normalize"


@dataclass(frozen=True)
class Pipeline:
    """What the model folder says happens around the transformer."""

    max_seq_length: int


def read_pipeline(model_dir: Path) -> Pipeline:
    """The folder's sentence-transformers pipeline, if it is one this backend reproduces."""

    def refuse(reason: str) -> IndexMismatchError:
        return IndexMismatchError(
            f"{model_dir}: {reason}; the onnx backend does not reproduce it "
            "(set embedding_backend to torch)"
        )

    try:
        modules = json.loads((model_dir / "modules.json").read_text(encoding="utf-8"))
        kinds = [m["type"] for m in modules]
        if kinds not in ([_TRANSFORMER, _POOLING], [_TRANSFORMER, _POOLING, _NORMALIZE]):
            raise refuse(f"modules {', '.join(k.rsplit('.', 1)[-1] for k in kinds)}")
        pooling_file = model_dir / modules[1]["path"] / "config.json"
        pooling = json.loads(pooling_file.read_text(encoding="utf-8"))
        modes = sorted(k for k, v in pooling.items() if k.startswith("pooling_mode_") and v)
        if modes != ["pooling_mode_mean_tokens"]:
            raise refuse(f"pooling {', '.join(modes) or 'none'}")
        config = json.loads((model_dir / "sentence_bert_config.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError, IndexError) as exc:
        raise refuse(f"cannot read its sentence-transformers configuration ({exc})") from exc
    if config.get("do_lower_case"):
        # sentence-transformers would add lower-casing in front of the tokenizer's own rules.
        raise refuse("do_lower_case in sentence_bert_config.json")
    return Pipeline(max_seq_length=int(config["max_seq_length"]))


def mean_pool(token_vectors: np.ndarray, attention_mask: np.ndarray) -> np.ndarray:
    """Mean of each text's token vectors over its real tokens (padding excluded), the count
    clamped at 1e-9 as sentence-transformers does so an empty mask gives zeros, not NaN."""
    weights = attention_mask[..., None].astype(token_vectors.dtype)
    counts = np.clip(weights.sum(axis=1), 1e-9, None)
    return (token_vectors * weights).sum(axis=1) / counts


def l2_normalise(vectors: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (torch's F.normalize: norms below 1e-12 are taken as 1e-12).
    The torch backend asks for normalised embeddings too, so cosine is a dot product in both."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.maximum(norms, 1e-12)


class OnnxEmbeddings(Embeddings):
    """LangChain ``Embeddings`` running an ONNX export of a sentence-transformers model.

    Texts are embedded in batches of similar length (longest first, as sentence-transformers
    does, so padding is short) and returned in the order given. onnxruntime spreads each batch
    over every core (intra-op threads) and runs the graph's operators one after another
    (sequential execution, one inter-op thread), as torch does. Made by ``embedder.load_embeddings`` when the setting
    ``embedding_backend`` is onnx, with the export from ``onnx_export.ensure_export``.
    """

    def __init__(self, model_dir: Path, onnx_file: Path, batch_size: int = 32) -> None:
        import onnxruntime
        from transformers import AutoTokenizer

        self.pipeline = read_pipeline(model_dir)
        self.batch_size = batch_size
        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = os.cpu_count() or 1
        options.inter_op_num_threads = 1
        options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
        self.session = onnxruntime.InferenceSession(
            str(onnx_file), options, providers=["CPUExecutionProvider"]
        )
        self.dimension = int(self.session.get_outputs()[0].shape[-1])

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embed(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embed([text])[0].tolist()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text, in the order given."""
        # LangChain's HuggingFaceEmbeddings (the torch backend) turns newlines into spaces.
        texts = [text.replace("\n", " ") for text in texts]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            rows = order[start : start + self.batch_size]
            tokens = self.tokenizer(
                [texts[i] for i in rows],
                padding=True,
                truncation="longest_first",
                max_length=self.pipeline.max_seq_length,
                return_tensors="np",
            )
            feeds = {name: tokens[name].astype(np.int64) for name in INPUTS}
            token_vectors = self.session.run([OUTPUT], feeds)[0]
            out[rows] = l2_normalise(mean_pool(token_vectors, tokens["attention_mask"]))
        return out
