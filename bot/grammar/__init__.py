"""What users type: one grammar for `/centrifugo WORDS` in Slack and `centrifugo-bot WORDS` in
a terminal.

    commands.py  the typed commands and the COMMANDS table (usage, summary, example, privilege)
    parser.py    text -> command, or a ParseError that is safe to show as is
    words.py     command -> text (help, the canonical words a Re-run button carries)
    errors.py    ParseError and how a typed word is made safe to echo
"""

from bot.grammar.commands import (
    COMMANDS,
    Cert,
    Channels,
    Check,
    Command,
    CommandSpec,
    Diagnose,
    Help,
    JsonValue,
    Mute,
    Ping,
    Publish,
    Stats,
    Status,
    Tail,
    TailStop,
    Token,
    Unmute,
    Ws,
    spec_for,
)
from bot.grammar.errors import ParseError, safe_word
from bot.grammar.parser import (
    MAX_DATA_BYTES,
    MAX_INPUT_CHARS,
    parse_command,
    parse_duration,
    parse_json_data,
)
from bot.grammar.words import command_words, help_text

__all__ = [
    "COMMANDS",
    "MAX_DATA_BYTES",
    "MAX_INPUT_CHARS",
    "Cert",
    "Channels",
    "Check",
    "Command",
    "CommandSpec",
    "Diagnose",
    "Help",
    "JsonValue",
    "Mute",
    "ParseError",
    "Ping",
    "Publish",
    "Stats",
    "Status",
    "Tail",
    "TailStop",
    "Token",
    "Unmute",
    "Ws",
    "command_words",
    "help_text",
    "parse_command",
    "parse_duration",
    "parse_json_data",
    "safe_word",
    "spec_for",
]
