"""The onnx backend: the real export against the real torch model on real passages, and the
export cache, identity and settings around it."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import pytest
from langchain_core.embeddings import Embeddings
from langchain_tests.integration_tests import EmbeddingsIntegrationTests

from assistant.errors import ConfigError, IndexMismatchError
from assistant.index import onnx_export
from assistant.index.embedder import BACKENDS, identity_note, load_embeddings, model_identity
from assistant.index.onnx_embed import OnnxEmbeddings, l2_normalise, mean_pool, read_pipeline
from assistant.ingest.loader import parse_document
from assistant.settings import EMBEDDING_BACKENDS, Settings
from tests.conftest import corpus_pdf

QUESTIONS = [
    "How quickly does the front door respond to contacts?",
    "What did inspectors say about leaders in Plymouth?",
    "Are children's plans reviewed on time?",
    "What needs to improve for care leavers?",
    "How is the voice of the child heard?",
]


@pytest.fixture(scope="session")
def onnx_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Onnx settings with this session's own cache: the model is exported once, here."""
    cache = tmp_path_factory.mktemp("model-cache")
    settings = Settings(embedding_backend="onnx", model_cache_dir=str(cache))
    load_embeddings(settings)
    return settings


@pytest.fixture(scope="session")
def passages() -> list[str]:
    """About 50 real passages, as the index embeds them (heading included)."""
    texts: list[str] = []
    for doc_id in ("focused-visit-plymouth-2023-01", "jtai-stockton-on-tees-2018-01"):
        doc = parse_document(corpus_pdf(doc_id), min_chars=200, max_chars=900)
        texts.extend(p.search_text for p in doc.passages)
    return texts[:50]


@pytest.mark.integration
class TestOnnxEmbeddingsStandard(EmbeddingsIntegrationTests):
    """LangChain's own standard tests for an ``Embeddings``, on the real export."""

    params: ClassVar[dict[str, Any]] = {}

    @pytest.fixture(autouse=True, scope="class")
    def _export(self, onnx_settings: Settings) -> None:
        (exported,) = onnx_settings.model_cache_path.glob("*.onnx")
        type(self).params = {"model_dir": onnx_settings.model_path, "onnx_file": exported}

    @property
    def embeddings_class(self) -> type[Embeddings]:
        return OnnxEmbeddings

    @property
    def embedding_model_params(self) -> dict[str, Any]:
        return dict(self.params)


def _top(queries: np.ndarray, passages: np.ndarray, k: int) -> list[set[int]]:
    return [set(row) for row in np.argsort(-(queries @ passages.T), axis=1)[:, :k]]


@pytest.mark.integration
def test_same_vectors_and_neighbours_as_torch(onnx_settings: Settings, passages: list[str]) -> None:
    assert len(passages) >= 40
    onnx = load_embeddings(onnx_settings)
    torch = load_embeddings(onnx_settings.replace(embedding_backend="torch"))
    a = np.array(onnx.embed_documents(passages))
    b = np.array(torch.embed_documents(passages))
    assert a.shape == b.shape == (len(passages), 384)
    assert ((a * b).sum(axis=1) >= 0.9999).all()
    assert _top(a, a, 5) == _top(b, b, 5)
    qa = np.array([onnx.embed_query(q) for q in QUESTIONS])
    qb = np.array([torch.embed_query(q) for q in QUESTIONS])
    assert ((qa * qb).sum(axis=1) >= 0.9999).all()
    assert _top(qa, a, 5) == _top(qb, b, 5)


@pytest.mark.integration
def test_long_text_is_cut_where_torch_cuts_it(onnx_settings: Settings) -> None:
    long = " ".join(f"Inspectors visited {n} families in the area." for n in range(200))
    onnx = load_embeddings(onnx_settings).embed_query(long)
    torch = load_embeddings(onnx_settings.replace(embedding_backend="torch")).embed_query(long)
    assert float(np.dot(onnx, torch)) >= 0.9999


