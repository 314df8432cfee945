"""Answering: build a short answer from retrieved passages, every sentence cited."""
