"""A real ingest process for the race tests: it keeps the model loaded and, for each line on
stdin (a JSON list of command-line arguments), runs ``python -m assistant ...`` in-process and
answers one JSON line {"code", "out", "err"}. Two of these, sent a line each at once, race."""

from __future__ import annotations

import contextlib
import io
import json
import sys

from assistant.cli import main


def serve() -> None:
    print(json.dumps({"ready": True}), flush=True)
    for line in sys.stdin:
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(json.loads(line))
            except Exception as exc:  # reported, so the test names it
                code, err = 99, io.StringIO(f"{type(exc).__name__}: {exc}")
        print(json.dumps({"code": code, "out": out.getvalue(), "err": err.getvalue()}), flush=True)


if __name__ == "__main__":
    serve()
