"""Do the two embedding backends find the same passages, and how fast is each? Over every
passage of a built index and the gold questions:

    python -m assistant.evals.embed_check [--index DIR] [--gold FILE ...] [--limit N]

prints, for torch and onnx, the model's load time (in a fresh process, imports included) and
passages embedded per second; the one-off ONNX export time; the largest |cosine - 1| between the
two backends' vectors of one passage; and how many of each question's 10 nearest passages the
two backends share. It exits 1 when the backends are not interchangeable (thresholds below).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from assistant.evals.gold import load_gold
from assistant.index.catalog import Catalog
from assistant.index.embedder import load_embeddings, weights_hash
from assistant.index.onnx_export import ensure_export, export_key
from assistant.settings import Settings

# Interchangeable: every passage's two vectors at cosine >= 0.9999 and >= 99.5% of top-10
# neighbours shared (float noise reorders near-ties, it should not change what is found).
MAX_COSINE_GAP = 1e-4
MIN_OVERLAP = 0.995
K = 10
GOLD = sorted(Path("evals/gold").glob("*.jsonl"))


def top_k(queries: np.ndarray, passages: np.ndarray, k: int) -> np.ndarray:
    """Row i: the positions of the k passages nearest query i (unit vectors: dot = cosine)."""
    scores = queries @ passages.T
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]


def neighbour_overlap(first: np.ndarray, second: np.ndarray) -> float:
    """Mean share of each row's neighbours (as sets) that two top-k tables have in common."""
    if not len(first):
        return 1.0
    shared = [len(set(a) & set(b)) / len(a) for a, b in zip(first, second, strict=True)]
    return float(np.mean(shared))


def _time_load(settings: Settings) -> float:
    started = time.perf_counter()
    load_embeddings(settings).embed_query("warm up")
    return time.perf_counter() - started


def load_seconds(settings: Settings) -> float:
    """Seconds to load the model and embed one text, in a fresh process: the backend's imports
    (torch or onnxruntime) are counted, as they are when the app starts."""
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(_time_load, settings).result()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.evals.embed_check")
    parser.add_argument("--index", help="a built index (default: the setting index_dir)")
    parser.add_argument("--gold", nargs="*", default=[str(p) for p in GOLD], help="questions")
    parser.add_argument("--limit", type=int, default=0, help="only the first N passages")
    args = parser.parse_args(argv)

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    settings = Settings.load(index_dir=args.index)
    catalog = Catalog.load(Path(settings.index_dir))
    if catalog is None:
        print(f"no index in {settings.index_dir}: build one with 'python -m assistant ingest'")
        return 2
    texts = [p.search_text for p in catalog.passages][: args.limit or None]
    questions = [q.question for path in args.gold for q in load_gold(Path(path))]
    print(f"{len(texts)} passages, {len(questions)} questions, {os.cpu_count()} cores")

    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        key = export_key(weights_hash(str(settings.model_path)))
        ensure_export(settings.model_path, Path(cache), key)
        export = time.perf_counter() - started
        vectors: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        print(f"{'backend':8} {'load s':>7} {'passages/s':>11} {'query ms':>9}")
        for backend in ("torch", "onnx"):
            chosen = settings.replace(embedding_backend=backend, model_cache_dir=cache)
            load = load_seconds(chosen)
            embeddings = load_embeddings(chosen)
            embeddings.embed_documents(texts[:32])  # warm up: first-call allocations
            started = time.perf_counter()
            passages = np.array(embeddings.embed_documents(texts), dtype=np.float32)
            rate = len(texts) / (time.perf_counter() - started)
            started = time.perf_counter()
            queries = np.array([embeddings.embed_query(q) for q in questions], dtype=np.float32)
            per_query = 1000 * (time.perf_counter() - started) / max(1, len(questions))
            vectors[backend] = (passages, queries)
            print(f"{backend:8} {load:7.1f} {rate:11.1f} {per_query:9.1f}")
    print(f"onnx export (once, into the cache): {export:.1f} s")

    (torch_p, torch_q), (onnx_p, onnx_q) = vectors["torch"], vectors["onnx"]
    gap = float(np.abs((torch_p * onnx_p).sum(axis=1) - 1).max())
    query_gap = float(np.abs((torch_q * onnx_q).sum(axis=1) - 1).max())
    first, second = top_k(torch_q, torch_p, K), top_k(onnx_q, onnx_p, K)
    overlap = neighbour_overlap(first, second)
    same = sum(set(a) == set(b) for a, b in zip(first, second, strict=True))
    print(f"max |cos - 1| between backends: passages {gap:.2e}, questions {query_gap:.2e}")
    print(
        f"top-{K} neighbours shared: {100 * overlap:.2f}% "
        f"({same}/{len(questions)} questions with the same {K})"
    )
    ok = max(gap, query_gap) <= MAX_COSINE_GAP and overlap >= MIN_OVERLAP
    print("interchangeable" if ok else "NOT interchangeable")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
