"""Retrieval: filters, rank fusion, and the hybrid (dense + keyword) LangChain retriever."""
