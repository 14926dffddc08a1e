"""The terminal entry point: formats, languages, exit codes, and the quick-start demo."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import main
from tests.fakes.centrifugo.server import closed_port

REPO = Path(__file__).parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "help")
    assert code == 0
    for verb in ("ping", "diagnose", "check", "stats", "channels", "cert", "token", "ws"):
        assert verb in out


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["diagnose", "org", "abc;rm", "-rf", "/"], "abc;rm"),
        (["check", "nosuch"], "nosuch"),
        (["frobnicate"], "frobnicate"),
        (["x" * 5000], "too long"),
    ],
    ids=["injection", "unknown-check", "unknown-verb", "huge"],
)
def test_usage_errors_exit_2_naming_the_word(
    capsys: pytest.CaptureFixture[str], argv: list[str], named: str
) -> None:
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert named in err
    assert "Traceback" not in err
    assert len(err) < 400


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CENTRIFUGO_URL", "not-a-url"),
        ("CHECK_TIMEOUT", "-1"),
        ("SSL_CERT_FILE", "/nonexistent/ca.pem"),
    ],
)
def test_bad_setting_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)
    code, _, err = run(capsys, "ping")
    assert code == 2
    assert err.count("\n") == 1
    assert name in err


def test_unreachable_server_exits_1_with_remediation_in_portuguese(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CENTRIFUGO_URL", f"http://127.0.0.1:{closed_port()}")
    monkeypatch.setenv("CHECK_TIMEOUT", "2")
    code, out, _ = run(capsys, "--lang", "pt-BR", "--format", "json", "ping")
    assert code == 1
    report = json.loads(out)
    (check,) = report["checks"]
    assert (check["id"], check["status"]) == ("server.ping", "fail")
    assert check["remediation"]["title"].startswith("Problema 2")


def test_blocks_format_prints_a_slack_payload(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CENTRIFUGO_URL", f"http://127.0.0.1:{closed_port()}")
    code, out, _ = run(capsys, "--format", "blocks", "ping")
    payload = json.loads(out)
    assert code == 1
    assert payload["blocks"][0]["type"] == "header"
    assert len(payload["blocks"]) <= 50


def test_quick_start_demo_runs_a_healthy_diagnosis() -> None:
    """The README's first command: a real diagnosis against the bundled emulator."""
    done = subprocess.run(
        [sys.executable, "-m", "tests.fakes.demo", "--format", "json", "diagnose", "org", "123"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout.split("\n", 2)[2])
    statuses = {check["id"]: check["status"] for check in report["checks"]}
    assert len(statuses) == 15
    assert statuses["roundtrip"] == "ok"
    assert statuses["subscribe"] == "ok"
    assert statuses["redis"] == "ok"
    assert {status for status in statuses.values()} <= {"ok", "skip"}


CRASHING_PING = """
import dataclasses, sys
from checks.catalogue import catalogue
from checks import registry
from bot.cli import main

async def crash(ctx):
    raise RuntimeError("the server echoed " + ctx.target.centrifugo_api_key.get_secret_value())

spec = catalogue()["server.ping"]
registry._REGISTRY["server.ping"] = dataclasses.replace(spec, run=crash)
sys.exit(main(["ping"]))
"""


def test_log_lines_reach_stderr_redacted(tmp_path: Path) -> None:
    """A check's unexpected exception is logged with its traceback; at a terminal that log line
    goes to stderr, with the configured secrets masked like everything else."""
    key = "k3y-that-must-never-show-1234"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "CENTRIFUGO_API_KEY": key}
    done = subprocess.run(
        [sys.executable, "-c", CRASHING_PING],
        env={**env, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
    )
    assert done.returncode == 1, done.stderr
    assert "check server.ping raised" in done.stderr
    assert "RuntimeError: the server echoed k3y…[redacted]" in done.stderr
    assert key not in done.stderr + done.stdout


def test_running_a_command_does_not_load_slack_or_tail_machinery(tmp_path: Path) -> None:
    """The terminal imports what a command needs: commands work without the Slack side."""
    code = "import sys, bot.commands; print(sorted({'centrifuge', 'aiohttp'} & set(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=30,
        cwd=tmp_path,
        check=True,
    )
    assert done.stdout.strip() == "[]"
