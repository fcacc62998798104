"""The pages: the panel registers and receives, the item page releases, lists and export."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from tests.vault.factories import REGISTERED_ON, house, kept, registered
from xindai.vault.models import Registration, VaultItem


def test_the_manager_registers_from_the_panel(case, manager, login) -> None:
    client = login(manager)
    page = client.get(f"/vault/applications/{case.pk}/")
    assert page.status_code == 200
    assert "办理抵质押登记" in page.content.decode()
    key = f"register-{house(case).pk}"
    response = client.post(
        f"/vault/applications/{case.pk}/collateral/{house(case).pk}/register/",
        {
            f"{key}-registry": "多福县不动产登记中心",
            f"{key}-registered_on": REGISTERED_ON.isoformat(),
            f"{key}-certificate_no": "证明第1号",
            f"{key}-secured_amount": "100000",
        },
    )
    assert response.status_code == 302
    assert Registration.objects.get().certificate_no == "证明第1号"


def test_a_refused_registration_shows_why(case, manager, login) -> None:
    key = f"register-{house(case).pk}"
    response = login(manager).post(
        f"/vault/applications/{case.pk}/collateral/{house(case).pk}/register/",
        {
            f"{key}-registry": "多福县不动产登记中心",
            f"{key}-registered_on": "2026-12-01",
            f"{key}-certificate_no": "证明第1号",
            f"{key}-secured_amount": "100000",
        },
    )
    assert response.status_code == 200
    assert "登记日期不能晚于会计日期 2026-11-27" in response.content.decode()
    assert not Registration.objects.exists()


def test_the_keeper_receives_and_the_head_approves_the_release(
    case, manager, keeper, head, login
) -> None:
    house_reg, _ = registered(case, manager)
    key = f"receive-{house_reg.pk}"
    response = login(keeper).post(
        f"/vault/registrations/{house_reg.pk}/receive/",
        {f"{key}-kind": "certificate", f"{key}-description": "", f"{key}-value": ""},
    )
    assert response.status_code == 302
    item = VaultItem.objects.get()
    page = login(keeper).get(f"/vault/items/{item.pk}/")
    assert "提交出库申请" in page.content.decode()
    login(keeper).post(f"/vault/items/{item.pk}/release/", {"reason": "换证", "acknowledge": "on"})
    movement = item.movements.get(direction="out")
    login(head).post(f"/vault/movements/{movement.pk}/approve/")
    item.refresh_from_db()
    assert item.status == "out"


def test_the_lists_and_the_export_mask_the_id_number(case, manager, keeper, login) -> None:
    house_reg, deposit_reg = registered(case, manager)
    kept(house_reg, keeper)
    kept(deposit_reg, keeper, kind="pledged_item")
    client = login(keeper)
    assert "KF2026000001" in client.get("/vault/?q=KF2026").content.decode()
    page = client.get("/vault/off-balance/").content.decode()
    assert "15 <span" in page  # 150,000 元 = 15 万元
    assert "没有差异" in client.get("/vault/reconciliation/").content.decode()
    export = client.get("/vault/off-balance/export/")
    sheet = load_workbook(io.BytesIO(export.content))["表外登记清单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 3
    id_number = case.customer.id_number
    assert rows[1][3] == id_number[:6] + "********" + id_number[-4:]
    totals = list(load_workbook(io.BytesIO(export.content))["合计"].iter_rows(values_only=True))
    assert totals[-1][:3] == ("合计", None, 2)
