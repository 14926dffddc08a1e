"""Pure renderers: an Answer in, text / JSON / Slack Block Kit out. No I/O, no clock."""
