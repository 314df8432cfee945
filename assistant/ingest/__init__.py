"""Ingestion: documents (PDF or text) -> cleaned lines -> sections and units -> passages + metadata."""