@pytest.mark.integration
def test_order_is_kept_across_length_sorted_batches(onnx_settings: Settings) -> None:
    texts = ["Short.", "A " * 300 + "long one.", "", "Medium length text about a visit.", "Two."]
    texts += ["Leaders know their services well and act on what they find. " * 3]
    embeddings = load_embeddings(onnx_settings.replace(embedding_batch_size=2))
    together = np.array(embeddings.embed_documents(texts))
    alone = np.array([embeddings.embed_query(text) for text in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)
    assert embeddings.embed_documents([]) == []


@pytest.mark.integration
def test_the_export_is_made_once_and_reused(
    onnx_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = onnx_settings.model_cache_path
    (exported,) = cache.glob("*.onnx")
    stamp = exported.stat().st_mtime_ns

    def no_second_export(model_dir: Path, target: Path) -> None:
        raise AssertionError("exported again")

    monkeypatch.setattr(onnx_export, "export_onnx", no_second_export)
    key = exported.stem.removeprefix("embedding-")
    assert onnx_export.ensure_export(onnx_settings.model_path, cache, key) == exported
    # A new session over the kept file (what a second process does) embeds without exporting.
    fresh = OnnxEmbeddings(onnx_settings.model_path, exported)
    assert len(fresh.embed_query("Leaders know their services well.")) == 384
    assert exported.stat().st_mtime_ns == stamp
    assert [p.name for p in cache.iterdir()] == [exported.name]  # no temporary files left


def test_a_failed_export_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(model_dir: Path, target: Path) -> None:
        target.write_bytes(b"half a model")
        raise RuntimeError("exporter failed")

    monkeypatch.setattr(onnx_export, "export_onnx", broken)
    with pytest.raises(RuntimeError, match="exporter failed"):
        onnx_export.ensure_export(Settings().model_path, tmp_path / "cache", "0" * 16)
    assert list((tmp_path / "cache").iterdir()) == []


def test_identity_names_the_backend_and_the_export() -> None:
    torch = model_identity(Settings(embedding_backend="torch"))
    onnx = model_identity(Settings(embedding_backend="onnx"))
    assert torch.startswith("sentence-transformers/all-MiniLM-L6-v2@")
    assert "+" not in torch  # indexes built before the onnx backend keep their identity
    assert onnx.startswith(torch + "+onnx-") and onnx != torch
    assert "embedding_backend = torch" in identity_note(torch, onnx)
    assert "embedding_backend = onnx" in identity_note(onnx, torch)
    assert "exported again" in identity_note(onnx, torch + "+onnx-0123456789abcdef")
    assert identity_note("other-model@1234", onnx) == ""


def test_export_key_follows_the_weights() -> None:
    assert onnx_export.export_key("a" * 64) != onnx_export.export_key("b" * 64)
    assert len(onnx_export.export_key("a" * 64)) == 16


def test_a_bad_backend_name_is_refused_naming_the_setting() -> None:
    with pytest.raises(ConfigError, match="embedding_backend must be one of onnx, torch"):
        Settings(embedding_backend="tensorflow")
    with pytest.raises(ConfigError, match="embedding_backend"):
        Settings.load(env={"ASSISTANT_EMBEDDING_BACKEND": "cuda"})


def test_every_backend_the_settings_allow_has_a_loader() -> None:
    assert set(BACKENDS) == set(EMBEDDING_BACKENDS)


def test_mean_pool_skips_padding_and_normalise_gives_unit_rows() -> None:
    vectors = np.array([[[1.0, 0.0], [3.0, 4.0], [100.0, 100.0]], [[0.0, 2.0], [9.0, 9.0], [9, 9]]])
    mask = np.array([[1, 1, 0], [1, 0, 0]])
    np.testing.assert_allclose(mean_pool(vectors, mask), [[2.0, 2.0], [0.0, 2.0]])
    np.testing.assert_allclose(mean_pool(vectors, np.zeros((2, 3))), np.zeros((2, 2)))
    unit = l2_normalise(np.array([[3.0, 4.0], [0.0, 0.0]]))
    np.testing.assert_allclose(unit, [[0.6, 0.8], [0.0, 0.0]])


def test_the_bundled_model_reads_as_mean_pooling_cut_at_256_tokens() -> None:
    assert read_pipeline(Settings().model_path).max_seq_length == 256


@pytest.mark.parametrize(
    ("edit", "reason"),
    [
        (lambda d: _set_json(d / "1_Pooling/config.json", pooling_mode_cls_token=True), "pooling"),
        (lambda d: _add_module(d, "sentence_transformers.models.Dense"), "modules"),
        (lambda d: (d / "sentence_bert_config.json").unlink(), "cannot read"),
    ],
)
def test_a_pipeline_the_onnx_backend_does_not_reproduce_is_refused(
    tmp_path: Path, edit: Callable[[Path], object], reason: str
) -> None:
    folder = tmp_path / "model"
    source = Settings().model_path
    folder.mkdir()
    for name in ("modules.json", "sentence_bert_config.json"):
        shutil.copy(source / name, folder)
    shutil.copytree(source / "1_Pooling", folder / "1_Pooling")
    edit(folder)
    with pytest.raises(IndexMismatchError, match=f"{reason}.*embedding_backend to torch"):
        read_pipeline(folder)


def _set_json(path: Path, **changes: object) -> None:
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))


def _add_module(folder: Path, kind: str) -> None:
    path = folder / "modules.json"
    modules = json.loads(path.read_text())
    modules.append({"idx": len(modules), "name": "3", "path": "3", "type": kind})
    path.write_text(json.dumps(modules))
