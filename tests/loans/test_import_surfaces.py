"""The import through the API, the page and the command; who may use them."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from openpyxl import load_workbook

from tests.loans.factories_import import csv_bytes, loan_row
from xindai.loans.models import LoanAccount
from xindai.org.roles import Role
from xindai.products.demo import seed_demo_products


@pytest.fixture
def admin(tree, make_user):
    return make_user("sysadmin", tree["HQ"], Role.ADMIN, full_name="系统管理员")


@pytest.fixture
def ready(farmer, manager):
    seed_demo_products()
    return farmer


def upload(content: bytes, name: str = "old.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_the_api_imports_and_reports(ready, admin, login) -> None:
    client = login(admin)
    good = csv_bytes([loan_row(ready.id_number)])
    checked = client.post("/api/v1/loan-imports", {"file": upload(good), "dry_run": "true"})
    assert checked.status_code == 200
    assert (checked.json()["imported"], checked.json()["valid"]) == (0, 1)
    assert not LoanAccount.objects.exists()

    done = client.post("/api/v1/loan-imports", {"file": upload(good)})
    assert done.status_code == 201
    assert (done.json()["imported"], done.json()["skipped"], done.json()["errors"]) == (1, 0, [])

    bad = csv_bytes([loan_row(ready.id_number, 原借据号="X2", 年利率="4.35")])
    refused = client.post("/api/v1/loan-imports", {"file": upload(bad)})
    assert refused.status_code == 200
    assert refused.json()["errors"] == [
        {
            "row": 2,
            "column": "年利率",
            "message": "4.35 有歧义：百分数请带 %（4.35%），小数请写作 0.0435",
        }
    ]
    assert LoanAccount.objects.count() == 1


def test_a_manager_may_not_import(ready, manager, login) -> None:
    content = csv_bytes([loan_row(ready.id_number)])
    assert login(manager).post("/api/v1/loan-imports", {"file": upload(content)}).status_code == 403
    assert login(manager).get("/loans/imports/").status_code == 403
    assert not LoanAccount.objects.exists()


def test_the_page_shows_the_errors_and_offers_the_report(ready, admin, login) -> None:
    client = login(admin)
    assert client.get("/loans/imports/template/").status_code == 200
    bad = csv_bytes([loan_row("110101199003078515")])
    page = client.post("/loans/imports/", {"file": upload(bad)}).content.decode()
    assert "发现 1 处错误，未导入任何数据" in page
    assert "110101********8515" in page and "110101199003078515" not in page
    report = load_workbook(io.BytesIO(client.get("/loans/imports/errors.xlsx").content)).active
    assert list(report.iter_rows(values_only=True))[1] == (
        2,
        "客户证件号码",
        "证件号码 110101********8515 的客户未在系统中建档，请先建档",
    )
    assert client.get("/loans/imports/errors.json").json()["errors"][0]["row"] == 2


def test_the_template_imports_after_its_example_is_made_real(ready, admin, login) -> None:
    from xindai.loans.importer import template_workbook

    sheet = load_workbook(io.BytesIO(template_workbook()))["存量贷款"]
    header, example = list(sheet.iter_rows(values_only=True))[:2]
    row = dict(zip(header, example, strict=True)) | {"客户证件号码": ready.id_number}
    from xindai.loans.importer import import_loans

    assert import_loans(admin, csv_bytes([row])).errors == []


def test_the_command_prints_a_json_summary(ready, admin, tmp_path, capsys) -> None:
    path = tmp_path / "old.csv"
    path.write_bytes(csv_bytes([loan_row(ready.id_number)], encoding="gbk"))
    call_command("import_loans", str(path), "--user", "sysadmin")
    summary = json.loads(capsys.readouterr().out)
    assert (summary["imported"], summary["skipped"]) == (1, 0)

    call_command("import_loans", str(path), "--user", "sysadmin", "--dry-run")
    assert json.loads(capsys.readouterr().out)["skipped"] == 1

    path.write_bytes(csv_bytes([loan_row(ready.id_number, 原借据号="Z9", 状态="冻结")]))
    with pytest.raises(SystemExit) as failed:
        call_command("import_loans", str(path), "--user", "sysadmin")
    assert failed.value.code == 1
    assert json.loads(capsys.readouterr().out)["errors"][0]["column"] == "状态"
    assert LoanAccount.objects.count() == 1
