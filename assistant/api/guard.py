"""What the server refuses before the page or the API sees a request: uploads when they are
turned off (before a byte of the body is read), sign-in from a client that keeps getting the
password wrong, and plain-API bodies larger than any valid request. Plain ASGI middleware."""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import parse_qs

from assistant.api.throttle import SignInThrottle

log = logging.getLogger(__name__)
Scope = dict[str, Any]
UPLOAD_PATHS = {"/gradio_api/upload", "/upload"}
LOGIN_PATHS = {"/login", "/gradio_api/login"}
FORM_CAP = 16_384  # bytes of a sign-in form kept to read the user name from


class Guard:
    """Refuses (``uploads=False``) upload requests with 403, sign-in from a locked-out client
    with 429, and ``/api/`` bodies over ``max_body`` bytes with 413; records each sign-in on
    the page's login route with ``throttle`` and logs each failure (user name, never the
    password)."""

    def __init__(self, app: Any, *, uploads: bool, throttle: SignInThrottle, max_body: int) -> None:
        self.app, self.uploads, self.throttle, self.max_body = app, uploads, throttle, max_body

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope["path"].rstrip("/") or "/"
        method = scope["method"]
        if not self.uploads and path in UPLOAD_PATHS:
            await reply(send, 403, "adding letters is turned off on this server")
            return
        if method == "POST" and path.startswith("/api/"):
            size = header(scope, b"content-length")
            if size is not None and (not size.isdigit() or int(size) > self.max_body):
                await reply(send, 413, f"request body over {self.max_body:,} bytes")
                return
        if method == "POST" and path in LOGIN_PATHS:
            await self.sign_in(scope, receive, send)
            return
        await self.app(scope, receive, send)

    async def sign_in(self, scope: Scope, receive: Any, send: Any) -> None:
        client = scope["client"][0] if scope.get("client") else "unknown"
        refused = self.throttle.refusal(client)
        if refused:
            seconds, message = refused
            await reply(send, 429, message, [(b"retry-after", str(seconds).encode())])
            return
        form = bytearray()
        status = 0

        async def keep_form() -> Any:
            message = await receive()
            if message["type"] == "http.request" and len(form) < FORM_CAP:
                form.extend(message.get("body", b"")[: FORM_CAP - len(form)])
            return message

        async def see_status(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        await self.app(scope, keep_form, see_status)
        if status == 200:
            self.throttle.succeeded(client)
        elif status in (400, 401):
            user = parse_qs(form.decode("utf-8", "replace")).get("username", [""])[0]
            locked = self.throttle.failed(client)
            log.warning(
                "page sign-in failed for user %r from %s%s",
                user[:100],
                client,
                f"; refused for {locked:.0f} s" if locked else "",
            )


def header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", ()):
        if key.lower() == name:
            return str(value.decode("latin-1"))
    return None


async def reply(
    send: Any, status: int, detail: str, headers: list[tuple[bytes, bytes]] | None = None
) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                *(headers or []),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
