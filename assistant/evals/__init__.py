"""Offline evaluation: gold sets (GOLDSET.md), metrics, the naive baseline, and reports."""
