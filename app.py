"""The Gradio page (a minimal one for now; the full page is issue 5).

python app.py [--host H] [--port P] [--index DIR] [--auth-file USERS] [--no-uploads]
"""

from __future__ import annotations

import argparse
import os
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

    from assistant.index.builder import document_store
    from assistant.service import Assistant
    from assistant.settings import Settings
    from assistant.ui.inputs import read_users
    from assistant.ui.page import build_page, launch_options

    settings = Settings.load(
        index_dir=args.index, auth_file=args.auth_file, uploads=False if args.no_uploads else None
    )
    auth = read_users(Path(settings.auth_file)) if settings.auth_file else None
    assistant = Assistant.open(settings)
    # Only the index's own copies of the ingested documents are served: nothing that merely
    # sits beside a letter (notes, keys) in the folder it came from.
    allowed = [str(document_store(Path(settings.index_dir)).resolve())]
    build_page(assistant, uploads_allowed=settings.uploads).launch(
        server_name=args.host,
        server_port=args.port,
        allowed_paths=allowed,
        max_file_size=f"{settings.max_file_mb}mb",  # refused before it is stored
        auth=auth,
        **launch_options(),
    )


if __name__ == "__main__":
    main()
