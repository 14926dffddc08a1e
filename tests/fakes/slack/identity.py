"""Who the stand-in workspace says everyone is: one team, one app, its bot user. Shared by the
Web API answers (auth.test, message authors) and the inbound payload builders so they agree."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Identity:
    team_id: str = "T1"
    team: str = "stand-in"
    app_id: str = "A1"
    bot_user_id: str = "UBOT"
    bot_id: str = "BBOT"
    bot_name: str = "centrifugo-bot"
    # Slack's legacy verification token, still present in every payload; bolt ignores it.
    verification_token: str = "stand-in-verification-token"

    @property
    def url(self) -> str:
        return f"https://{self.team}.slack.com/"


DEFAULT = Identity()
