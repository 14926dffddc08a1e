"""Scheduled checks: the alert policy, its SQLite state, the loop, alert messages and /metrics."""
