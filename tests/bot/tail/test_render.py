"""The pure parts of a tail: the bounded batcher's counts, and posts that stay inside Slack's
limits, escape what Slack would read as markup and speak English or Portuguese."""

from __future__ import annotations

import pytest

from bot.tail.batch import Batch, Batcher, EventKind, ShownPublication, TailCounts, TailEvent
from bot.tail.model import Ending, EndReason, TailInfo, TailSummary
from bot.tail.render import (
    event_line,
    parent_text,
    publication_line,
    render_batch,
    summary_text,
)
from checks.model import Language

NOON = 1_767_268_800.0  # 2026-01-01 12:00:00 UTC


def test_the_batcher_keeps_a_bounded_number_of_previews_and_counts_the_rest() -> None:
    batcher = Batcher(per_post=20, events_per_post=5)
    for n in range(1, 100_001):
        batcher.publication(n, {"n": n, "pad": "x" * 500}, NOON)
    for _ in range(50):
        batcher.event(TailEvent(EventKind.DISCONNECTED, NOON, 1, "transport closed"))
    batch = batcher.take()
    assert len(batch.publications) == 20
    assert (batch.hidden, batch.hidden_offsets) == (99_980, (21, 100_000))
    assert (len(batch.events), batch.hidden_events) == (5, 45)
    assert batcher.counts == TailCounts(seen=100_000, not_shown=99_980)
    assert not batcher.take()  # taking starts afresh


def test_settling_a_failed_post_counts_its_previews_as_not_shown() -> None:
    batcher = Batcher(per_post=3)
    for n in range(5):
        batcher.publication(n, n, NOON)
    batch = batcher.take()
    batcher.settle(batch, shown=3, posted=False)
    assert batcher.counts == TailCounts(seen=5, shown=0, not_shown=5)


def test_a_publication_line_is_time_offset_and_compact_json() -> None:
    line = publication_line(ShownPublication(NOON + 1.25, 42, '{"text":"<hi>"}'))
    assert line == '`12:00:01.250` #42 `{"text":"&lt;hi&gt;"}`'
    assert publication_line(ShownPublication(NOON, 0, "1")) == "`12:00:00.000` `1`"


def test_a_batch_of_huge_payloads_fits_one_section() -> None:
    batcher = Batcher()
    for n in range(1, 31):
        batcher.publication(n, {"blob": "<" * 65_000}, NOON)
    batch = batcher.take()
    post = render_batch(batch, "test", "en")
    assert len(post.text) <= 3000
    assert post.shown == 20
    assert post.text.endswith("… 10 more not shown (offsets 21–30)")


def test_lines_that_do_not_fit_are_counted_as_not_shown() -> None:
    pubs = tuple(ShownPublication(NOON, n, "x" * 110) for n in range(1, 21))
    post = render_batch(Batch(pubs), "test", "en", reserve=2000)
    assert post.shown < 20
    assert post.text.endswith(f"… {20 - post.shown} more not shown")


@pytest.mark.parametrize(
    ("event", "line"),
    [
        (TailEvent(EventKind.SUBSCRIBED, NOON), ":link: subscribed to `test`"),
        (
            TailEvent(EventKind.DISCONNECTED, NOON, 3001, "shutdown"),
            ":warning: connection lost (3001 shutdown (",
        ),
        (
            TailEvent(EventKind.DISCONNECTED, NOON, 1, "transport closed"),
            ":warning: connection lost (transport closed); reconnecting",
        ),
        (
            TailEvent(EventKind.REFUSED, NOON, 103, "permission denied"),
            ":x: Centrifugo refused the subscription: 103 permission denied",
        ),
        (
            TailEvent(EventKind.RESUBSCRIBED, NOON, recovered=False),
            ":warning: subscribed again, but recovery failed: publications sent while "
            "disconnected may be missing",
        ),
    ],
    ids=["subscribed", "server-close", "sdk-code", "refused", "not-recovered"],
)
def test_event_lines(event: TailEvent, line: str) -> None:
    assert event_line(event, "test", "en").startswith(line)


INFO = TailInfo("test", 300, NOON, "C1", "U1")


@pytest.mark.parametrize(
    ("lang", "parent", "summary"),
    [
        (
            "en",
            ":mag: Tailing `test` for 5m (until 12:05:00 UTC), asked by <@U1>.",
            ":checkered_flag: Tail of `test` ended: stopped by <@U2>.\n"
            "seen 12,345 · shown 20 · not shown 12,325 · reconnects 1 · ran 1m2s",
        ),
        (
            "pt-BR",
            ":mag: Acompanhando `test` por 5m (até 12:05:00 UTC), pedido por <@U1>.",
            ":checkered_flag: Tail de `test` terminou: parado por <@U2>.\n"
            "vistas 12.345 · mostradas 20 · não mostradas 12.325 · reconexões 1 · durou 1m2s",
        ),
    ],
)
def test_parent_and_summary_in_each_language(lang: Language, parent: str, summary: str) -> None:
    counts = TailCounts(seen=12_345, shown=20, not_shown=12_325, reconnects=1)
    ended = TailSummary(INFO, Ending(EndReason.STOPPED, by="U2"), counts, 61.6)
    assert parent_text(INFO, lang).startswith(parent)
    assert summary_text(ended, lang) == summary
