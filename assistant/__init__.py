"""Inspection Assistant: cited answers about UK children's-services inspection letters.

The package follows the pipeline: ``ingest`` (PDF -> passages) -> ``index`` (Chroma + BM25)
-> ``retrieve`` (hybrid retriever) -> ``answer`` (grounded answers with citations)
-> ``ui`` / ``evals`` / ``cli``.
"""

__version__ = "0.1.0"
