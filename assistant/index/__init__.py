"""The index: passages in a Chroma vector store, a BM25 keyword index, and a catalog of documents."""
