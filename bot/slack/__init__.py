"""The Slack app: bolt wiring, listeners, reply delivery, background jobs and the serve lifespan."""
