"""What a command answers, independent of where it is shown: a check report or a notice.

Renderers (text, JSON, Slack blocks) turn an Answer into output; exit codes derive from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from checks.model import Report


class NoticeKind(StrEnum):
    INFO = "info"  # help, confirmations
    USAGE = "usage"  # the text was not a valid command
    REFUSED = "refused"  # not allowed here or for this user
    ERROR = "error"  # the command ran and could not do what it was asked


@dataclass(frozen=True)
class Notice:
    title: str
    body: str = ""
    kind: NoticeKind = NoticeKind.INFO
    # Shown to the whole channel in Slack; help, usage errors and refusals are ephemeral.
    public: bool = False


Answer = Report | Notice


def exit_code(answer: Answer) -> int:
    """0 nothing failed (warnings allowed), 1 a check or action failed, 2 usage/config error."""
    if isinstance(answer, Report):
        return 1 if answer.failed else 0
    return {NoticeKind.INFO: 0, NoticeKind.ERROR: 1}.get(answer.kind, 2)
