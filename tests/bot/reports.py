"""Hand-built reports for renderer tests: fixed data, so golden files are stable."""

from __future__ import annotations

from checks.model import CheckResult, Problem, Remediation, Report, Status

TOKEN_FIX = Remediation(
    Problem.TOKEN,
    "Problem 1: failed to get a Centrifugo token",
    (
        "Log in again and retry: `curl -sS -H 'Authorization: Bearer $TOKEN' https://app.example.com/api/v1/centrifugo/token`",
        "Check that `CENTRIFUGO_TOKEN_HMAC_SECRET_KEY` is set in the app's `.env`",
    ),
)

# Remediation as checks write it (placeholders, shell redirections) and as Slack must get it.
MARKUP_FIX = Remediation(
    Problem.CONNECTION,
    "Problem 2: <ws> & proxy",
    (
        "Run `nc -vz <ip> 8000 2>&1`",
        'Send `{"id":1,"connect":{"token":"<JWT>"}}`',
    ),
)
ESCAPED_FIX = [
    "Problem 2: &lt;ws&gt; &amp; proxy",
    "Run `nc -vz &lt;ip&gt; 8000 2&gt;&amp;1`",
    'Send `{"id":1,"connect":{"token":"&lt;JWT&gt;"}}`',
]


def sample_report() -> Report:
    checks = (
        CheckResult("config", "Configuration checklist", Status.OK, "all settings present", 0.1),
        CheckResult(
            "server.ping",
            "Server reachable",
            Status.OK,
            "API answers in 3 ms (GET /api/info → 405 as expected)",
            3.2,
            {"status": 405, "latency_ms": 3.2},
        ),
        CheckResult(
            "tls",
            "TLS certificate",
            Status.WARN,
            "certificate expires in 9 days",
            12.0,
            {"days_left": 9},
        ),
        CheckResult(
            "token.endpoint",
            "App token endpoint",
            Status.FAIL,
            "token endpoint answered 401 <unauthorized> & refused the session",
            40.5,
            {"status": 401},
            TOKEN_FIX,
        ),
        CheckResult(
            "token.claims", "Token claims", Status.SKIP, "needs token.endpoint, which failed", 0.0
        ),
    )
    return Report("diagnose org 123", "https://rt.example.com", checks, 52.3)


def huge_report(count: int = 200) -> Report:
    """Far past every Slack limit: many checks, long summaries, long remediation."""
    fix = Remediation(Problem.CONNECTION, "P" * 500, tuple("step " * 300 for _ in range(30)))
    checks = tuple(
        CheckResult(f"check.{n}", "T", Status.FAIL, "x" * 5000, 1.0, {"n": n}, fix)
        for n in range(count)
    )
    return Report("diagnose org " + "9" * 64, "https://rt.example.com", checks, 1.0)
