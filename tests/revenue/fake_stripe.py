"""A small Stripe look-alike for the tests: a threaded HTTP server speaking enough of Stripe's
form-encoded v1 API for the calls Masthead makes, so the real `stripe` library runs unmocked.

- Objects live in memory (`server.objects["cus_..."]`), ids look like Stripe's (`cus_`, `cs_`).
- `Idempotency-Key` is honoured: a POST with a key already seen gets the first response again
  (an error included, as Stripe does) and creates nothing.
- Every request is recorded (`server.requests`, `server.calls("POST", "/v1/customers")`) so a
  test can assert "one customer, one session".
- `server.fail_next(path, status=..., message=...)` makes the next request to a path fail, the
  way Stripe reports errors, to test what the caller does when Stripe says no.
- `server.complete_session(id)` plays the customer paying on Stripe's page: the session becomes
  `complete` and `paid`, with a payment intent (one-off) or a subscription and its first
  invoice (monthly). Webhook tests build their events from the objects it returns.

Started by the `fake_stripe` fixture in `conftest.py`.
"""

from __future__ import annotations

import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

PREFIXES = {
    "customers": "cus",
    "checkout_sessions": "cs_test",
    "billing_portal_sessions": "bps",
    "payment_intents": "pi",
    "subscriptions": "sub",
    "invoices": "in",
    "charges": "ch",
    "refunds": "re",
}


@dataclass
class Recorded:
    method: str
    path: str
    params: dict[str, Any]
    headers: dict[str, str]


def parse_form(body: str) -> dict[str, Any]:
    """Stripe's nested form encoding (`a[b][0][c]=x`) to plain dicts and lists."""
    result: dict[str, Any] = {}
    for key, value in parse_qsl(body, keep_blank_values=True):
        parts = re.findall(r"[^\[\]]+", key)
        node: Any = result
        for i, part in enumerate(parts):
            last = i == len(parts) - 1
            if last:
                node[part] = value
            else:
                node = node.setdefault(part, {})
    return _listify(result)


def _listify(node: Any) -> Any:
    if isinstance(node, dict):
        node = {k: _listify(v) for k, v in node.items()}
        if node and all(k.isdigit() for k in node):
            return [node[k] for k in sorted(node, key=int)]
    return node


