"""Tail posts as Slack text: compact publication lines (time, offset, clipped JSON), connection
events, the batch footer that says how much was not shown, the summary and the parent message.
Pure: data in, text out, always under Slack's 3000-character section limit, en or pt-BR.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.durations import format_duration
from bot.render.labels import label
from bot.render.limits import MAX_SECTION_TEXT
from bot.render.mrkdwn import escape_for_slack
from bot.tail.batch import PREVIEW_CHARS, Batch, EventKind, ShownPublication, TailCounts, TailEvent
from bot.tail.model import Ending, EndReason, TailInfo, TailSummary
from checks.codes import describe_close, describe_error
from checks.model import Language

_FOOTER_ROOM = 120  # kept free for the "… N more not shown" lines


@dataclass(frozen=True)
class BatchPost:
    text: str
    shown: int  # publications the text shows (the rest of the batch counts as not shown)


def publication_line(pub: ShownPublication) -> str:
    """`12:00:01.123` #42 `{"text":"hi"}` (no offset when the channel has no history)."""
    when = datetime.fromtimestamp(pub.at, UTC).strftime("%H:%M:%S.%f")[:-3]
    offset = f" #{pub.offset}" if pub.offset else ""
    return f"`{when}`{offset} `{escape_for_slack(pub.preview, PREVIEW_CHARS + 10, code=True)}`"


def event_line(event: TailEvent, channel: str, lang: Language) -> str:
    what = _what(event, lang)
    match event.kind:
        case EventKind.SUBSCRIBED:
            return label(lang, "ev_subscribed", channel=channel)
        case EventKind.RESUBSCRIBED if event.recovered is None:
            return label(lang, "ev_resubscribed")
        case EventKind.RESUBSCRIBED:
            return label(lang, "ev_recovered" if event.recovered else "ev_not_recovered")
        case _:
            return label(lang, f"ev_{event.kind.value}", what=what)


def _what(event: TailEvent, lang: Language) -> str:
    """The code and reason, explained when Centrifugo's tables know the code."""
    code, reason = event.code, event.reason
    if code is None:
        text = reason
    elif event.kind in (EventKind.REFUSED, EventKind.SUBSCRIBE_FAILED) and code >= 100:
        text = describe_error(code, reason, lang)
    elif code >= 1000:
        text = describe_close(code, reason, lang)
    else:  # the SDK's own small codes ("1 transport closed"): its reason says it all
        text = reason or str(code)
    return escape_for_slack(text, 300, code=True)


def render_batch(batch: Batch, channel: str, lang: Language, reserve: int = 0) -> BatchPost:
    """One thread post: events first, then as many publication lines as fit, leaving `reserve`
    characters free for whatever the caller appends."""
    lines = [event_line(event, channel, lang) for event in batch.events]
    if batch.hidden_events:
        lines.append(label(lang, "tail_hidden_events", n=batch.hidden_events))
    budget = MAX_SECTION_TEXT - _FOOTER_ROOM - reserve - sum(len(line) + 1 for line in lines)
    shown = 0
    for pub in batch.publications:
        line = publication_line(pub)
        if len(line) + 1 > budget:
            break
        lines.append(line)
        budget -= len(line) + 1
        shown += 1
    lines += _hidden_lines(batch, len(batch.publications) - shown, lang)
    return BatchPost("\n".join(lines), shown)


def with_summary(post: BatchPost, summary: str) -> str:
    """The last post of a tail: its last batch, then the summary."""
    return f"{post.text}\n\n{summary}" if post.text else summary


def _hidden_lines(batch: Batch, cut: int, lang: Language) -> list[str]:
    hidden = batch.hidden + cut
    if not hidden:
        return []
    if batch.hidden_offsets and not cut and batch.hidden_offsets[0]:
        first, last = batch.hidden_offsets
        return [label(lang, "tail_hidden", n=_number(hidden, lang), first=first, last=last)]
    return [label(lang, "tail_hidden_plain", n=_number(hidden, lang))]


def counts_text(counts: TailCounts, elapsed: float, lang: Language) -> str:
    return label(
        lang,
        "tail_counts",
        seen=_number(counts.seen, lang),
        shown=_number(counts.shown, lang),
        not_shown=_number(counts.not_shown, lang),
        reconnects=_number(counts.reconnects, lang),
        elapsed=format_duration(round(elapsed)),
    )


def ending_text(ending: Ending, lang: Language) -> str:
    if ending.reason is EndReason.STOPPED:
        return label(lang, "end_stopped", who=who(ending.by, lang))
    return label(lang, f"end_{ending.reason.value}")


def summary_text(summary: TailSummary, lang: Language) -> str:
    reason = ending_text(summary.ending, lang)
    if summary.ending.event is not None:
        reason += f" ({_what(summary.ending.event, lang)})"
    counts = counts_text(summary.counts, summary.elapsed, lang)
    return label(lang, "tail_summary", channel=summary.info.channel, reason=reason, counts=counts)


def parent_text(info: TailInfo, lang: Language) -> str:
    until = datetime.fromtimestamp(info.until, UTC).strftime("%H:%M:%S")
    return label(
        lang,
        "tail_parent",
        channel=info.channel,
        duration=format_duration(info.seconds),
        until=until,
        who=who(info.user_id, lang),
    )


def parent_done_text(summary: TailSummary, lang: Language) -> str:
    return label(
        lang,
        "tail_parent_done",
        channel=summary.info.channel,
        reason=ending_text(summary.ending, lang),
        who=who(summary.info.user_id, lang),
        counts=counts_text(summary.counts, summary.elapsed, lang),
    )


def running_lines(tails: Sequence[tuple[TailInfo, TailCounts]], now: float, lang: Language) -> str:
    """The `status` section listing running tails."""
    lines = [
        label(
            lang,
            "tails_line",
            channel=info.channel,
            slack_channel=info.slack_channel,
            who=who(info.user_id, lang),
            seen=_number(counts.seen, lang),
            left=time_left(info, now),
        )
        for info, counts in tails
    ]
    return "\n".join(lines)


def time_left(info: TailInfo, now: float) -> str:
    return format_duration(max(round(info.until - now), 0))


def who(user_id: str | None, lang: Language) -> str:
    return f"<@{user_id}>" if user_id else label(lang, "tail_someone")


def _number(n: int, lang: Language) -> str:
    text = f"{n:,}"
    return text.replace(",", ".") if lang == "pt-BR" else text
