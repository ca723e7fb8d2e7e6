"""The alert webhook: where new alerts are posted, each once in effect."""

import hashlib
from urllib.parse import urlsplit

import dagster as dg

from orchestration.http import PortalError, PullStats, RetryingHttpResource, checked_url
from texts import DEFAULT_LANGUAGE

WEBHOOK_VARIABLE = "SECOP_ALERT_WEBHOOK_URL"
DELIVERED = frozenset(range(200, 300))


def alert_id(alert: dict) -> str:
    """An alert's idempotency key: the sha256 of its identity (a contract fires an indicator once)."""
    return hashlib.sha256(f"{alert['award_key']}\x1f{alert['indicator_id']}".encode()).hexdigest()


class AlertWebhook(RetryingHttpResource):
    """Where new alerts are posted (JSON over HTTP); no URL, no notification. The URL may hold a token:
    it comes from `SECOP_ALERT_WEBHOOK_URL` (https, or http on this machine) and is never logged.

    Exactly once in effect: each alert carries `alert_id`, and each POST an `Idempotency-Key` header (the
    sha256 of its alert ids), so a receiver recognises a POST retried after a timeout, or alerts posted
    again after a crash between posting and recording, and keeps them once. Any answer but 2xx, a
    redirect included, is a failure: the alerts stay pending for the next run.
    """

    url: str | None = None
    language: str = DEFAULT_LANGUAGE  # of each alert's reason: es (default) or en
    timeout_seconds: float = 10.0
    deadline_seconds: float = 30.0
    max_retries: int = 2

    def secrets(self) -> tuple[str, ...]:
        parts = urlsplit(self.url or "")
        return tuple(p for p in (self.url, parts.netloc.rpartition("@")[0], parts.path, parts.query) if p.strip("/"))

    def post(self, payload: dict) -> None:
        """POST `payload` (`alerts` and anything else), each alert with its `alert_id`; dg.Failure on failure."""
        if not self.url:
            return
        url = checked_url(self.url, WEBHOOK_VARIABLE, secret=True)
        alerts = [{**alert, "alert_id": alert_id(alert)} for alert in payload.get("alerts", [])]
        key = hashlib.sha256("\n".join(alert["alert_id"] for alert in alerts).encode()).hexdigest()
        try:
            self.request(
                "POST",
                url,
                lambda response: None,  # the answer's status is all we need: its body is not read
                "the alert webhook",
                PullStats(),
                payload={**payload, "alerts": alerts},
                headers={"Idempotency-Key": key},
                accept=DELIVERED,
                follow_redirects=False,
            )
        except PortalError as exc:
            raise dg.Failure(f"{exc}; the alerts stay pending") from None
