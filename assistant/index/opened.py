"""The built index opened for reading: its catalog and its vector store, or a clear refusal."""

from __future__ import annotations

from langchain_chroma import Chroma

from assistant.errors import IndexMismatchError
from assistant.index.catalog import Catalog
from assistant.index.catalog_store import catalog_store
from assistant.index.embedder import identity_note, load_embeddings, model_identity
from assistant.index.vectors import open_store
from assistant.settings import Settings


def open_index(settings: Settings) -> tuple[Catalog, Chroma]:
    """Open the index in ``settings.index_dir``; refuse a missing one, or one built with another
    embedding model, naming the command that builds it."""
    catalogs = catalog_store(settings)
    catalog = catalogs.load()
    if catalog is None:
        raise IndexMismatchError(
            f"no index in {catalogs.where}; build one with 'python -m assistant ingest corpus'"
        )
    identity = model_identity(settings)
    if catalog.embedding_model != identity:
        raise IndexMismatchError(
            f"the index in {catalogs.where} was built with {catalog.embedding_model}, "
            f"but this installation embeds with {identity}"
            f"{identity_note(catalog.embedding_model, identity)}; rebuild it with "
            "'python -m assistant ingest --rebuild corpus'"
        )
    return catalog, open_store(settings, load_embeddings(settings), identity)
