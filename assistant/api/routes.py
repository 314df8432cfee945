"""The plain HTTP API for programs, beside the page: ``POST /api/ask``, ``GET /api/letters``,
``GET /api/history/{area}``, ``GET /api/health``. It answers through the same letters and
assistant as the page (the :class:`~assistant.library.Library`'s, read at call time, so a
reload is seen at once), in FastAPI's thread pool, so a slow answer never holds the
event loop; requests are checked by the same :mod:`assistant.api.request` model as the page's
API and the command line."""

# No ``from __future__ import annotations``: FastAPI reads the request model built from the
# settings off the endpoint's signature at run time.

import logging
import secrets
from collections.abc import Awaitable, Callable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.security import HTTPBasic, HTTPBasicCredentials

from assistant.api.gate import FairGate
from assistant.api.request import AskRequest, limits, request_model
from assistant.api.throttle import SignInThrottle
from assistant.errors import AssistantError, IndexUnavailableError
from assistant.library import Library

log = logging.getLogger(__name__)
Users = Sequence[tuple[str, str]]


def client_of(request: Request) -> str:
    """The client's address (uvicorn puts a trusted proxy's X-Forwarded-For here)."""
    return request.client.host if request.client else "unknown"


def password_ok(users: Users, user: str, password: str) -> bool:
    """Compared in constant time against every account, so timing says nothing."""
    found = False
    for name, secret in users:
        same_name = secrets.compare_digest(name.encode(), user.encode())
        same_secret = secrets.compare_digest(secret.encode(), password.encode())
        found |= same_name and same_secret
    return found


def basic_auth(
    users: Users | None, throttle: SignInThrottle
) -> Callable[..., Awaitable[str | None]]:
    """A dependency: HTTP Basic against the page's users (none: open), with the back-off."""
    basic = HTTPBasic(auto_error=False)

    async def check(
        request: Request, credentials: Annotated[HTTPBasicCredentials | None, Depends(basic)]
    ) -> str | None:
        if not users:
            return None
        client = client_of(request)
        refused = throttle.refusal(client)
        if refused:
            seconds, message = refused
            raise HTTPException(429, message, headers={"Retry-After": str(seconds)})
        if credentials and password_ok(users, credentials.username, credentials.password):
            throttle.succeeded(client)
            return credentials.username
        if credentials:
            locked = throttle.failed(client)
            log.warning(
                "API sign-in failed for user %r from %s%s",
                credentials.username,
                client,
                f"; refused for {locked:.0f} s" if locked else "",
            )
        raise HTTPException(
            401,
            "sign in with HTTP Basic: a user and password from the users file",
            headers={"WWW-Authenticate": 'Basic realm="inspection-assistant"'},
        )

    return check


def api_router(library: Library, users: Users | None, throttle: SignInThrottle) -> APIRouter:
    """The routes, over ``library`` (its assistant read at each call)."""
    settings = library.assistant.settings
    Ask = request_model(limits(settings))
    answering = FairGate(settings.api_concurrency)
    router = APIRouter(prefix="/api", dependencies=[Depends(basic_auth(users, throttle))])

    @router.post("/ask", summary="Ask a question; the same object as `ask --json`")
    def ask(request: Ask) -> dict[str, Any]:  # type: ignore[valid-type]
        body: AskRequest = request
        try:
            with answering:  # the others wait here, in a pool thread, not on the event loop
                return body.ask(library.assistant).to_json()
        except IndexUnavailableError as exc:
            raise HTTPException(503, str(exc)) from exc
        except AssistantError as exc:  # a field out of bounds, a question that cannot be asked
            raise HTTPException(422, str(exc)) from exc

    @router.get("/letters", summary="The letters in the index, newest first")
    def letters(find: str = "") -> list[dict[str, Any]]:
        """``find``: words each listed letter's area, type, dates or id hold."""
        return [row.to_json() for row in library.letters(find[: settings.max_filter_chars])]

    @router.get("/history/{area}", summary="Every inspection of an area, oldest first")
    def history(area: str) -> list[dict[str, Any]]:
        entries = library.history(area[: settings.max_filter_chars])
        if not entries:
            raise HTTPException(404, f"the index holds no letters for {area[:80]}")
        return [e.to_json() for e in entries]

    @router.get("/health", summary="Whether it answers, and what index it holds")
    def health() -> dict[str, Any]:
        catalog = library.catalog
        return {"ok": True, "documents": len(catalog.documents), "index_version": catalog.version}

    return router
