"""Slack's Block Kit size limits, checked the way Slack checks them: a message that breaks one is
refused with `invalid_blocks`, so a bot that ignores the limits fails its tests, not production."""

from __future__ import annotations

import json
from typing import Any

MAX_BLOCKS = 50
MAX_MESSAGE_TEXT = 40_000  # beyond this chat.postMessage answers msg_too_long
# (block type, field) -> maximum characters of that text object.
TEXT_LIMITS = {("section", "text"): 3000, ("header", "text"): 150, ("section", "field"): 2000}
MAX_FIELDS = 10
MAX_ELEMENTS = {"context": 10, "actions": 25}
MAX_BUTTON_TEXT = 75
MAX_BUTTON_VALUE = 2000


def decode_blocks(raw: Any) -> list[dict[str, Any]] | None:
    """Blocks arrive as a list in JSON bodies and as a JSON string in form bodies."""
    if raw is None:
        return None
    value = json.loads(raw) if isinstance(raw, str) else raw
    if not isinstance(value, list) or not all(isinstance(b, dict) for b in value):
        raise ValueError("blocks must be a JSON array of objects")
    return value


def block_errors(blocks: list[dict[str, Any]]) -> list[str]:
    """Every limit `blocks` breaks, worded like Slack's `errors` list; empty when valid."""
    errors = [f"must be no more than {MAX_BLOCKS} items"] if len(blocks) > MAX_BLOCKS else []
    for index, block in enumerate(blocks):
        errors += [f"{e} [json-pointer:/blocks/{index}]" for e in _one_block(block)]
    return errors


def _one_block(block: dict[str, Any]) -> list[str]:
    kind = str(block.get("type"))
    errors = []
    if "text" in block:
        errors += _too_long(block["text"], TEXT_LIMITS.get((kind, "text")), "text")
    fields = block.get("fields") or []
    if len(fields) > MAX_FIELDS:
        errors.append(f"fields: must be no more than {MAX_FIELDS} items")
    for field in fields:
        errors += _too_long(field, TEXT_LIMITS[("section", "field")], "fields")
    elements = block.get("elements") or []
    if kind in MAX_ELEMENTS and len(elements) > MAX_ELEMENTS[kind]:
        errors.append(f"elements: must be no more than {MAX_ELEMENTS[kind]} items")
    for element in elements if kind == "actions" else []:
        errors += _button_errors(element)
    return errors


def _button_errors(element: dict[str, Any]) -> list[str]:
    if element.get("type") != "button":
        return []
    errors = _too_long(element.get("text"), MAX_BUTTON_TEXT, "button text")
    if len(str(element.get("value", ""))) > MAX_BUTTON_VALUE:
        errors.append(f"button value: must be less than {MAX_BUTTON_VALUE + 1} characters")
    return errors


def _too_long(text_object: Any, limit: int | None, where: str) -> list[str]:
    if limit is None or not isinstance(text_object, dict):
        return []
    if len(str(text_object.get("text", ""))) > limit:
        return [f"{where}: must be less than {limit + 1} characters"]
    return []
