"""The card agent: lets the counter page, served by a madoguchi server that may be
in another building, read the My Number card on the clerk's own PC.

``./dev card agent --server https://madoguchi.example [--port 47321]`` runs a tiny
HTTP server on 127.0.0.1 (never another address). The counter page (its origin
only: CORS, with Chromium's Private Network Access preflight answered) sends
``POST /read {"pin", "token"}``, the token being a one-time permission the page
got for its visit (counter/card_tokens.py). The agent

1. asks the server whether the token is good (so a page without one never makes
   the resident spend a PIN try), then
2. reads the card (``read_card``: one VERIFY, never retried), then
3. posts the facts with the token to ``<server>/counter/card/facts``,

and answers the page only ``{"ok": true}`` or ``{"ok": false, "error", …}`` (the
tries left for a wrong PIN): never the facts. Nothing is logged but the request
line, and the PIN and facts live only in the handling function's locals.
Requests are served one at a time: there is one reader and one resident.
"""

from __future__ import annotations

import json
import threading
import urllib.error
import urllib.parse
import urllib.request
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer

from madoguchi.common.errors_ja import error_message
from madoguchi.counter.card import CardError, read_card

DEFAULT_PORT = 47321
_LIMIT = 1024  # bytes of a request: a PIN and a token


class AgentError(Exception):
    def __init__(self, kind: str, status: int = 400, **context):
        self.status = status
        self.message = error_message({"type": kind, "ctx": context})
        super().__init__(self.message)


def origin_of(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}".lower()


class CardAgent(HTTPServer):
    """The agent's server: ``CardAgent(server_url, port).serve_forever()``."""

    def __init__(self, server: str, port: int = DEFAULT_PORT, *, reader: str | None = None):
        self.server_url = server.rstrip("/")
        self.origin = origin_of(server)
        self.reader = reader
        self.busy = threading.Lock()
        super().__init__(("127.0.0.1", port), _Handler)

    # --- what a read does ---
    def handle_read(self, body: dict) -> dict:
        pin, token = body.get("pin"), body.get("token")
        if not isinstance(pin, str) or not isinstance(token, str):
            raise AgentError("agent_bad_request")
        self._post("/counter/card/check", {"token": token})
        try:
            facts = read_card(pin, reader=self.reader)
        except CardError as error:
            answer = {"ok": False, "error": error.message, "exit_code": error.exit_code}
            if getattr(error, "tries_left", None) is not None:
                answer["tries_left"] = error.tries_left
            return answer
        self._post("/counter/card/facts", {"token": token, **facts.as_json()})
        return {"ok": True}

    def _post(self, path: str, payload: dict) -> None:
        request = urllib.request.Request(
            self.server_url + path,
            data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                response.read()
        except urllib.error.HTTPError as error:
            try:  # the server's own words (``{reason}`` is taken by JSON errors' wording)
                why = json.loads(error.read())["error"]
            except (ValueError, KeyError, TypeError):
                why = f"HTTP {error.code}"
            raise AgentError("agent_server_refused", 502, why=why) from None
        except (urllib.error.URLError, OSError):
            raise AgentError("agent_server_unreachable", 502, server=self.server_url) from None


class _Handler(BaseHTTPRequestHandler):
    server: CardAgent
    server_version = "madoguchi-card-agent"
    sys_version = ""

    def _allowed(self) -> bool:
        return (self.headers.get("Origin") or "").lower() == self.server.origin

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", self.server.origin)
        self.send_header("Vary", "Origin")

    def _json(self, status: int, body: dict) -> None:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        self.send_response(status)
        if self._allowed():
            self._cors()
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_OPTIONS(self) -> None:  # the CORS preflight (and Chromium's PNA one)
        if self.path != "/read" or not self._allowed():
            self.send_response(HTTPStatus.FORBIDDEN)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        self.send_response(HTTPStatus.NO_CONTENT)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "POST")
        self.send_header("Access-Control-Allow-Headers", "Content-Type")
        self.send_header("Access-Control-Max-Age", "600")
        if self.headers.get("Access-Control-Request-Private-Network") == "true":
            self.send_header("Access-Control-Allow-Private-Network", "true")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_POST(self) -> None:
        if self.path != "/read":
            return self._json(
                404, {"ok": False, "error": error_message({"type": "agent_bad_request"})}
            )
        if not self._allowed():
            return self._json(403, {"ok": False, "error": error_message({"type": "agent_origin"})})
        try:
            length = int(self.headers.get("Content-Length") or 0)
            if not 0 < length <= _LIMIT:
                raise AgentError("agent_bad_request")
            body = json.loads(self.rfile.read(length))
            if not isinstance(body, dict):
                raise AgentError("agent_bad_request")
            if not self.server.busy.acquire(blocking=False):
                raise AgentError("agent_busy", 409)
            try:
                answer = self.server.handle_read(body)
            finally:
                self.server.busy.release()
        except AgentError as error:
            return self._json(error.status, {"ok": False, "error": error.message})
        except ValueError:
            return self._json(
                400, {"ok": False, "error": error_message({"type": "agent_bad_request"})}
            )
        self._json(200 if answer["ok"] else 422, answer)


def run(server: str, port: int = DEFAULT_PORT, reader: str | None = None) -> None:
    agent = CardAgent(server, port, reader=reader)
    print(
        f"カードエージェント: http://127.0.0.1:{port}/ で待っています(許可する画面: {agent.origin})。"
        "Ctrl-C で止めます。",
        flush=True,
    )
    try:
        agent.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        agent.server_close()