@dataclass
class FakeStripe:
    host: str = "127.0.0.1"
    port: int = 0
    objects: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[Recorded] = field(default_factory=list)
    _idempotent: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    _failures: dict[str, tuple[int, str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    # --- running ----------------------------------------------------------------------------

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def start(self) -> FakeStripe:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake._handle(self, "GET")

            def do_POST(self) -> None:
                fake._handle(self, "POST")

            def do_DELETE(self) -> None:
                fake._handle(self, "DELETE")

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    # --- what tests look at -----------------------------------------------------------------

    def calls(self, method: str, path: str) -> list[Recorded]:
        """Requests that reached the server for `path` (ids in the path may be `*`)."""
        pattern = re.compile("^" + re.escape(path).replace(r"\*", "[^/]+") + "$")
        return [r for r in self.requests if r.method == method and pattern.match(r.path)]

    def of_type(self, kind: str) -> list[dict[str, Any]]:
        return [o for o in self.objects.values() if o["object"] == kind]

    def fail_next(
        self, path: str, status: int = 402, message: str = "Your card was declined."
    ) -> None:
        self._failures[path] = (status, message)

    def add(self, kind: str, obj: dict[str, Any]) -> dict[str, Any]:
        """Store an object made by a test (a subscription, an invoice...)."""
        obj.setdefault("id", self._new_id(kind))
        obj.setdefault("created", int(time.time()))
        obj.setdefault("livemode", False)
        self.objects[obj["id"]] = obj
        return obj

    def complete_session(self, session_id: str) -> dict[str, Any]:
        """The customer paid on Stripe's page: what `checkout.session.completed` carries."""
        session = self.objects[session_id]
        line = session["line_items"][0]["price_data"]
        amount = int(line["unit_amount"])
        currency = line["currency"]
        metadata = session.get("metadata", {})
        charge = self.add(
            "charges",
            {"object": "charge", "amount": amount, "currency": currency, "amount_refunded": 0},
        )
        if session["mode"] == "subscription":
            subscription = self.add(
                "subscriptions",
                {
                    "object": "subscription",
                    "customer": session["customer"],
                    "status": "active",
                    "metadata": dict(session.get("subscription_data", {}).get("metadata", {})),
                },
            )
            invoice = self.add(
                "invoices",
                {
                    "object": "invoice",
                    "customer": session["customer"],
                    "subscription": subscription["id"],
                    "amount_paid": amount,
                    "currency": currency,
                    "status": "paid",
                    "charge": charge["id"],
                    "billing_reason": "subscription_create",
                },
            )
            charge["invoice"] = invoice["id"]
            session.update(subscription=subscription["id"], invoice=invoice["id"])
        else:
            intent = self.add(
                "payment_intents",
                {
                    "object": "payment_intent",
                    "amount": amount,
                    "currency": currency,
                    "customer": session["customer"],
                    "status": "succeeded",
                    "latest_charge": charge["id"],
                    "metadata": dict(metadata),
                },
            )
            charge["payment_intent"] = intent["id"]
            session["payment_intent"] = intent["id"]
        session.update(status="complete", payment_status="paid", amount_total=amount)
        return session

    # --- the API ----------------------------------------------------------------------------

    def _new_id(self, kind: str) -> str:
        return f"{PREFIXES.get(kind, kind)}_{secrets.token_hex(12)}"

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        url = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        body = handler.rfile.read(length).decode() if length else ""
        params = parse_form(body if method == "POST" else url.query)
        headers = {k.lower(): v for k, v in handler.headers.items()}
        with self._lock:
            self.requests.append(Recorded(method, url.path, params, headers))
            key = headers.get("idempotency-key")
            if method == "POST" and key and key in self._idempotent:
                status, payload = self._idempotent[key]
            elif not headers.get("authorization", "").startswith("Bearer sk_"):
                status, payload = 401, _error("Invalid API Key provided.", "invalid_request_error")
            elif url.path in self._failures:
                status, message = self._failures.pop(url.path)
                payload = _error(message, "card_error" if status == 402 else "api_error")
            else:
                status, payload = self._route(method, url.path, params)
            # Like Stripe: a request refused before it ran (bad parameters, unknown ids, a bad
            # key) stores nothing; anything that ran, failures included, is replayed.
            if method == "POST" and key and status not in {400, 401, 404, 409}:
                self._idempotent.setdefault(key, (status, payload))
        data = json.dumps(payload).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Request-Id", f"req_{secrets.token_hex(8)}")
        if key:
            handler.send_header("Idempotency-Key", key)
        handler.end_headers()
        handler.wfile.write(data)

    def _route(self, method: str, path: str, params: dict[str, Any]) -> tuple[int, dict]:
        parts = path.strip("/").split("/")[1:]  # drop "v1"
        if parts == ["customers"] and method == "POST":
            return 200, self.add(
                "customers",
                {
                    "object": "customer",
                    "email": params.get("email"),
                    "name": params.get("name"),
                    "metadata": params.get("metadata", {}),
                },
            )
        if parts == ["customers"] and method == "GET":
            found = self.of_type("customer")
            if params.get("email"):
                found = [c for c in found if c.get("email") == params["email"]]
            return 200, _list(found, "/v1/customers")
        if parts == ["customers", "search"]:
            match = re.search(r"email\s*:\s*['\"]([^'\"]+)['\"]", params.get("query", ""))
            email = match.group(1) if match else None
            found = [c for c in self.of_type("customer") if c.get("email") == email]
            return 200, {**_list(found, "/v1/customers/search"), "object": "search_result"}
        if parts == ["checkout", "sessions"] and method == "POST":
            return self._create_session(params)
        if parts == ["billing_portal", "sessions"] and method == "POST":
            if params.get("customer") not in self.objects:
                return 400, _missing("customer", params.get("customer"))
            portal = self.add(
                "billing_portal_sessions",
                {
                    "object": "billing_portal.session",
                    "customer": params["customer"],
                    "return_url": params.get("return_url"),
                },
            )
            portal["url"] = f"{self.url}/p/session/{portal['id']}"
            return 200, portal
        if parts == ["subscriptions", parts[-1]] and method == "DELETE":
            if parts[-1] not in self.objects:
                return 404, _error("No such subscription.", "invalid_request_error")
            self.objects[parts[-1]]["status"] = "canceled"
            return 200, self.objects[parts[-1]]
        if len(parts) >= 2 and method == "GET":
            obj = self.objects.get(parts[-1])
            if obj is not None:
                return 200, obj
            return 404, _error(f"No such object: '{parts[-1]}'", "invalid_request_error", "id")
        return 404, _error(f"Unrecognized request URL ({method}: {path}).", "invalid_request_error")

    def _create_session(self, params: dict[str, Any]) -> tuple[int, dict]:
        mode = params.get("mode")
        if mode not in {"payment", "subscription"}:
            return 400, _error("Invalid mode.", "invalid_request_error", "mode")
        if not params.get("success_url"):
            return 400, _error("Missing success_url.", "invalid_request_error", "success_url")
        customer = params.get("customer")
        if customer and customer not in self.objects:
            return 400, _missing("customer", customer)
        if mode == "subscription" and not customer and not params.get("customer_email"):
            customer = self.add("customers", {"object": "customer", "email": None})["id"]
        items = params.get("line_items") or []
        if not items or "price_data" not in items[0]:
            return 400, _error("Missing line_items.", "invalid_request_error", "line_items")
        price = items[0]["price_data"]
        if mode == "subscription" and not price.get("recurring"):
            return 400, _error(
                "Subscription mode needs a recurring price.", "invalid_request_error"
            )
        session = self.add(
            "checkout_sessions",
            {
                "object": "checkout.session",
                "mode": mode,
                "status": "open",
                "payment_status": "unpaid",
                "customer": customer,
                "customer_email": params.get("customer_email"),
                "client_reference_id": params.get("client_reference_id"),
                "metadata": params.get("metadata", {}),
                "success_url": params["success_url"],
                "cancel_url": params.get("cancel_url"),
                "line_items": items,
                "amount_total": int(price.get("unit_amount", 0)),
                "currency": price.get("currency"),
                "payment_intent": None,
                "subscription": None,
                "payment_intent_data": params.get("payment_intent_data", {}),
                "subscription_data": params.get("subscription_data", {}),
            },
        )
        session["url"] = f"{self.url}/c/pay/{session['id']}"
        return 200, session


def _list(items: list[dict[str, Any]], url: str) -> dict[str, Any]:
    return {"object": "list", "data": items, "has_more": False, "url": url}


def _error(message: str, kind: str, param: str | None = None) -> dict[str, Any]:
    return {"error": {"message": message, "type": kind, **({"param": param} if param else {})}}


def _missing(param: str, value: object) -> dict[str, Any]:
    """Stripe's answer for an id it does not know (say, a customer deleted in the dashboard)."""
    error = _error(f"No such {param}: '{value}'", "invalid_request_error", param)
    error["error"]["code"] = "resource_missing"
    return error
