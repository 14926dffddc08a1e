"""The `publish CHANNEL JSON` command: one test message through Centrifugo's server HTTP API,
only to channels TAIL_CHANNELS allows, answered with its stream position or with what went
wrong in words a person can act on."""

from __future__ import annotations

from contextlib import AsyncExitStack
from typing import Any

import httpx

from bot.answers import Notice, NoticeKind
from bot.grammar import Publish
from bot.render.labels import label
from bot.settings import Settings
from bot.tail.allowlist import allowed_listing, channel_allowed
from checks.centrifugo_api import CentrifugoApi
from checks.context import make_ssl_context
from checks.errors import (
    ApiError,
    CentrifugoError,
    HttpStatusError,
    NoAnswer,
    TlsFailure,
    Unauthorized,
    UnexpectedBody,
    Unreachable,
)
from checks.model import Language
from checks.target import Target

_EXPLAINED_CODES = (100, 102, 103, 107, 108)
ORG_PREFIX = "org:"
_MAX_ERROR = 200  # an exception's text can be long (a whole TLS chain); the gist is enough


def refuse_channel(channel: str, settings: Settings) -> Notice | None:
    """The refusal for a channel TAIL_CHANNELS does not allow, or None when it is allowed."""
    if channel_allowed(channel, settings.tail_channels):
        return None
    lang = settings.bot_language
    patterns = allowed_listing(settings.tail_channels)
    return Notice(
        label(lang, "channel_not_allowed", channel=channel),
        label(lang, "channel_not_allowed_why", patterns=patterns),
        NoticeKind.REFUSED,
    )


def _refuse_org_channel(channel: str, lang: Language) -> Notice | None:
    """Org channels reach customers' browsers: publishing there is refused whatever the
    allowlist says (tailing one, which only reads, is up to TAIL_CHANNELS)."""
    if not channel.lstrip("$").startswith(ORG_PREFIX):
        return None
    return Notice(
        label(lang, "publish_org_refused", channel=channel),
        label(lang, "publish_org_refused_why"),
        NoticeKind.REFUSED,
    )


async def publish_command(
    command: Publish, settings: Settings, http: httpx.AsyncClient | None = None
) -> Notice:
    """Publish `command.data` to `command.channel` and say how it went. The size limit
    (MAX_DATA_BYTES) is the parser's: a `Publish` only comes from parse_command."""
    lang = settings.bot_language
    refusal = _refuse_org_channel(command.channel, lang) or refuse_channel(
        command.channel, settings
    )
    if refusal is not None:
        return refusal
    target = settings.target()
    try:
        result = await _publish(target, command, http)
    except CentrifugoError as error:
        title = label(lang, "publish_failed", channel=command.channel)
        return Notice(title, explain(error, target, lang), NoticeKind.ERROR, public=True)
    return Notice(
        label(lang, "publish_ok", channel=command.channel),
        position_text(result, lang),
        public=True,
    )


async def _publish(
    target: Target, command: Publish, http: httpx.AsyncClient | None
) -> dict[str, Any]:
    async with AsyncExitStack() as stack:
        if http is None:
            http = await stack.enter_async_context(
                httpx.AsyncClient(
                    verify=make_ssl_context(target),
                    timeout=httpx.Timeout(target.check_timeout),
                    headers={"User-Agent": "centrifugo-bot"},
                )
            )
        api = CentrifugoApi(http, target.base_url, target.centrifugo_api_key)
        return await api.publish(command.channel, command.data)


def position_text(result: dict[str, Any], lang: Language) -> str:
    """Offset and epoch when Centrifugo returned them (both are omitted without history)."""
    offset, epoch = result.get("offset"), result.get("epoch")
    if offset is None and not epoch:
        return label(lang, "publish_no_position")
    return label(lang, "publish_position", offset=offset or 0, epoch=epoch or "")


def explain(error: CentrifugoError, target: Target, lang: Language) -> str:
    """One sentence saying what went wrong and where to look."""
    url = f"{target.base_url}/api/publish"
    match error:
        case Unauthorized():
            return label(lang, "api_401")
        case HttpStatusError(status=404):
            return label(lang, "api_404", url=url)
        case HttpStatusError(status=status):
            return label(lang, "api_status", status=status)
        case ApiError(code=code) if code in _EXPLAINED_CODES:
            return label(lang, f"api_{code}")
        case ApiError(code=code, message=message):
            return label(lang, "api_other", code=code, message=message[:_MAX_ERROR])
        case NoAnswer():
            return label(lang, "no_answer", url=url, seconds=f"{target.check_timeout:g}")
        case TlsFailure():
            return label(lang, "tls_failure", url=url, error=_gist(error))
        case Unreachable():
            return label(lang, "unreachable", url=url, error=_gist(error))
        case UnexpectedBody():
            return label(lang, "unexpected_body", error=_gist(error))
        case _:
            return _gist(error)


def _gist(error: Exception) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= _MAX_ERROR else text[: _MAX_ERROR - 1] + "…"
