"""The bench's own parts: peak memory counts the children a phase starts, and the table."""

from __future__ import annotations

import sys

from assistant.evals.bench import _reported_seconds, latencies, lookup, markdown, measure

GROW = "x = bytearray({mb} * 1024 * 1024); x[::4096] = b'1' * len(x[::4096])"


def test_measure_counts_the_peak_of_a_child_the_command_starts() -> None:
    child = GROW.format(mb=300)
    parent = (
        f"import subprocess, sys; subprocess.run([sys.executable, '-c', {child!r}], check=True)"
    )
    measured = measure([sys.executable, "-c", parent])
    assert measured.peak_mb >= 300
    # The bench holds the model while it measures: its own memory is not the command's.
    held = bytearray(400 * 1024 * 1024)
    held[::4096] = b"1" * len(held[::4096])
    small = measure([sys.executable, "-c", GROW.format(mb=10)])
    assert small.peak_mb < 200 and small.seconds > 0


def test_a_failing_phase_names_itself_with_its_output() -> None:
    import pytest

    with pytest.raises(RuntimeError, match="failed \\(3\\)"):
        measure([sys.executable, "-c", "import sys; print('bad letter'); sys.exit(3)"])


def test_the_table_has_a_column_per_size_and_the_ratios() -> None:
    size = {
        "ingest": {"cold_seconds": 40.0, "passages": 4094, "no_change_seconds": 0.61},
        "query": {"baseline_build_seconds": 80.0, "answer_ms": {"p95": 120.0}},
        "quality": {"dev": {"hit_at_5": 0.971, "mrr": 0.8}},
    }
    scale = {**size, "quality": {"dev": {"hit_at_5": 0.95, "mrr": 0.79}}}
    results = {"machine": {"cpus": 2}, "corpus": size, "scale": scale}
    results["quality_drop_at_scale"] = {"dev": 0.021}
    table = markdown(results)
    assert "| cold ingest | 40.0 s | 40.0 s |" in table
    assert "| passages | 4094 | 4094 |" in table
    assert "| no-change re-ingest | 0.610 s | 0.610 s |" in table
    assert "| retrieval p95 | n/a | n/a |" in table  # missing figures are said, not invented
    assert "corpus: cold ingest / baseline build = 0.500" in table
    assert "| dev | 0.971 | 0.800 | 0.950 | 0.790 |" in table
    assert "dev +0.021" in table
    assert lookup(size, "query.answer_ms.p95") == 120.0 and lookup(size, "query.nothing") is None
    assert _reported_seconds("0 added, ...; index holds 66 documents, 4094 passages (0.4 s)") == 0.4
    assert latencies([0.010, 0.020, 0.030]) == {"p50": 20.0, "p95": 30.0}
