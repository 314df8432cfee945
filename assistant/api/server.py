"""One web app: the plain API (``/api/...``, with its OpenAPI schema at ``/api/openapi.json``)
and the Gradio page mounted at ``/`` beside it, behind the :class:`~assistant.api.guard.Guard`.
``app.py`` serves it with uvicorn."""

from __future__ import annotations

from collections.abc import Sequence

import gradio as gr
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from assistant.api.guard import Guard
from assistant.api.request import describe_errors
from assistant.api.routes import api_router
from assistant.api.throttle import SignInThrottle
from assistant.library import Library
from assistant.settings import Settings
from assistant.ui.page import launch_options


def throttle_for(settings: Settings) -> SignInThrottle:
    return SignInThrottle(
        failures=settings.login_failures,
        window=settings.login_window_seconds,
        lockout=settings.login_lockout_seconds,
        max_lockout=settings.login_lockout_max_seconds,
    )


def max_body(settings: Settings) -> int:
    """The largest body a valid ``/api/ask`` can have (UTF-8 up to 4 bytes a character, JSON
    escapes and names aside), with room to spare."""
    s = settings
    chars = (
        s.max_question_chars
        + 3 * s.max_filter_items * (s.max_filter_chars + 8)
        + s.max_conversation_turns * (s.max_question_chars + s.max_answer_chars + 40)
    )
    return 6 * chars + 4096


def create_app(
    page: gr.Blocks,
    library: Library,
    users: Sequence[tuple[str, str]] | None,
    allowed_paths: list[str],
) -> FastAPI:
    """The page and the API as one ASGI app, over the same letters (``library``, whose
    assistant is swapped when the index changes)."""
    settings = library.assistant.settings
    app = FastAPI(
        title="Inspection Assistant API",
        description="Cited answers from UK children's-services inspection letters.",
        openapi_url="/api/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
    )
    throttle = throttle_for(settings)
    app.include_router(api_router(library, users, throttle))

    @app.exception_handler(RequestValidationError)
    async def refused(request: Request, exc: RequestValidationError) -> JSONResponse:
        problem = describe_errors(exc.errors(), skip=("body",))
        return JSONResponse({"detail": str(problem), "field": problem.field}, status_code=422)

    app.add_middleware(
        Guard, uploads=settings.uploads, throttle=throttle, max_body=max_body(settings)
    )
    page.queue(default_concurrency_limit=settings.page_concurrency)
    return gr.mount_gradio_app(
        app,
        page,
        path="/",
        auth=list(users) if users else None,
        allowed_paths=allowed_paths,
        max_file_size=f"{settings.max_file_mb}mb",  # refused before it is stored
        show_error=False,
        **launch_options(),
    )
