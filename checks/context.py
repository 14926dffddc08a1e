"""What a check may use during one run: the target, the org, shared clients, and a memo.

The memo lets checks share one expensive call per run (the `info` answer, the app's token):
the first caller starts it, later callers await the same task.
"""

from __future__ import annotations

import asyncio
import functools
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

import httpx

from checks.centrifugo_api import CentrifugoApi
from checks.model import Language, say
from checks.target import Target

T = TypeVar("T")

# HTTP calls give up a little before the runner's per-check timeout, so a slow server is reported
# by the check itself (which call, which cause) rather than by the runner's generic timeout.
HTTP_TIMEOUT_SHARE = 0.9


def make_ssl_context(target: Target) -> ssl.SSLContext:
    """System trust store, or the CA bundle named by SSL_CERT_FILE."""
    return _ssl_context(target.ssl_cert_file)


@functools.lru_cache(maxsize=8)
def _ssl_context(cafile: str | None) -> ssl.SSLContext:
    # Loading a trust store costs ~16 ms of CPU; one context per bundle serves every run
    # (contexts are safe to share, and nothing here mutates one after creation).
    return ssl.create_default_context(cafile=cafile)


@dataclass
class CheckContext:
    target: Target
    http: httpx.AsyncClient
    ssl_context: ssl.SSLContext
    org: str | None = None
    channel_pattern: str | None = None
    lang: Language = "en"
    _memo: dict[str, asyncio.Task[Any]] = field(default_factory=dict)

    def say(self, en: str, pt_br: str) -> str:
        """A summary in the run's language. Both versions are written side by side at the
        call, so a translation can never drift from what the check actually found."""
        return say(self.lang, en, pt_br)

    @property
    def api(self) -> CentrifugoApi:
        return CentrifugoApi(self.http, self.target.base_url, self.target.centrifugo_api_key)

    @property
    def timeout(self) -> float:
        return self.target.check_timeout

    async def memo(self, key: str, factory: Callable[[], Awaitable[T]]) -> T:
        """Run `factory` once per run; every caller gets its result or its exception.

        The shared task is shielded so one caller's timeout does not cancel it for the others.
        """
        task = self._memo.get(key)
        if task is None:
            task = asyncio.ensure_future(factory())
            task.set_name(f"memo:{key}")
            self._memo[key] = task
        return cast(T, await asyncio.shield(task))

    async def close(self) -> None:
        for task in self._memo.values():
            task.cancel()
        await asyncio.gather(*self._memo.values(), return_exceptions=True)
        await self.http.aclose()


@asynccontextmanager
async def open_context(
    target: Target,
    *,
    org: str | None = None,
    channel_pattern: str | None = None,
    lang: Language = "en",
) -> AsyncIterator[CheckContext]:
    ssl_context = make_ssl_context(target)
    http = httpx.AsyncClient(
        verify=ssl_context,
        timeout=httpx.Timeout(target.check_timeout * HTTP_TIMEOUT_SHARE),
        follow_redirects=False,
        headers={"User-Agent": "centrifugo-bot"},
    )
    ctx = CheckContext(target, http, ssl_context, org, channel_pattern, lang)
    try:
        yield ctx
    finally:
        await ctx.close()
