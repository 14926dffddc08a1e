"""The Slack half of centrifugo-bot: grammar, commands, rendering, app, alerts and tails."""
