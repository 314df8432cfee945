"""The embedding model exported to ONNX: made once from the bundled weights, kept in a cache.

The export is a function of the weights and of the exporter (torch and transformers, which
trace the model, and the ONNX opset), so :func:`export_key` hashes exactly those and names the
file by it: new weights or a new torch give a new file, never a stale one. The export is checked
against the torch model before it is kept, and written to a temporary file that is renamed into
place, so two processes exporting at once each finish with a whole file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import warnings
from importlib.metadata import version
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import ConfigError

log = logging.getLogger(__name__)

OPSET = 17  # the first opset with LayerNormalization as one op (not a chain of primitives)
INPUTS = ("input_ids", "attention_mask", "token_type_ids")
OUTPUT = "last_hidden_state"
# The trace runs on one batch and the check on another of a different shape, so a size the
# trace baked in as a constant (instead of a dynamic axis) fails the check.
TRACE_TEXTS = ["A short one.", "A longer sentence, so the batch needs padding to its length."]
CHECK_TEXTS = [
    "The local authority has improved its services for children in need of help and protection.",
    "Leaders know their services well.",
    "Inspectors found that",
]
TOLERANCE = 1e-4  # largest difference allowed in any real token's vector (measured: ~3e-6)


def export_key(weights_sha256: str) -> str:
    """16 hex digits of sha256 over the weights' hash and the exporter's versions."""
    parts = (
        weights_sha256,
        f"torch {version('torch')}",
        f"transformers {version('transformers')}",
        f"opset {OPSET}",
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def export_onnx(model_dir: Path, target: Path) -> None:
    """Export the transformer in ``model_dir`` (input ids, mask, token types -> token vectors)
    to ``target``, with dynamic batch and sequence axes, and check it reproduces torch.

    Pooling and normalisation stay outside the graph (see onnx_embed.py), so the file is the
    plain model. The legacy TorchScript exporter (``dynamo=False``) is used: it needs only the
    ``onnx`` package, where the dynamo one also needs onnxscript.
    """
    import onnxruntime
    import torch
    from transformers import AutoModel, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(str(model_dir), local_files_only=True)
    model = AutoModel.from_pretrained(str(model_dir), local_files_only=True)
    graph = _token_vectors(model).eval()  # eval: the exporter restores this mode afterwards
    trace = tokenizer(TRACE_TEXTS, padding=True, return_tensors="pt")
    check = tokenizer(CHECK_TEXTS, padding=True, return_tensors="pt")
    with torch.no_grad():
        expected = graph(*(check[name] for name in INPUTS)).numpy()
    axes = {name: {0: "batch", 1: "sequence"} for name in (*INPUTS, OUTPUT)}
    with warnings.catch_warnings(), torch.no_grad():
        # The tracer warns about every Python branch on a tensor; the check below is what
        # decides whether the graph is right.
        warnings.simplefilter("ignore")
        torch.onnx.export(
            graph,
            tuple(trace[name] for name in INPUTS),
            str(target),
            input_names=list(INPUTS),
            output_names=[OUTPUT],
            dynamic_axes=axes,
            opset_version=OPSET,
            dynamo=False,
        )
    session = onnxruntime.InferenceSession(str(target), providers=["CPUExecutionProvider"])
    got = session.run([OUTPUT], {name: check[name].numpy() for name in INPUTS})[0]
    mask = check["attention_mask"].numpy()[..., None]
    worst = float(np.abs((got - expected) * mask).max())
    if worst > TOLERANCE:
        raise RuntimeError(f"the ONNX export of {model_dir} differs from torch by {worst:.2g}")


def ensure_export(model_dir: Path, cache_dir: Path, key: str) -> Path:
    """The export for ``key`` in ``cache_dir``, made on first use and reused after."""
    target = cache_dir / f"embedding-{key}.onnx"
    if target.exists():
        return target
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"setting model_cache_dir: cannot create {cache_dir}: {exc}") from exc
    if not os.access(cache_dir, os.W_OK):
        raise ConfigError(f"setting model_cache_dir: cannot write to {cache_dir}")
    # A name of this process's own: another process exporting at the same time writes its own
    # file, and whichever rename lands last leaves an equally whole export in place.
    temporary = cache_dir / f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp"
    log.info("exporting the embedding model to ONNX (once): %s", target)
    try:
        export_onnx(model_dir, temporary)
        os.replace(temporary, target)
    finally:
        temporary.unlink(missing_ok=True)
    return target


def _token_vectors(model: Any) -> Any:
    """The transformer with positional inputs and one output, as the exporter wants it (a
    class made here so that importing this module does not import torch)."""
    import torch

    class TokenVectors(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = model

        def forward(
            self,
            input_ids: torch.Tensor,
            attention_mask: torch.Tensor,
            token_type_ids: torch.Tensor,
        ) -> torch.Tensor:
            out = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            )
            return out.last_hidden_state

    return TokenVectors()
