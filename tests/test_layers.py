"""The layering the codebase promises: checks/ knows Centrifugo and nothing of Slack or the bot."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN_IN_CHECKS = ("bot", "slack_bolt", "slack_sdk", "slack")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "path", sorted((ROOT / "checks").rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT))
)
def test_checks_import_nothing_of_slack_or_the_bot(path: Path) -> None:
    offending = {
        name for name in imported_modules(path) if name.split(".")[0] in FORBIDDEN_IN_CHECKS
    }
    assert offending == set()


def test_the_scan_sees_imports() -> None:
    """Guard against a scan that could never fail."""
    assert "bot.settings" in imported_modules(ROOT / "bot" / "cli.py") | imported_modules(
        ROOT / "bot" / "commands.py"
    )
