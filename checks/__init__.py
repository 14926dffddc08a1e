"""The Centrifugo half of centrifugo-bot: checks that diagnose a Centrifugo deployment.

Nothing here knows about Slack or the bot; a test enforces it.
"""
