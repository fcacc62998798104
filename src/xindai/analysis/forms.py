"""Forms of a period's statements: the header (period and kind) and one field per item.

The items are checked by :mod:`xindai.analysis.schema` in the services (the same rules as the
statements file and the Excel import); these forms give the pages their fields and labels.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xindai.analysis.models import StatementKindChoice
from xindai.analysis.statements import SECTION_LABELS, SECTIONS, StatementKind, items_of


class StatementHeaderForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("报表类型"), choices=StatementKindChoice.choices, required=False
    )
    period_end = forms.DateField(label=_("报表期末"), help_text=_("如 2023-12-31"))
    months = forms.IntegerField(
        label=_("期间月数"),
        min_value=1,
        max_value=12,
        required=False,
        help_text=_("年报填 12；留空按 12"),
    )

    def clean_months(self) -> int:
        return self.cleaned_data.get("months") or 12


def item_keys(kind: StatementKind) -> dict[str, str]:
    """Item key → its section, for every item of a kind (keys are unique within a kind)."""
    return {
        info.key: section_name
        for section_name, section in SECTIONS[kind].items()
        for info in items_of(section)
    }


def statement_form(kind: StatementKind) -> type[forms.Form]:
    """A form with one optional amount field per item of ``kind``, grouped by section
    (``field.section`` names the section; ``form.sections()`` lists them in order)."""
    fields: dict[str, Any] = {}
    for section_name, section in SECTIONS[StatementKind(kind)].items():
        for info in items_of(section):
            field = forms.DecimalField(
                label=_(info.label),  # a marked label: translated when shown
                required=False,
                max_digits=17,
                decimal_places=2,
                min_value=None if info.signed else 0,
            )
            field.section = section_name  # type: ignore[attr-defined]
            fields[info.key] = field

    def sections(self: forms.Form) -> list[tuple[Any, list[Any]]]:
        """(section label, its bound fields) in order, for the page."""
        grouped: dict[str, list[Any]] = {name: [] for name in SECTIONS[StatementKind(kind)]}
        for key, field in self.fields.items():
            grouped[field.section].append(self[key])  # type: ignore[attr-defined]
        return [(_(SECTION_LABELS[name]), bound) for name, bound in grouped.items()]

    fields["sections"] = sections
    return type(f"{StatementKind(kind).value.title()}StatementForm", (forms.Form,), fields)
