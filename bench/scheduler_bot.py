"""The bot side of bench/scheduler_load.py, as its own process so its CPU is its own: the real
Scheduler (SQLite state, the app's Slack client with its retry handlers, metrics) over several
watches for a fixed time. Reads its plan from BENCH_CONFIG (JSON), prints "started" once the
loop runs, then one JSON line of figures: each watch's run spans, every transition, its CPU.
"""

from __future__ import annotations

import asyncio
import json
import os
import resource
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import aiohttp
from pydantic import SecretStr

from bot.redact import Redactor
from bot.schedule.loop import Outlet, Scheduler, Watch
from bot.schedule.metrics import Metrics
from bot.schedule.model import POSTING_CHANGES, Rules, Transition
from bot.schedule.poster import SlackPoster
from bot.schedule.state import StateStore
from bot.settings import load_settings
from bot.slack.client import web_client
from checks.model import Language, Report
from checks.runner import run_checks
from checks.target import Target


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)  # every thread of this process
    return usage.ru_utime + usage.ru_stime


def watches(config: dict[str, Any]) -> list[Watch]:
    return [
        Watch(
            Target(
                centrifugo_url=url,
                centrifugo_api_key=SecretStr(config["api_key"]),
                centrifugo_token_hmac_secret_key=SecretStr(config["hmac_secret"]),
                check_timeout=config["check_timeout"],
            ),
            org=str(n),
        )
        for n, url in enumerate(config["urls"])
    ]


async def run_bot(config: dict[str, Any]) -> dict[str, Any]:
    settings = load_settings(slack_bot_token=config["bot_token"], slack_api_url=config["api_url"])
    spans: dict[str, list[tuple[float, float]]] = {}
    seen: list[Transition] = []

    async def timed(
        check_ids: Sequence[str], target: Target, *, command: str, org: str | None, lang: Language
    ) -> Report:
        started = time.monotonic()
        report = await run_checks(check_ids, target, command=command, org=org, lang=lang)
        spans.setdefault(Watch(target, org).name, []).append((started, time.monotonic()))
        return report

    store = StateStore.open(Path(config["state_path"]))
    rules = Rules(remind_every=config["remind_every"])
    async with aiohttp.ClientSession() as session:
        poster = SlackPoster(web_client(settings, session), Redactor())
        scheduler = Scheduler(
            watches(config),
            store=store,
            outlet=Outlet(poster, config["channel"]),
            interval=config["interval"],
            rules=rules,
            metrics=Metrics(),
            run=timed,
            on_transition=seen.append,
        )
        cpu, wall = cpu_seconds(), time.monotonic()
        async with scheduler:
            print("started", flush=True)
            await asyncio.sleep(config["seconds"])
        cpu, wall = cpu_seconds() - cpu, time.monotonic() - wall
    store.close()
    return {
        "cpu_percent": 100 * cpu / wall,
        "wall_s": wall,
        "spans": spans,
        "transitions": [[t.change.value, t.target, t.muted] for t in seen],
        "posting": sum(1 for t in seen if t.change in POSTING_CHANGES and not t.muted),
    }


def main() -> int:
    config = json.loads(os.environ["BENCH_CONFIG"])
    figures = asyncio.run(run_bot(config))
    print(json.dumps(figures), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
