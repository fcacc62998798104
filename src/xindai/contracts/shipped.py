"""Version 1 of each contract kind: the uniform contracts shipped in ``contracts/docx``, loaded
by the migration and by ``xindai contracts seed-templates`` (idempotent: a kind that has any
version is left alone). The rows name the file ``shipped/<kind>.docx``: it is read from the
package, and its SHA-256 is checked like an uploaded version's."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from xindai.contracts import documents

KINDS = ("loan", "guarantee", "mortgage", "pledge", "max_mortgage")
NOTE = "统一制式合同（系统预置）"


def seed(template_model: Any) -> list[str]:
    """Create the approved version 1 of every kind that has no version yet; the kinds made."""
    made = []
    for kind in KINDS:
        if template_model.objects.filter(kind=kind).exists():
            continue
        content = documents.shipped_bytes(kind)
        template_model.objects.create(
            kind=kind,
            version=1,
            file=f"{documents.SHIPPED_PREFIX}{kind}.docx",
            sha256=documents.sha256(content),
            clauses=documents.clauses(content),
            note=NOTE,
            approved_at=timezone.now(),
        )
        made.append(kind)
    return made
