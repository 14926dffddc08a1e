"""Tailing a channel into a Slack thread (and to a terminal): stream, batches, pacing, posts."""
