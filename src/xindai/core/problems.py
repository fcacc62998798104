"""Messages of pure domain modules, translated where they are shown (pure: stdlib only).

Domain modules import no Django, so they cannot call ``gettext``. They build a ``Problem``
from a Chinese template marked with ``mark`` (an identity that ``makemessages`` collects as
``_``) and its values; the edge (a form, a view, the API) renders it with
``problem.text(gettext)``, so the page shows it in the user's language.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass


def mark(message: str) -> str:
    """Marks a message for the translation catalogue; it is translated where it is shown."""
    return message


_ = mark


@dataclass(frozen=True)
class Problem:
    """A broken rule: the field it concerns and a message template with its values
    (``%(name)s`` placeholders; a value that is itself a marked label is translated too)."""

    field: str
    template: str
    params: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def text(self, translate: Callable[[str], str] = str) -> str:
        values = {key: translate(value) for key, value in self.params.items()}
        return translate(self.template) % values if values else translate(self.template)

    def __str__(self) -> str:
        return self.text()


def by_field(
    problems: Iterable[Problem], translate: Callable[[str], str] = str
) -> dict[str, list[str]]:
    """Messages grouped by the field they are about, in order, for form errors and API
    ``details``."""
    found: dict[str, list[str]] = {}
    for problem in problems:
        found.setdefault(problem.field, []).append(problem.text(translate))
    return found
