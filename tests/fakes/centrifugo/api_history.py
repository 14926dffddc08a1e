"""One page of a channel's history stream for the `history` API method: Centrifugo's
`limit` (0 = position only, -1 = everything), `since` and `reverse` semantics."""

from __future__ import annotations

from typing import Any


def history_page(
    stored: list[Any], top: int, floor: int, epoch: str, params: dict[str, Any]
) -> dict[str, Any]:
    """`stored` holds every publication of the channel in order, the last one at offset `top`;
    offsets at or below `floor` fell out of the stream (size limit or history_remove)."""
    first = top - len(stored) + 1
    pubs = [
        {"data": data, "offset": first + i} for i, data in enumerate(stored) if first + i > floor
    ]
    reverse = bool(params.get("reverse"))
    since = params.get("since")
    if since:
        mark = since.get("offset") or 0
        pubs = [p for p in pubs if (p["offset"] < mark if reverse else p["offset"] > mark)]
    if reverse:
        pubs.reverse()
    limit = params.get("limit") or 0
    if limit >= 0:
        pubs = pubs[:limit]
    # All three fields are always present, even for a channel that never saw a publication.
    return {"publications": pubs, "epoch": epoch, "offset": top}
