"""The `logs` check running real shell commands: fixture logs in every Centrifugo format read with
`cat`, a command that hangs (killed, reaped, its process group gone), one that floods (capped),
failing ones; secrets scrubbed from every example line."""

from __future__ import annotations

import asyncio
import shlex
from pathlib import Path

import pytest
from pydantic import SecretStr

from checks.context import open_context
from checks.logs import logs
from checks.model import Outcome, Problem, Status
from checks.target import Target

TIMEOUT = 2.0
ESC = "\x1b"
API_KEY = "Kq7apikey-5c1e0f4b9a2d"
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJlLXNpZ25hdHVyZQ"
PREFIX = "whatrack_centrifugo.1.x9k2m@node-1    | "
V5_REFUSED_JSON = (
    '{"level":"fatal","time":"2023-12-11T01:50:00Z","message":"error creating engine: '
    'dial tcp [::1]:6379: connect: connection refused"}'
)
V5_REFUSED_CONSOLE = (
    f"{ESC}[90m2024-05-01 10:00:00{ESC}[0m {ESC}[31m[FTL]{ESC}[0m error creating engine: "
    "dial tcp 172.18.0.3:6379: connect: connection refused"
)
V6_REFUSED = (
    '{"level":"fatal","error":"error creating engine: error creating Redis shards: error '
    'creating Redis client: dial tcp 10.0.1.5:6379: connect: connection refused",'
    '"time":"2024-05-01T10:00:00Z","message":"configure engines error"}'
)
V6_0_REFUSED = V6_REFUSED.replace("error creating engine", "error creating redis engine")
STARTUP = (
    '{"level":"info","version":"6.1.0","time":"2024-05-01T10:00:00Z",'
    '"message":"starting Centrifugo"}'
)
INVALID_TOKEN = '2024-05-01 10:00:01 [INF] invalid connection token client=c1 error="bad sig"'


def env_var(name: str) -> str:
    return f'{{"level":"warn","var":"{name}","message":"unknown var in environment"}}'


def target(command: str, **settings: object) -> Target:
    return Target(log_command=command, check_timeout=TIMEOUT, **settings)  # type: ignore[arg-type]


async def run_logs(command: str, **settings: object) -> Outcome:
    async with open_context(target(command, **settings)) as ctx, asyncio.timeout(TIMEOUT):
        return await logs(ctx)


def cat(tmp_path: Path, lines: list[str]) -> str:
    path = tmp_path / "centrifugo.log"
    path.write_text("\n".join(lines) + "\n")
    return f"cat {shlex.quote(str(path))}"


def classes(outcome: Outcome) -> dict[str, int]:
    return {f["class"]: f["count"] for f in outcome.details.get("findings", [])}


@pytest.mark.parametrize(
    ("lines", "status", "cause", "found"),
    [
        pytest.param([STARTUP, V5_REFUSED_CONSOLE], Status.FAIL, "redis_refused_log",
                     {"redis_start": 1}, id="v5-console-ansi"),
        pytest.param([V5_REFUSED_JSON] * 3, Status.FAIL, "redis_refused_log",
                     {"redis_start": 3}, id="v5-json"),
        pytest.param([STARTUP, V6_REFUSED], Status.FAIL, "redis_refused_log",
                     {"redis_start": 1}, id="v6-json"),
        pytest.param([V6_0_REFUSED], Status.FAIL, "redis_refused_log",
                     {"redis_start": 1}, id="v6.0-json"),
        pytest.param(
            [PREFIX + '{"level":"error","channel":"org:1:messages","message":"error publishing '
             'data to channel"}', PREFIX + STARTUP],
            Status.FAIL, "redis_refused_log", {"redis_runtime": 1}, id="docker-prefix-runtime"),
        pytest.param(["panic: runtime error: nil pointer dereference", "goroutine 1 [running]:"],
                     Status.FAIL, "ws_closed", {"fatal": 1}, id="panic"),
        pytest.param([INVALID_TOKEN] * 4, Status.WARN, "secret_mismatch", {"token_invalid": 4},
                     id="invalid-tokens"),
        pytest.param(['{"level":"info","message":"client command error","error":"token expired"}'],
                     Status.WARN, "token_expired", {"token_expired": 1}, id="expired"),
        pytest.param(["2024/05/01 10:00:00 http: TLS handshake error from 10.0.0.9:5123: EOF"],
                     Status.WARN, "tls_handshake", {"tls": 1}, id="tls"),
        pytest.param(['{"level":"info","origin":"https://evil.example","message":"request Origin'
                      ' is not authorized due to empty allowed_origins"}'],
                     Status.WARN, "origin_refused", {"origin": 1}, id="origin"),
        pytest.param(['{"level":"info","channel":"orgs:1","message":"subscribe unknown channel"}'],
                     Status.WARN, "unknown_channel", {"unknown_channel": 1}, id="unknown-channel"),
        pytest.param(["2024-05-01 10:00:00 [INF] attempt to subscribe without sufficient "
                      "permission channel=org:2:tickets"],
                     Status.WARN, "permission_denied", {"permission": 1}, id="permission"),
        pytest.param(['{"level":"info","message":"disconnect after handling command"}'] * 25,
                     Status.WARN, "ws_closed", {"disconnects": 25}, id="disconnect-storm"),
        pytest.param(['{"level":"info","message":"disconnect after handling command"}'] * 5,
                     Status.OK, None, {}, id="few-disconnects"),
        pytest.param([INVALID_TOKEN, V6_REFUSED, INVALID_TOKEN], Status.FAIL,
                     "redis_refused_log", {"redis_start": 1, "token_invalid": 2},
                     id="worst-first"),
        pytest.param([STARTUP, "2024-05-01 10:00:00 [INF] serving websocket"], Status.OK, None,
                     {}, id="healthy"),
    ],
)  # fmt: skip
async def test_classifies_centrifugo_log_lines(
    tmp_path: Path, lines: list[str], status: Status, cause: str | None, found: dict[str, int]
) -> None:
    outcome = await run_logs(cat(tmp_path, lines))
    assert (outcome.status, outcome.cause, classes(outcome)) == (status, cause, found)
    assert outcome.details["lines_read"] == len(lines)
    assert outcome.details["exit_code"] == 0
    if status is Status.OK:
        assert outcome.summary == f"{len(lines)} lines read, no known errors"


