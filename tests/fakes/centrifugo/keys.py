"""Typed aiohttp application keys shared by the emulator's HTTP and WebSocket halves."""

from __future__ import annotations

from aiohttp import web

from .config import EmulatorConfig
from .hub import Hub

CONFIG_KEY = web.AppKey("config", EmulatorConfig)
HUB_KEY = web.AppKey("hub", Hub)
