"""The bilingual building blocks of the remediation catalogue: a step and a problem's steps.

Every step holds its English and Brazilian Portuguese text side by side, so the two languages
cannot drift apart in number or order. Texts are `str.format` templates filled from
`commands.command_values` (literal JSON braces are doubled); placeholders name hosts, URLs and
whole commands, never secrets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from checks.model import Language, Problem


@dataclass(frozen=True)
class Step:
    en: str
    pt_br: str

    def render(self, lang: Language, values: Mapping[str, str]) -> str:
        template = self.pt_br if lang == "pt-BR" else self.en
        return template.format_map(values)


@dataclass(frozen=True)
class ProblemSteps:
    """One runbook problem: its title, its general steps and the steps specific to each cause."""

    problem: Problem
    title: Step
    general: tuple[Step, ...]
    causes: Mapping[str, tuple[Step, ...]]
