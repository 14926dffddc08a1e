"""A protocol-faithful Centrifugo emulator for tests, written from shared/reference/centrifugo.md.

One aiohttp server speaks the HTTP API (`http_api.py`), the WebSocket client protocol
(`websocket.py`) and the extra endpoints (`/health`, admin UI), sharing channel state through
`hub.py`. `config.py` holds its settings and fault modes, switchable while it runs.
"""
