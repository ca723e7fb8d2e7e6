"""A local alert receiver: the webhook a newsroom would point SECOP_ALERT_WEBHOOK_URL at, on 127.0.0.1.

It keeps every JSON body posted to it, with the time it arrived; tests, `make demo-live` and the live
benchmark read them.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Delivery:
    received_at: float  # epoch seconds
    body: dict


class WebhookReceiver(ThreadingHTTPServer):
    """Serves in a background thread from construction until `stop()` (or the end of a `with` block)."""

    def __init__(self) -> None:
        self.deliveries: list[Delivery] = []
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server naming)
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                with receiver._lock:
                    receiver.deliveries.append(Delivery(time.time(), body))
                self.send_response(204)
                self.end_headers()

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (http.server signature)
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/alerts"

    def alerts(self) -> list[tuple[float, dict]]:
        """Every alert received, with its arrival time."""
        with self._lock:
            return [(d.received_at, alert) for d in self.deliveries for alert in d.body.get("alerts", [])]

    def stop(self) -> None:
        self.shutdown()
        self.server_close()
        self._thread.join(timeout=10)

    def __enter__(self) -> WebhookReceiver:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()
