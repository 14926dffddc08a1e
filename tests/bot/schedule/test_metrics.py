"""/metrics: the latest scheduled results in Prometheus text format, read back with
prometheus_client's own parser."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from bot.schedule.metrics import Metrics
from bot.schedule.model import Incident, IncidentCheck, TargetState
from checks.model import CheckResult, Report, Status

TARGET = "https://rt.example.com org 1"


def samples(metrics: Metrics) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    text = metrics.exposition().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def healthy() -> Report:
    checks = (
        CheckResult("server.ping", "", Status.OK, "", 3.0, {"latency_ms": 3.0}),
        CheckResult("tls", "", Status.WARN, "", 12.0, {"days_left": 9}),
        CheckResult("roundtrip", "", Status.OK, "", 40.0, {"latency_ms": 25.0}),
    )
    return Report("diagnose org 1", "https://rt.example.com", checks, 60.0)


def broken() -> Report:
    checks = (
        CheckResult("server.ping", "", Status.FAIL, "refused", 1.0),
        CheckResult("roundtrip", "", Status.SKIP, "", 0.0, {"blocked_by": "server.ping"}),
    )
    return Report("diagnose org 1", "https://rt.example.com", checks, 2.0)


def open_state() -> TargetState:
    incident = Incident(1, 1.0, 2.0, 2.0, 2, (IncidentCheck("server.ping", 1.0, "refused"),))
    return TargetState(TARGET, incidents=(incident,))


def test_a_healthy_run_is_exported() -> None:
    metrics = Metrics()
    metrics.record(TARGET, healthy(), TargetState(TARGET), 1700000000.0)
    got = samples(metrics)
    t = ("target", TARGET)
    assert got[("centrifugo_check_status", (("check", "tls"), ("status", "warn"), t))] == 1
    assert got[("centrifugo_check_status", (("check", "tls"), ("status", "ok"), t))] == 0
    assert got[("centrifugo_check_duration_seconds", (("check", "roundtrip"), t))] == 0.04
    assert got[("centrifugo_roundtrip_latency_seconds", (t,))] == 0.025
    assert got[("centrifugo_tls_certificate_days_left", (t,))] == 9
    assert got[("centrifugo_bot_open_incidents", (t,))] == 0
    assert got[("centrifugo_bot_last_run_timestamp_seconds", (t,))] == 1700000000.0
    assert got[("centrifugo_bot_run_duration_seconds", (t,))] == 0.06


def test_values_the_last_run_did_not_measure_disappear() -> None:
    metrics = Metrics()
    metrics.record(TARGET, healthy(), TargetState(TARGET), 1.0)
    metrics.record(TARGET, broken(), open_state(), 2.0)
    got = samples(metrics)
    t = ("target", TARGET)
    names = {name for name, _ in got}
    assert "centrifugo_roundtrip_latency_seconds" not in names
    assert "centrifugo_tls_certificate_days_left" not in names
    assert not any(dict(labels).get("check") == "tls" for _, labels in got)
    assert got[("centrifugo_check_status", (("check", "server.ping"), ("status", "fail"), t))] == 1
    assert got[("centrifugo_bot_open_incidents", (t,))] == 1


def test_each_app_has_its_own_registry() -> None:
    first, second = Metrics(), Metrics()
    first.record(TARGET, healthy(), TargetState(TARGET), 1.0)
    assert samples(second) == {}
    assert b"centrifugo_check_status" in first.exposition()
