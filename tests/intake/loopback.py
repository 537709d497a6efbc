"""A server on loopback that answers like the WhatsApp Graph API and the SMS Gateway for Android.

It speaks their documented shapes: `POST /<version>/<phone-number-id>/messages` (Bearer token) answers
`{"messaging_product": "whatsapp", "contacts": [...], "messages": [{"id": "wamid..."}]}`;
`GET /<version>/<media-id>` answers the media's URL, MIME type, sha256 and size, and that URL the bytes;
`POST /3rdparty/v1/messages` (Basic auth) answers the gateway's message state. Every request is kept.

A WhatsApp `template` message names an approved template (`templates`: name -> number of body
parameters) and fills each parameter with text, as the Graph API requires; an unknown name or a wrong
number of parameters is refused with the Graph API's error (400, codes 132001 and 132000).
"""

import base64
import hashlib
import itertools
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ACCESS_TOKEN = "loopback-access-token"
PHONE_NUMBER_ID = "106540352242922"
SMS_LOGIN, SMS_PASSWORD = "gateway", "gateway-password"


class Provider:
    def __init__(self):
        self.requests = []
        self.media = {}  # media id -> (bytes, mime type)
        self.fail_next = 0  # answer this many sends with 500 first
        self.templates = {}  # approved WhatsApp templates: name -> number of body parameters
        self._ids = itertools.count(1)
        self.lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def sent(self, path_end="/messages"):
        return [r for r in self.requests if r["method"] == "POST" and r["path"].endswith(path_end)]

    def whatsapp_sent(self, kind):
        """The WhatsApp messages of `kind` ("text" or "template") accepted, as sent (JSON bodies)."""
        return [r["json"] for r in self.sent(f"/{PHONE_NUMBER_ID}/messages")
                if r["json"].get("type") == kind and r.get("status") == 200]

    def sms_sent(self):
        return [r["json"] for r in self.sent("/3rdparty/v1/messages") if r.get("status") == 202]

    def template_problem(self, template):
        """The Graph API's error for a template message it would refuse, or None."""
        if not isinstance(template, dict) or template.get("name") not in self.templates:
            return {"message": "(#132001) Template name does not exist in the translation", "code": 132001}
        if not (template.get("language") or {}).get("code"):
            return {"message": "(#100) The parameter template['language']['code'] is required.", "code": 100}
        bodies = [c for c in template.get("components") or [] if c.get("type") == "body"]
        params = bodies[0].get("parameters", []) if bodies else []
        if len(params) != self.templates[template["name"]] or not all(
            p.get("type") == "text" and isinstance(p.get("text"), str) and p["text"].strip() for p in params
        ):
            return {"message": "(#132000) Number of parameters does not match the expected number of params",
                    "code": 132000}
        return None

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            record = None

            def _answer(self, status, body, content_type="application/json"):
                if self.record is not None:
                    self.record["status"] = status  # what the request was answered, kept with it
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _record(self, body=None):
                self.record = {"method": self.command, "path": self.path, "headers": dict(self.headers), "json": body}
                with provider.lock:
                    provider.requests.append(self.record)

            def do_GET(self):
                self._record()
                if self.headers.get("Authorization") != f"Bearer {ACCESS_TOKEN}":
                    return self._answer(401, {"error": {"message": "Invalid OAuth access token.", "code": 190}})
                parts = self.path.strip("/").split("/")
                if parts[0] == "download" and parts[1] in provider.media:
                    content, mime = provider.media[parts[1]]
                    return self._answer(200, content, mime)
                if len(parts) == 2 and parts[1] in provider.media:
                    content, mime = provider.media[parts[1]]
                    return self._answer(200, {
                        "messaging_product": "whatsapp", "url": f"{provider.base}/download/{parts[1]}",
                        "mime_type": mime, "sha256": hashlib.sha256(content).hexdigest(),
                        "file_size": str(len(content)), "id": parts[1],
                    })
                return self._answer(404, {"error": {"message": "Unsupported get request.", "code": 100}})

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"null")
                self._record(body)
                with provider.lock:
                    fail = provider.fail_next > 0
                    provider.fail_next -= 1 if fail else 0
                    number = next(provider._ids)
                if fail:
                    return self._answer(500, {"error": {"message": "Service temporarily unavailable", "code": 2}})
                if self.path.startswith("/3rdparty/v1/messages"):
                    expected = base64.b64encode(f"{SMS_LOGIN}:{SMS_PASSWORD}".encode()).decode()
                    if self.headers.get("Authorization") != f"Basic {expected}":
                        return self._answer(401, {"message": "Unauthorized"})
                    return self._answer(202, {
                        "id": f"sms-out-{number}", "state": "Pending", "isHashed": False, "isEncrypted": False,
                        "recipients": [{"phoneNumber": p, "state": "Pending"} for p in body["phoneNumbers"]],
                    })
                if self.path.endswith(f"/{PHONE_NUMBER_ID}/messages"):
                    if self.headers.get("Authorization") != f"Bearer {ACCESS_TOKEN}":
                        return self._answer(401, {"error": {"message": "Invalid OAuth access token.", "code": 190}})
                    if body.get("type") == "template" and (problem := provider.template_problem(body.get("template"))):
                        return self._answer(400, {"error": {**problem, "type": "OAuthException"}})
                    if body.get("type") == "text" and not (body.get("text") or {}).get("body"):
                        return self._answer(400, {"error": {"message": "(#100) text['body'] is required", "code": 100}})
                    return self._answer(200, {
                        "messaging_product": "whatsapp", "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                        "messages": [{"id": f"wamid.OUT{number:06d}"}],
                    })
                return self._answer(404, {"error": {"message": "Unknown path"}})

        return Handler

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def closed_base() -> str:
    """The base URL of a loopback port nothing listens on: a provider that is down refuses the connection."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
