"""Customers in Excel: the template, the all-or-nothing import, its error report, the export."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from tests.customers.ids import credit_code, resident_id
from xindai.audit.models import AuditEvent
from xindai.core.errors import DomainError
from xindai.customers import excel_import
from xindai.customers.excel import (
    error_report,
    export_customers,
    import_workbook,
    template_workbook,
)
from xindai.customers.models import Customer, HouseholdMember, LandHolding
from xindai.customers.services import create_customer

# Sex from the 17th digit, the last of the sequence number: odd for men, even for women.
WANG = resident_id("110101", dt.date(1968, 3, 1), 11)  # 王大山, man, head of household 1
LIU = resident_id("110101", dt.date(1970, 7, 9), 22)  # 刘桂兰, his wife
WANG_SON = resident_id("110101", dt.date(1995, 1, 2), 31)  # 王小明, their son
LI = resident_id("110102", dt.date(1975, 5, 5), 42)  # 李秀英, woman, head of household 2
LI_SON = resident_id("110102", dt.date(2001, 6, 6), 51)  # 赵强, her son
ZHAO = resident_id("110105", dt.date(1959, 12, 31), 61)  # 赵老汉, head of household 3
STRANGER = resident_id("110108", dt.date(1980, 8, 8), 71)  # not a household in the file
SHOP = credit_code("92110101MA0000001")
SHOP_OWNER = resident_id("110101", dt.date(1985, 4, 4), 82)  # 孙丽, woman
VILLAGE = "110101001001"

HOUSEHOLD_HEADERS = ["户主姓名", "身份证号", "手机号", "住址", "所在村代码", "承包地面积（亩）"]
MEMBER_HEADERS = [
    "户主身份证号",
    "与户主关系",
    "姓名",
    "性别",
    "身份证号",
    "职业",
    "手机号",
    "是否劳动力",
]
BUSINESS_HEADERS = [
    "名称",
    "统一社会信用代码",
    "手机号",
    "地址",
    "行业代码",
    "经营者姓名",
    "经营者身份证号",
]

THREE_HOUSEHOLDS = {
    "农户": [
        ["王大山", WANG, "13912340000", "多福巷村3组12号", VILLAGE, "8.5"],
        ["李秀英", LI, None, "多福巷村1组2号", VILLAGE, None],
        ["赵老汉", ZHAO, "13700002222", "多福巷村5组1号", VILLAGE, None],
    ],
    "家庭成员": [
        [WANG, "户主", "王大山", "男", WANG, "务农", "13912340000", "是"],
        [WANG, "配偶", "刘桂兰", None, LIU, "务农", None, "是"],
        [WANG, "子女", "王小明", "男", WANG_SON, "外出务工", "13600001111", None],
        [LI, "子女", "赵强", None, LI_SON, "学生", None, "否"],
        [ZHAO, "户主", "赵老汉", "男", ZHAO, None, None, "否"],
    ],
}


def filled(rows: dict[str, list[list[Any]]]) -> bytes:
    """The downloaded template with these rows typed in under the headers."""
    workbook = load_workbook(io.BytesIO(template_workbook()))
    for title, lines in rows.items():
        for r, values in enumerate(lines, start=2):
            for c, value in enumerate(values, start=1):
                workbook[title].cell(row=r, column=c, value=value)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def cells(content: bytes) -> list[list[Any]]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def import_events() -> Any:
    return AuditEvent.objects.filter(action="customers.import")


@pytest.fixture
def importing(manager: Any, village: Any) -> Callable[[bytes], Any]:
    return lambda content: import_workbook(manager, content, manager=manager)


# ---- the template ----------------------------------------------------------------------------


def test_the_template_has_a_sheet_per_kind_of_row_and_an_explanation() -> None:
    workbook = load_workbook(io.BytesIO(template_workbook()))

    assert workbook.sheetnames == ["农户", "家庭成员", "个体工商户", "说明"]
    assert [c.value for c in workbook["农户"][1]] == HOUSEHOLD_HEADERS
    assert [c.value for c in workbook["家庭成员"][1]] == MEMBER_HEADERS
    assert [c.value for c in workbook["个体工商户"][1]] == BUSINESS_HEADERS
    notes = [row for row in workbook["说明"].iter_rows(values_only=True)]
    explained = {(row[0], row[1]): row for row in notes if row[1]}
    assert explained[("家庭成员", "与户主关系")][2] == "必填"
    assert (
        explained[("家庭成员", "与户主关系")][4] == "户主、配偶、子女、父母、兄弟姐妹、经营者、其他"
    )
    assert explained[("家庭成员", "性别")][4] == "男、女"
    assert explained[("家庭成员", "是否劳动力")][4] == "是、否"
    assert explained[("农户", "手机号")][2] == "选填"


# ---- a good file -----------------------------------------------------------------------------


def test_the_filled_template_creates_exactly_those_households_and_members(
    importing: Callable[[bytes], Any], manager: Any, village: Any
) -> None:
    content = filled(THREE_HOUSEHOLDS)

    result = importing(content)

    assert result.ok
    assert (result.households, result.members, result.businesses) == (3, 5, 0)
    customers = {c.id_number: c for c in Customer.objects.all()}
    assert set(customers) == {WANG, LI, ZHAO}
    wang = customers[WANG]
    assert (wang.name, wang.kind, wang.id_type) == ("王大山", "farmer", "resident_id")
    assert (wang.phone, wang.address, wang.village) == ("13912340000", "多福巷村3组12号", village)
    assert (wang.manager, wang.org_unit.code) == (manager, "O11")
    assert customers[LI].phone == ""

    def members(head: str) -> set[tuple[str, str, str, str, str, str, bool]]:
        rows = HouseholdMember.objects.filter(customer=customers[head])
        return {
            (m.relation, m.name, m.sex, m.id_number, m.occupation, m.phone, m.is_labour)
            for m in rows
        }

    assert members(WANG) == {
        ("head", "王大山", "M", WANG, "务农", "13912340000", True),
        ("spouse", "刘桂兰", "F", LIU, "务农", "", True),
        ("child", "王小明", "M", WANG_SON, "外出务工", "13600001111", True),
    }
    assert members(LI) == {("child", "赵强", "M", LI_SON, "学生", "", False)}
    assert members(ZHAO) == {("head", "赵老汉", "M", ZHAO, "", "", False)}
    land = LandHolding.objects.get()
    assert (land.customer, land.kind, land.area_mu) == (wang, "contracted", Decimal("8.50"))


def test_completeness_is_set_for_every_new_household(
    importing: Callable[[bytes], Any],
) -> None:
    importing(filled(THREE_HOUSEHOLDS))

    # A farmer's archive asks for 14 things: phone, address, village; 9 sections; 2 documents.
    # 王大山: 3 fields + members + land = 5 → 500 // 14 = 35
    # 李秀英: address, village + members = 3 → 300 // 14 = 21
    # 赵老汉: 3 fields + members = 4 → 400 // 14 = 28
    scores = dict(Customer.objects.values_list("name", "completeness"))
    assert scores == {"王大山": 35, "李秀英": 21, "赵老汉": 28}


def test_history_names_the_actor_and_one_audit_event_tells_the_counts(
    importing: Callable[[bytes], Any], manager: Any
) -> None:
    content = filled(THREE_HOUSEHOLDS)

    importing(content)

    customer_history = Customer.history.all()
    assert customer_history.count() == 3
    assert {(h.history_type, h.history_user_id) for h in customer_history} == {("+", manager.pk)}
    assert HouseholdMember.history.filter(history_user=manager).count() == 5
    assert LandHolding.history.count() == 1
    event = import_events().get()
    assert event.actor == manager
    assert event.changes == {
        "households": 3,
        "members": 5,
        "businesses": 0,
        "land": 1,
        "manager": "zhang",
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    written = json.dumps(event.changes, ensure_ascii=False)
    assert WANG not in written and "13912340000" not in written and "王大山" not in written


def test_a_business_is_keyed_by_its_credit_code_and_its_operator_becomes_a_member(
    importing: Callable[[bytes], Any],
) -> None:
    row = ["大山农资店", SHOP, "13912340001", "城关镇建设路8号", "5221", "孙丽", SHOP_OWNER]

    result = importing(filled({"个体工商户": [row]}))

    assert (result.households, result.members, result.businesses) == (0, 1, 1)
    shop = Customer.objects.get()
    assert (shop.kind, shop.id_type, shop.id_number) == ("business", "credit_code", SHOP)
    assert shop.industry_code == "5221"
    operator = HouseholdMember.objects.get(customer=shop)
    assert (operator.relation, operator.name, operator.sex) == ("operator", "孙丽", "F")
    # 11 requirements (3 fields, 6 sections, 2 documents); 3 fields + members = 4 → 36
    assert shop.completeness == 36


# ---- a bad file ------------------------------------------------------------------------------


def bad_file() -> bytes:
    wrong_check_digit = WANG[:-1] + ("0" if WANG[-1] != "0" else "1")
    return filled(
        {
            "农户": [
                ["王大山", WANG, "13912340000", "多福巷村3组12号", VILLAGE, None],
                ["李秀英", wrong_check_digit, None, "多福巷村1组2号", VILLAGE, None],
                ["赵老汉", ZHAO, "1391234", "多福巷村5组1号", VILLAGE, None],
                ["王大山", WANG, None, "多福巷村3组12号", VILLAGE, None],
            ],
            "家庭成员": [
                [WANG, "配偶", "刘桂兰", "女", LIU, None, None, None],
                [STRANGER, "子女", "钱小宝", "男", LI_SON, None, None, None],
            ],
        }
    )


def test_a_file_with_mistakes_saves_nothing_and_says_where_each_one_is(
    importing: Callable[[bytes], Any],
) -> None:
    result = importing(bad_file())

    assert not result.ok
    found = [(e.sheet, e.row, e.column) for e in result.errors]
    assert found == [
        ("农户", 3, "身份证号"),
        ("农户", 4, "手机号"),
        ("农户", 5, "身份证号"),
        ("家庭成员", 3, "户主身份证号"),
    ]
    messages = [e.message for e in result.errors]
    assert "校验位不正确" in messages[0]
    assert "手机号应为 11 位数字" in messages[1]
    assert "重复" in messages[2] and "第 2 行" in messages[2]
    assert "没有这个户主身份证号" in messages[3]
    assert Customer.objects.count() == 0
    assert HouseholdMember.objects.count() == 0
    assert Customer.history.count() == 0
    assert import_events().count() == 0


def test_the_error_report_lists_sheet_row_column_and_problem(
    importing: Callable[[bytes], Any],
) -> None:
    result = importing(bad_file())

    lines = cells(error_report(result))

    assert lines[0] == ["工作表", "行号", "列", "问题"]
    assert [line[:3] for line in lines[1:]] == [
        ["农户", 3, "身份证号"],
        ["农户", 4, "手机号"],
        ["农户", 5, "身份证号"],
        ["家庭成员", 3, "户主身份证号"],
    ]
    assert lines[2][3] == "手机号应为 11 位数字，以 13–19 开头"


def test_missing_fields_unknown_villages_and_wrong_words_are_named(
    importing: Callable[[bytes], Any],
) -> None:
    content = filled(
        {
            "农户": [[None, WANG, None, None, "110101001999", "-1"]],
            "家庭成员": [[WANG, "表哥", "刘桂兰", "男", LIU, None, None, "也许"]],
        }
    )

    result = importing(content)

    assert {(e.sheet, e.row, e.column): e.message for e in result.errors} == {
        ("农户", 2, "户主姓名"): "请填写户主姓名",
        ("农户", 2, "所在村代码"): "区划代码 110101001999 在系统的行政区划中不存在，请先维护",
        ("农户", 2, "承包地面积（亩）"): "不能为负数",
        ("家庭成员", 2, "与户主关系"): "只能填写：户主、配偶、子女、父母、兄弟姐妹、经营者、其他",
        ("家庭成员", 2, "性别"): "性别与身份证号不符（第 17 位奇数为男、偶数为女）",
        ("家庭成员", 2, "是否劳动力"): "只能填写：是、否",
    }
    assert Customer.objects.count() == 0


def test_importing_the_same_file_again_saves_nothing_and_says_already_on_file(
    importing: Callable[[bytes], Any],
) -> None:
    content = filled(THREE_HOUSEHOLDS)
    importing(content)

    again = importing(content)

    assert not again.ok
    assert {(e.sheet, e.row) for e in again.errors} == {
        ("农户", 2),
        ("农户", 3),
        ("农户", 4),
        ("家庭成员", 2),
        ("家庭成员", 3),
        ("家庭成员", 4),
        ("家庭成员", 5),
        ("家庭成员", 6),
    }
    assert all("已建档" in e.message for e in again.errors)
    assert Customer.objects.count() == 3
    assert HouseholdMember.objects.count() == 5
    assert import_events().count() == 1


def test_a_file_that_is_not_a_workbook_is_refused_with_a_reason(
    importing: Callable[[bytes], Any],
) -> None:
    result = importing(b"name,id\n")

    assert [e.message for e in result.errors] == ["无法读取文件：请上传由导入模板填写的 .xlsx 文件"]


# ---- who may import ---------------------------------------------------------------------------


def test_a_user_without_the_permission_to_add_customers_is_refused(
    outsider: Any, manager: Any, village: Any
) -> None:
    with pytest.raises(PermissionDenied):
        import_workbook(outsider, filled(THREE_HOUSEHOLDS), manager=manager)

    assert Customer.objects.count() == 0


def test_customers_cannot_be_given_to_a_manager_outside_the_actors_scope(
    manager: Any, colleague: Any, village: Any
) -> None:
    with pytest.raises(DomainError):
        import_workbook(manager, filled(THREE_HOUSEHOLDS), manager=colleague)

    assert Customer.objects.count() == 0


# ---- the export -------------------------------------------------------------------------------


def test_the_export_masks_id_numbers_and_phones(importing: Callable[[bytes], Any]) -> None:
    importing(filled(THREE_HOUSEHOLDS))

    lines = cells(export_customers(Customer.objects.order_by("name")))

    assert lines[0] == [
        "客户名称",
        "客户类型",
        "证件号码",
        "手机号",
        "所在村",
        "管户客户经理",
        "管户机构",
        "完整度",
        "档案状态",
    ]
    wang = next(line for line in lines if line[0] == "王大山")
    assert wang == [
        "王大山",
        "农户",
        "110101********" + WANG[-4:],
        "139****0000",
        "东城区东华门街道多福巷村",
        "张三",
        "一支行营业部",
        35,
        "未梳理",
    ]
    everything = " ".join(str(value) for line in lines for value in line)
    for secret in (WANG, LI, ZHAO, "13912340000", "13700002222"):
        assert secret not in everything


def test_a_name_that_looks_like_a_formula_is_exported_as_text(
    manager: Any, farmer_data: dict[str, Any]
) -> None:
    create_customer(manager, {**farmer_data, "name": "=1+1"})

    sheet = load_workbook(io.BytesIO(export_customers(Customer.objects.all()))).worksheets[0]

    assert (sheet["A2"].value, sheet["A2"].data_type) == ("=1+1", "s")


# ---- the commands -----------------------------------------------------------------------------


def test_the_commands_write_the_template_and_import_it(
    tmp_path: Path, manager: Any, village: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    template = tmp_path / "模板.xlsx"
    call_command("customers-template", str(template))
    assert load_workbook(template).sheetnames == ["农户", "家庭成员", "个体工商户", "说明"]
    good = tmp_path / "good.xlsx"
    good.write_bytes(filled(THREE_HOUSEHOLDS))

    call_command("import-customers", str(good), manager="zhang", actor="zhang")

    assert "农户 3 户，家庭成员 5 人，个体工商户 0 户" in capsys.readouterr().out
    assert Customer.objects.count() == 3


def test_the_import_command_lists_the_errors_and_fails(
    tmp_path: Path, manager: Any, village: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(bad_file())
    report = tmp_path / "errors.xlsx"

    with pytest.raises(CommandError, match="4 处错误"):
        call_command(
            "import-customers", str(bad), manager="zhang", actor="zhang", errors_out=str(report)
        )

    assert "「农户」第 4 行 手机号：手机号应为 11 位数字" in capsys.readouterr().err
    assert len(cells(report.read_bytes())) == 5
    assert Customer.objects.count() == 0


def test_a_customer_filed_by_someone_else_during_the_import_rolls_everything_back(
    importing: Callable[[bytes], Any],
    manager: Any,
    farmer_data: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    create_customer(manager, {**farmer_data, "id_number": ZHAO})
    monkeypatch.setattr(excel_import, "_on_file", lambda numbers: set())  # the check ran first

    result = importing(filled(THREE_HOUSEHOLDS))

    assert [e.message for e in result.errors] == [
        "导入时有客户刚被他人建档，未保存任何数据：请重新导入以查看明细"
    ]
    assert list(Customer.objects.values_list("id_number", flat=True)) == [ZHAO]
    assert HouseholdMember.objects.count() == 0
    assert import_events().count() == 0
