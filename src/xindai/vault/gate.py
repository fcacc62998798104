"""The vault's part of the disbursement gate: every mortgage and pledge registered, and its
certificate (or the pledged item) received into the vault."""

from __future__ import annotations

from xindai.core.problems import Problem
from xindai.core.problems import mark as _
from xindai.credit.models import CreditApplication
from xindai.vault.models import ItemStatus, Registration, VaultItem


def disbursement_problems(application: CreditApplication) -> list[Problem]:
    found = []
    for item in application.collateral.all():
        registration = Registration.objects.filter(collateral=item).first()
        if registration is None:
            found.append(
                Problem(
                    "registration", _("押品未办理抵质押登记：%(item)s"), {"item": item.description}
                )
            )
            continue
        kept = VaultItem.objects.filter(registration=registration, status=ItemStatus.IN).exists()
        if not kept:
            params = {"number": registration.certificate_no}
            found.append(Problem("vault", _("他项权证 %(number)s 尚未入库保管"), params))
    return found
