"""The terminal entry point: `centrifugo-bot [--format F] [--lang L] WORDS...` and `serve`.

Runs one command once and prints it; exit 0 nothing failed, 1 a check failed, 2 usage or
configuration error. Heavy modules are imported only when a command needs them.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bot.answers import Answer, Notice, NoticeKind, exit_code
from bot.grammar import Command, Help, ParseError, Tail, help_text, parse_command
from bot.redact import Redactor, log_warnings_to
from checks.model import LANGUAGES, Language

if TYPE_CHECKING:
    from bot.settings import Settings

FORMATS = ("text", "json", "blocks")


def main(argv: Sequence[str] | None = None) -> int:
    args = _arguments().parse_args(argv)
    text = " ".join(args.words)
    if text.strip().lower() == "serve":
        return _serve()
    try:
        command = parse_command(text, check_ids=_check_ids())
    except ParseError as error:
        return _fail_usage(error)
    if isinstance(command, Help):
        print(help_text(command.topic))
        return 0
    from bot.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"centrifugo-bot: configuration error: {error}", file=sys.stderr)
        return 2
    lang: Language = args.lang or settings.bot_language
    settings = settings.model_copy(update={"bot_language": lang})
    redactor = Redactor(settings.secrets())
    stop_logging = log_warnings_to(sys.stderr, redactor)
    try:
        return _run(command, settings, args.format, redactor)
    finally:
        stop_logging()


def _run(command: Command, settings: Settings, output: str, redactor: Redactor) -> int:
    if isinstance(command, Tail):  # streams JSON lines until its end instead of one answer
        from bot.tail.cli import run_tail

        return run_tail(command, settings, sys.stdout, sys.stderr)
    from bot.commands import execute
    from bot.services import terminal_services

    answer = asyncio.run(execute(command, terminal_services(settings)))
    print(_render(answer, output, settings.bot_language, redactor))
    return exit_code(answer)


def _arguments() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="centrifugo-bot",
        description="Diagnose a Centrifugo deployment. Try: centrifugo-bot help",
        add_help=False,
    )
    parser.add_argument("--format", choices=FORMATS, default="text")
    parser.add_argument("--lang", choices=LANGUAGES, default=None)
    parser.add_argument("-h", "--help", action="store_const", const=["help"], dest="words")
    parser.add_argument("words", nargs=argparse.REMAINDER)
    return parser


def _check_ids() -> tuple[str, ...]:
    from checks.catalogue import catalogue

    return tuple(catalogue())


def _render(answer: Answer, output: str, lang: Language, redactor: Redactor) -> str:
    """The answer in the chosen format; structured formats are redacted field by field so
    masking can never break their syntax."""
    if output == "json":
        from bot.render.jsonout import to_json

        return _dump(redactor.data(to_json(answer)))
    if output == "blocks":
        from bot.render.blocks import render_blocks

        reply = render_blocks(answer, lang)
        return _dump(redactor.data({"text": reply.text, "blocks": reply.blocks}))
    from bot.render.text import render_text

    colour = sys.stdout.isatty() and "NO_COLOR" not in os.environ
    return redactor.text(render_text(answer, lang, colour=colour, details=_wants_details(answer)))


def _dump(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, default=str)


def _wants_details(answer: Answer) -> bool:
    """stats and channels exist to show their details; check reports show summaries."""
    if isinstance(answer, Notice):
        return False
    return answer.command.split()[:1] in (["stats"], ["channels"])


def _fail_usage(error: ParseError) -> int:
    print(f"centrifugo-bot: {error}", file=sys.stderr)
    if error.usage:
        print(f"usage: {error.usage}", file=sys.stderr)
    print("Try: centrifugo-bot help", file=sys.stderr)
    return exit_code(Notice(str(error), kind=NoticeKind.USAGE))


def _serve() -> int:
    from bot.settings import SettingsError, load_settings

    try:
        settings = load_settings()
    except SettingsError as error:
        print(f"centrifugo-bot: configuration error: {error}", file=sys.stderr)
        return 2
    from bot.slack.app import serve

    return serve(settings)


if __name__ == "__main__":
    sys.exit(main())