async def test_example_is_the_latest_line_trimmed(tmp_path: Path) -> None:
    older = V5_REFUSED_JSON.replace("[::1]", "10.0.0.1")
    outcome = await run_logs(cat(tmp_path, [older, V5_REFUSED_JSON]))
    (finding,) = outcome.details["findings"]
    assert finding["last"].startswith("2023-12-11T01:50:00Z [fatal] error creating engine: dial")
    assert "[::1]:6379" in finding["last"] and len(finding["last"]) <= 200
    assert outcome.summary == "Redis unreachable at start ×2 (2 lines read)"


async def test_v6_env_names_are_named_with_their_v6_replacement(tmp_path: Path) -> None:
    lines = [env_var("CENTRIFUGO_API_KEY"), env_var("CENTRIFUGO_TOKEN_HMAC_SECRET_KEY")]
    outcome = await run_logs(cat(tmp_path, [*lines, STARTUP]))
    assert (outcome.status, outcome.problem, outcome.cause) == (
        Status.WARN,
        Problem.CHECKLIST,
        "missing_setting",
    )
    assert "v6 ignores v5 env names" in outcome.summary
    assert "CENTRIFUGO_API_KEY → CENTRIFUGO_HTTP_API_KEY" in outcome.summary
    assert "CENTRIFUGO_TOKEN_HMAC_SECRET_KEY → CENTRIFUGO_CLIENT_TOKEN_HMAC" in outcome.summary


async def test_other_error_lines_are_counted_but_do_not_warn(tmp_path: Path) -> None:
    other = '{"level":"error","message":"error decoding API request body","path":"/api/info"}'
    outcome = await run_logs(cat(tmp_path, [STARTUP, other]))
    assert outcome.status is Status.OK
    assert outcome.summary == "2 lines read, no known errors; 1 other error line"
    assert outcome.details["other_errors"]["count"] == 1


async def test_secrets_are_scrubbed_from_examples_and_the_command(tmp_path: Path) -> None:
    lines = [
        f'{{"level":"info","message":"invalid connection token","token":"{JWT}"}}',
        f"2024-05-01 10:00:00 [INF] invalid subscription token token={JWT} apikey {API_KEY}",
        '{"level":"fatal","message":"error creating engine: dial redis://:Rd3wpass@redis:6379"}',
        f"2024-05-01 10:00:00 [ERR] request failed password=Pw9zhunter header=Bearer {API_KEY}",
    ]
    command = cat(tmp_path, lines) + f" # key {API_KEY}"
    outcome = await run_logs(command, centrifugo_api_key=SecretStr(API_KEY))
    text = f"{outcome.summary} {outcome.details!r}"
    for secret in (API_KEY, JWT, "Rd3wpass", "Pw9zhunter"):
        assert secret[:6] not in text
    assert classes(outcome) == {"redis_start": 1, "token_invalid": 2}


async def test_non_zero_exit_with_log_lines_is_still_classified(tmp_path: Path) -> None:
    outcome = await run_logs(cat(tmp_path, [INVALID_TOKEN]) + "; exit 3")
    assert (outcome.status, outcome.details["exit_code"]) == (Status.WARN, 3)
