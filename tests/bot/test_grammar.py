"""The command grammar: what users may type in Slack or a terminal, and how mistakes are told."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.grammar import (
    COMMANDS,
    MAX_DATA_BYTES,
    Cert,
    Channels,
    Check,
    Command,
    Diagnose,
    Help,
    Mute,
    ParseError,
    Ping,
    Publish,
    Stats,
    Status,
    Tail,
    TailStop,
    Token,
    Unmute,
    Ws,
    command_words,
    help_text,
    parse_command,
    parse_duration,
    safe_word,
    spec_for,
)

CHECK_IDS = (
    "config", "server.ping", "server.auth", "server.info", "tls", "admin", "token.endpoint",
    "token.claims", "websocket.connect", "websocket.origin", "subscribe", "roundtrip", "channels",
    "redis", "logs",
)  # fmt: skip


def parse(text: str) -> Command:
    return parse_command(text, CHECK_IDS)


def parse_error(text: str) -> ParseError:
    with pytest.raises(ParseError) as caught:
        parse(text)
    return caught.value


# (text typed, command, canonical words)
HAPPY = [
    pytest.param("", Help(), "help", id="empty-is-help"),
    pytest.param("   \t\n ", Help(), "help", id="blank-is-help"),
    pytest.param("help", Help(), "help", id="help"),
    pytest.param("help tail", Help("tail"), "help tail", id="help-topic"),
    pytest.param("HELP Diagnose", Help("diagnose"), "help diagnose", id="help-topic-case"),
    pytest.param("ping", Ping(), "ping", id="ping"),
    pytest.param("  PiNg  ", Ping(), "ping", id="ping-case-and-spaces"),
    pytest.param("diagnose", Diagnose(), "diagnose", id="diagnose"),
    pytest.param("diagnose org 123", Diagnose("123"), "diagnose org 123", id="diagnose-org"),
    pytest.param("Diagnose ORG a_b-C9", Diagnose("a_b-C9"), "diagnose org a_b-C9", id="org-slug"),
    pytest.param(
        "diagnose org 3f2b8c1e-9d4a-4e2b-8f1a-2c3d4e5f6a7b",
        Diagnose("3f2b8c1e-9d4a-4e2b-8f1a-2c3d4e5f6a7b"),
        "diagnose org 3f2b8c1e-9d4a-4e2b-8f1a-2c3d4e5f6a7b",
        id="org-uuid",
    ),
    pytest.param("diagnose org " + "x" * 64, Diagnose("x" * 64), None, id="org-64-chars"),
    pytest.param("check tls", Check("tls"), "check tls", id="check"),
    pytest.param(
        "check TOKEN.Claims", Check("token.claims"), "check token.claims", id="check-case"
    ),
    pytest.param("check subscribe org 7", Check("subscribe", "7"), None, id="check-org"),
    pytest.param("token", Token(), "token", id="token"),
    pytest.param("ws", Ws(), "ws", id="ws"),
    pytest.param("cert", Cert(), "cert", id="cert"),
    pytest.param("stats", Stats(), "stats", id="stats"),
    pytest.param("channels", Channels(), "channels", id="channels"),
    pytest.param("channels org:123:*", Channels("org:123:*"), None, id="channels-pattern"),
    pytest.param("channels $a?.b#c,d-e_f", Channels("$a?.b#c,d-e_f"), None, id="pattern-chars"),
    pytest.param(
        'publish test {"text": "hi there"}',
        Publish("test", {"text": "hi there"}),
        'publish test {"text":"hi there"}',
        id="publish",
    ),
    pytest.param(
        "publish test:1 {“text”: “it’s up”}",
        Publish("test:1", {"text": "it's up"}),
        'publish test:1 {"text":"it\'s up"}',
        id="publish-smart-quotes",
    ),
    pytest.param(
        'publish $priv#u1,u2 [1, 2.5, null, true, "é"]',
        Publish("$priv#u1,u2", [1, 2.5, None, True, "é"]),
        'publish $priv#u1,u2 [1,2.5,null,true,"é"]',
        id="publish-array",
    ),
    pytest.param("publish test 42", Publish("test", 42), "publish test 42", id="publish-number"),
    pytest.param(
        'publish test "\\u201cquoted\\u201d"',
        Publish("test", "“quoted”"),
        'publish test "\\u201cquoted\\u201d"',
        id="publish-escaped-smart-quote-survives",
    ),
    pytest.param("tail test", Tail("test"), "tail test", id="tail"),
    pytest.param("tail test 5m", Tail("test", 300), "tail test 5m", id="tail-duration"),
    pytest.param("tail test:a 90s", Tail("test:a", 90), "tail test:a 1m30s", id="tail-canonical"),
    pytest.param("tail stop", TailStop(), "tail stop", id="tail-stop"),
    pytest.param("TAIL Stop test", TailStop("test"), "tail stop test", id="tail-stop-channel"),
    pytest.param("status", Status(), "status", id="status"),
    pytest.param("mute 1h", Mute(3600), "mute 1h", id="mute"),
    pytest.param("mute 1h30m", Mute(5400), "mute 1h30m", id="mute-compound"),
    pytest.param("unmute", Unmute(), "unmute", id="unmute"),
    pytest.param("<@U0123ABC> diagnose org 5", Diagnose("5"), None, id="leading-mention"),
    pytest.param("<@U0123ABC|bot> ping", Ping(), "ping", id="leading-mention-with-name"),
    pytest.param("<@U0123ABC>", Help(), "help", id="mention-only-is-help"),
]


@pytest.mark.parametrize(("text", "command", "canonical"), HAPPY)
def test_parses_commands(text: str, command: Command, canonical: str | None) -> None:
    assert parse(text) == command


@pytest.mark.parametrize(("text", "command", "canonical"), HAPPY)
def test_command_words_round_trip(text: str, command: Command, canonical: str | None) -> None:
    words = command_words(parse(text))
    if canonical is not None:
        assert words == canonical
    assert parse(words) == command


@pytest.mark.parametrize(
    ("command", "words"),
    [
        pytest.param(Diagnose("123"), "diagnose org 123", id="diagnose-org"),
        pytest.param(Check("subscribe", "7"), "check subscribe org 7", id="check-org"),
        pytest.param(Channels("org:*"), "channels org:*", id="channels"),
        pytest.param(Mute(7 * 86400), "mute 7d", id="mute-days"),
        pytest.param(Tail("test", 3661), "tail test 1h1m1s", id="tail-all-units"),
    ],
)
def test_command_words_are_canonical(command: Command, words: str) -> None:
    assert command_words(command) == words
    assert parse(words) == command


# (text, the word the error must name, a fragment of the message)
BAD = [
    pytest.param("diagnose org abc;rm -rf /", "abc;rm", "Bad org ID", id="shell-injection"),
    pytest.param("diagnose org $(reboot)", "$(reboot)", "Bad org ID", id="command-substitution"),
    pytest.param("diagnose org `id`", "\\x60id\\x60", "Bad org ID", id="backticks"),
    pytest.param("diagnose org a|b", "a|b", "Bad org ID", id="pipe"),
    pytest.param("diagnose org 12\x003", "12\\x003", "Bad org ID", id="control-char"),
    pytest.param("diagnose org 12\x1b[31m", "12\\x1b[31m", "Bad org ID", id="ansi-escape"),
    pytest.param("diagnose org 🔥", "🔥", "Bad org ID", id="emoji"),
    pytest.param("diagnose org a\u202eb", "a\\u202eb", "Bad org ID", id="rtl-override"),
    pytest.param("diagnose org " + "9" * 65, "9" * 31 + "…", "Bad org ID", id="org-too-long"),
    pytest.param("diagnose 123", "123", "Expected `org ID`", id="org-keyword-missing"),
    pytest.param("diagnose org", "", "Missing org ID", id="org-id-missing"),
    pytest.param("diagnose org 1 2", "2", "Unexpected", id="extra-after-org"),
    pytest.param("dignose", "dignose", "Did you mean `diagnose`?", id="typo-verb"),
    pytest.param("frobnicate now", "frobnicate", "Unknown command", id="unknown-verb"),
    pytest.param("\x07", "\\x07", "Unknown command", id="bell-as-verb"),
    pytest.param("check nosuch", "nosuch", "Known checks: admin, channels", id="check-unknown"),
    pytest.param("check server.png", "server.png", "`server.ping`", id="check-close-match"),
    pytest.param("check", "", "Missing CHECK_ID", id="check-missing"),
    pytest.param("check tls org", "", "Missing org ID", id="check-org-missing"),
    pytest.param("check tls 5", "5", "Expected `org ID`", id="check-no-org-keyword"),
    pytest.param("ping pong", "pong", "Unexpected `pong` after `ping`", id="extra-word"),
    pytest.param("status now please", "now", "Unexpected `now`", id="first-extra-named"),
    pytest.param("help tial", "tial", "Did you mean `tail`?", id="help-unknown-topic"),
    pytest.param("help tail stop", "stop", "Unexpected", id="help-two-words"),
    pytest.param("channels org;*", "org;*", "Bad pattern", id="pattern-semicolon"),
    pytest.param("channels a b", "b", "Unexpected", id="channels-extra"),
    pytest.param("publish", "", "Missing CHANNEL", id="publish-nothing"),
    pytest.param("publish test", "", "Missing JSON", id="publish-no-json"),
    pytest.param("publish té {}", "té", "Bad channel", id="channel-not-ascii"),
    pytest.param("publish a/b {}", "a/b", "Bad channel", id="channel-slash"),
    pytest.param('publish test {"a": 1', "", "Invalid JSON at the end", id="json-unclosed"),
    pytest.param("publish test {a: 1}", "a:", "Invalid JSON at `a:`", id="json-bare-key"),
    pytest.param("publish test {‘a’: 1}", "'a':", "property name", id="json-single-quotes"),
    pytest.param("publish test [NaN]", "", "finite", id="json-nan"),
    pytest.param("publish test [1e999]", "", "finite", id="json-overflow"),
    pytest.param('publish test "\\ud800"', "", "lone surrogate", id="json-lone-surrogate"),
    pytest.param('publish test {"a":1} x', "x", "Invalid JSON", id="json-trailing-junk"),
    pytest.param("tail", "", "Missing CHANNEL", id="tail-no-channel"),
    pytest.param("tail test 5x", "5x", "Bad duration", id="tail-bad-duration"),
    pytest.param("tail test 5m more", "more", "Unexpected", id="tail-extra"),
    pytest.param("tail stop a b", "b", "Unexpected", id="tail-stop-extra"),
    pytest.param("tail stop a|b", "a|b", "Bad channel", id="tail-stop-bad-channel"),
    pytest.param("mute", "", "Missing DURATION", id="mute-missing"),
    pytest.param("mute 30", "30", "add a unit", id="mute-bare-number"),
    pytest.param("mute 8d", "8d", "at most 7d", id="mute-too-long"),
    pytest.param("mute 1h now", "now", "Unexpected", id="mute-extra"),
    pytest.param("<@U1> <@U1> ping", "<@U1>", "Unknown command", id="only-first-mention"),
]


@pytest.mark.parametrize(("text", "word", "fragment"), BAD)
def test_rejects_bad_input_naming_the_word(text: str, word: str, fragment: str) -> None:
    error = parse_error(text)
    assert (error.word, fragment in str(error)) == (word, True), str(error)
    if word:
        assert f"`{word}`" in str(error) or word in str(error)


@pytest.mark.parametrize(
    ("text", "usage"),
    [
        pytest.param("diagnose org ;", "diagnose [org ID]", id="diagnose"),
        pytest.param("tail stop a b", "tail stop [CHANNEL]", id="tail-stop"),
        pytest.param("mute", "mute DURATION", id="mute"),
        pytest.param("nosuch", None, id="unknown-verb-has-no-usage"),
    ],
)
def test_errors_carry_the_commands_usage(text: str, usage: str | None) -> None:
    assert parse_error(text).usage == usage


def test_long_input_is_refused_without_echo() -> None:
    text = "diagnose org " + "s3cr3t" * 900
    error = parse_error(text)
    assert (error.word, "s3cr3t" in str(error), "too long" in str(error)) == ("", False, True)


def test_input_of_exactly_the_limit_is_parsed() -> None:
    assert parse("ping" + " " * 996) == Ping()
    assert "too long" in str(parse_error("ping" + " " * 997))


def test_publish_data_over_8_kib_encoded_is_refused() -> None:
    # 700 emoji are 700 characters typed but 12 bytes each once ASCII-escaped.
    error = parse_error('publish test "' + "😀" * 700 + '"')
    assert "too big" in str(error) and str(MAX_DATA_BYTES) in str(error)


def test_publish_data_just_under_the_limit_is_accepted() -> None:
    data = "😀" * 680  # 8162 bytes escaped, with the quotes
    assert parse(f'publish test "{data}"') == Publish("test", data)


def test_deeply_nested_json_is_a_parse_error_or_data() -> None:
    depth = 490
    text = "publish test " + "[" * depth + "]" * depth
    try:
        command = parse(text)
    except ParseError as error:
        assert "nested" in str(error)
    else:
        assert isinstance(command, Publish)


@pytest.mark.parametrize(
    ("word", "seconds"),
    [
        pytest.param("30s", 30, id="seconds"),
        pytest.param("5m", 300, id="minutes"),
        pytest.param("1h", 3600, id="hours"),
        pytest.param("1h30m", 5400, id="compound"),
        pytest.param("1d2h3m4s", 93784, id="every-unit"),
        pytest.param("5M", 300, id="upper-case"),
        pytest.param("90m", 5400, id="unnormalised"),
        pytest.param("7d", 604800, id="the-most"),
        pytest.param("1s", 1, id="the-least"),
    ],
)
def test_parse_duration(word: str, seconds: int) -> None:
    assert parse_duration(word) == seconds


@pytest.mark.parametrize(
    ("word", "fragment"),
    [
        pytest.param("", "try 30s", id="empty"),
        pytest.param("0s", "longer than 0s", id="zero"),
        pytest.param("0h0m", "longer than 0s", id="zeros"),
        pytest.param("7d1s", "at most 7d", id="over-a-week"),
        pytest.param("9999999h", "at most 7d", id="huge"),
        pytest.param("99999999s", "try 30s", id="too-many-digits"),
        pytest.param("30", "add a unit", id="bare-number"),
        pytest.param("m5", "try 30s", id="unit-first"),
        pytest.param("5m1h", "try 30s", id="units-out-of-order"),
        pytest.param("5m5m", "try 30s", id="unit-twice"),
        pytest.param("-5m", "try 30s", id="negative"),
        pytest.param("1.5h", "try 30s", id="fraction"),
        pytest.param("５m", "try 30s", id="fullwidth-digit"),
        pytest.param("5 m", "try 30s", id="space"),
    ],
)
def test_parse_duration_rejects(word: str, fragment: str) -> None:
    with pytest.raises(ParseError, match=fragment) as caught:
        parse_duration(word)
    assert caught.value.word == safe_word(word)


@pytest.mark.parametrize(
    ("word", "shown"),
    [
        pytest.param("plain", "plain", id="plain"),
        pytest.param("a\nb\tc\x00", "a\\x0ab\\x09c\\x00", id="controls"),
        pytest.param("\u200bzero\u2028", "\\u200bzero\\u2028", id="format-and-separator"),
        pytest.param("\udc80", "\\udc80", id="lone-surrogate-from-argv"),
        pytest.param("`x`", "\\x60x\\x60", id="backtick"),
        pytest.param("é🔥", "é🔥", id="printable-unicode-kept"),
        pytest.param("x" * 40, "x" * 31 + "…", id="truncated"),
        pytest.param("\x00" * 10, "\\x00" * 7 + "…", id="escapes-count-toward-length"),
    ],
)
def test_safe_word(word: str, shown: str) -> None:
    assert safe_word(word) == shown
    assert len(safe_word(word)) <= 32


def test_help_lists_every_verb_with_examples() -> None:
    text = help_text()
    assert [spec.verb for spec in COMMANDS if f"`{spec.usage}`" not in text] == []
    assert [spec.verb for spec in COMMANDS if spec.example not in text] == []
    assert text.count("e.g.") >= 5
    assert len(text) < 1500 and max(len(line) for line in text.splitlines()) < 110


@pytest.mark.parametrize(
    ("topic", "usages"),
    [
        pytest.param("tail", ["tail CHANNEL [DURATION]", "tail stop [CHANNEL]"], id="tail"),
        pytest.param("MUTE", ["mute DURATION"], id="case"),
        pytest.param("check", ["check CHECK_ID [org ID]"], id="check"),
    ],
)
def test_help_for_one_topic(topic: str, usages: list[str]) -> None:
    lines = help_text(topic).splitlines()
    assert [line.split("`")[1] for line in lines] == usages
    assert all("e.g." in line for line in lines)


def test_help_for_unknown_topic_is_a_parse_error() -> None:
    with pytest.raises(ParseError, match="Did you mean `stats`"):
        help_text("stat")


@pytest.mark.parametrize("spec", COMMANDS, ids=[spec.verb for spec in COMMANDS])
def test_every_example_parses_to_its_own_command(spec: object) -> None:
    from bot.grammar import CommandSpec

    assert isinstance(spec, CommandSpec)
    command = parse(spec.example)
    assert spec_for(command) == spec
    assert parse(command_words(command)) == command


def test_privileged_and_slack_only_commands_follow_the_spec() -> None:
    privileged = {spec.verb for spec in COMMANDS if spec.privileged}
    slack_only = {spec.verb for spec in COMMANDS if spec.slack_only}
    assert (privileged, slack_only) == (
        {"publish", "tail", "tail stop", "mute", "unmute"},
        # `tail` also runs at a terminal (JSON lines); stopping is for the bot's own tails.
        {"tail stop"},
    )


def test_every_verb_of_the_spec_is_in_the_table() -> None:
    verbs = [spec.verb for spec in COMMANDS]
    assert verbs == [
        "help", "ping", "diagnose", "check", "token", "ws", "cert", "stats", "channels",
        "publish", "tail", "tail stop", "status", "mute", "unmute",
    ]  # fmt: skip


def test_parse_error_message_is_capped() -> None:
    assert len(str(ParseError("x" * 500))) == 200


def assert_safe_error(error: ParseError) -> None:
    message = str(error)
    assert len(message) <= 200
    assert [c for c in message if unicodedata.category(c) in {"Cc", "Cf", "Cs", "Zl", "Zp"}] == []
    assert len(error.word) <= 32


@pytest.mark.parametrize(("text", "word", "fragment"), BAD)
def test_every_bad_input_message_is_safe(text: str, word: str, fragment: str) -> None:
    assert_safe_error(parse_error(text))


WORDS = st.sampled_from(
    [
        "help", "ping", "diagnose", "check", "token", "ws", "cert", "stats", "channels",
        "publish", "tail", "stop", "status", "mute", "unmute", "org", "123", "tls", "nosuch",
        "test", "org:1:*", "5m", "0s", "1h30m", "99999d", "{", "}", '{"a":', "1}", "[", "]",
        "“x”", "NaN", ";", "|", "$(", "`", "<@U1>", "\x00", "\u202e", "🔥", "\udc80", "",
    ]
)  # fmt: skip


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.text(st.characters(exclude_categories=())),
        st.lists(WORDS, max_size=8).map(" ".join),
        st.text(min_size=990, max_size=1010),
    )
)
def test_any_text_is_a_command_or_a_parse_error(text: str) -> None:
    try:
        command = parse(text)
    except ParseError as error:
        assert_safe_error(error)
    else:
        assert parse(command_words(command)) == command
