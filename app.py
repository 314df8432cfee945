"""The chat page and the plain HTTP API (``/api/...``), served together.

python app.py [--host H] [--port P] [--index DIR] [--auth-file USERS] [--no-uploads]
"""

from __future__ import annotations

import argparse
import logging
import os
import shutil
from pathlib import Path

os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=7860)
    parser.add_argument("--index", default=os.environ.get("ASSISTANT_INDEX_DIR"))
    parser.add_argument(
        "--auth-file",
        help="users file (user:password a line): sign-in required (ASSISTANT_AUTH_FILE)",
    )
    parser.add_argument(
        "--no-uploads",
        action="store_true",
        help="hide and refuse 'Add letters' (ASSISTANT_UPLOADS=0)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    from assistant.settings import Settings

    settings = Settings.load(
        index_dir=args.index, auth_file=args.auth_file, uploads=False if args.no_uploads else None
    )
    # Gradio keeps uploaded files in its temp folder: one under the data folder, emptied at
    # each start (an upload is copied to data/uploads/ when added, and its temp copy deleted).
    if "GRADIO_TEMP_DIR" not in os.environ:
        temp = Path(settings.data_dir) / "gradio-temp"
        shutil.rmtree(temp, ignore_errors=True)
        temp.mkdir(parents=True)
        os.environ["GRADIO_TEMP_DIR"] = str(temp.resolve())

    import uvicorn

    from assistant.api.server import create_app
    from assistant.index.builder import document_store
    from assistant.library import Library
    from assistant.ui.inputs import read_users
    from assistant.ui.page import build_page

    users = read_users(Path(settings.auth_file)) if settings.auth_file else None
    library = Library.open(settings)
    library.settle()  # letters an add cut short, or that the index lost, before any question
    library.shared.watch(settings.refresh_seconds)  # another process's changes to the index
    page = build_page(library)
    # Only the index's own copies of the ingested documents are served: nothing that merely
    # sits beside a letter (notes, keys) in the folder it came from.
    allowed = [str(document_store(Path(settings.index_dir)).resolve())]
    app = create_app(page, library, users, allowed)
    print(f"* Running on http://{args.host}:{args.port} (the page; the API under /api/)")
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level="warning",
        timeout_keep_alive=30,
        timeout_graceful_shutdown=2,  # open event streams must not hold a stop for long
    )


if __name__ == "__main__":
    main()
