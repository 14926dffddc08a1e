"""The latest scheduled results as Prometheus metrics, for dashboards and alerting outside Slack.

One CollectorRegistry per app (never the process-wide default), filled after every scheduled
run and exposed as text at `/metrics`. A value that the last run could not measure (no round
trip, no certificate) is removed rather than left at its old reading.
"""

from __future__ import annotations

from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Gauge, generate_latest

from bot.schedule.model import TargetState
from checks.model import Report, Status

CONTENT_TYPE = CONTENT_TYPE_LATEST


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self._checks: dict[str, set[str]] = {}  # target -> check ids exported
        self.status = self._gauge(
            "centrifugo_check_status",
            "1 for the check's status in the last run, 0 for the other statuses.",
            "target",
            "check",
            "status",
        )
        self.duration = self._gauge(
            "centrifugo_check_duration_seconds", "How long the check took.", "target", "check"
        )
        self.roundtrip = self._gauge(
            "centrifugo_roundtrip_latency_seconds",
            "Publish-to-deliver latency of the probe message.",
            "target",
        )
        self.cert_days = self._gauge(
            "centrifugo_tls_certificate_days_left", "Days until the certificate expires.", "target"
        )
        self.incidents = self._gauge(
            "centrifugo_bot_open_incidents", "Incidents open for the target (0 or 1).", "target"
        )
        self.last_run = self._gauge(
            "centrifugo_bot_last_run_timestamp_seconds", "When the last run finished.", "target"
        )
        self.run_duration = self._gauge(
            "centrifugo_bot_run_duration_seconds", "How long the last diagnosis took.", "target"
        )

    def record(self, target: str, report: Report, state: TargetState, finished: float) -> None:
        """Export one target's latest run and alert state."""
        self._record_checks(target, report)
        self._optional(self.roundtrip, target, _detail(report, "roundtrip", "latency_ms"), 1000)
        self._optional(self.cert_days, target, _detail(report, "tls", "days_left"), 1)
        self.incidents.labels(target).set(1 if state.open_incident else 0)
        self.last_run.labels(target).set(finished)
        self.run_duration.labels(target).set(report.duration_ms / 1000)

    def exposition(self) -> bytes:
        """The Prometheus text format of everything recorded."""
        return generate_latest(self.registry)

    def _record_checks(self, target: str, report: Report) -> None:
        seen = {check.id for check in report.checks}
        for gone in self._checks.get(target, set()) - seen:
            self.duration.remove(target, gone)
            for status in Status:
                self.status.remove(target, gone, status.value)
        self._checks[target] = seen
        for check in report.checks:
            for status in Status:
                self.status.labels(target, check.id, status.value).set(status is check.status)
            self.duration.labels(target, check.id).set(check.duration_ms / 1000)

    def _optional(self, gauge: Gauge, target: str, value: float | None, scale: float) -> None:
        if value is None:
            gauge.remove(target)
        else:
            gauge.labels(target).set(value / scale)

    def _gauge(self, name: str, documentation: str, *labels: str) -> Gauge:
        return Gauge(name, documentation, labels, registry=self.registry)


def metrics_routes(metrics: Metrics) -> list[web.RouteDef]:
    """GET /metrics on the bot's HTTP server (both modes)."""

    async def exposition(request: web.Request) -> web.Response:
        return web.Response(body=metrics.exposition(), headers={"Content-Type": CONTENT_TYPE})

    return [web.get("/metrics", exposition)]


def _detail(report: Report, check_id: str, key: str) -> float | None:
    """A number the check measured in this run (an expired certificate's negative days
    included); None when it measured nothing."""
    result = report.get(check_id)
    if result is None:
        return None
    value = result.details.get(key)
    return float(value) if isinstance(value, int | float) else None
