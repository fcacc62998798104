"""The columns of a loan import file (存量贷款迁移) and how each cell is read (pure: stdlib and
``xindai.core`` only). A cell that cannot be read raises ``CellError`` with a Chinese message.

年利率 (the annual rate) is strict, because old systems export it both ways: "4.35%" (a
percentage, with the sign) or "0.0435" (a fraction, below 1). A bare number of 1 or more
("4.35") is refused as ambiguous, and so is a rate above 36% (the judicial ceiling) or at or
below zero. An Excel cell formatted as a percentage holds the fraction, so it reads right.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from xindai.core.identity import normalise
from xindai.core.masking import mask_id_number

MAX_RATE = Decimal("0.36")
MAX_TERM = 600


class CellError(ValueError):
    """The cell's value cannot be used; ``str(error)`` says why (Chinese)."""


@dataclass(frozen=True)
class Column:
    header: str
    key: str
    note: str
    example: str


COLUMNS = (
    Column(
        "原借据号",
        "legacy_number",
        "原系统的借据号，唯一；已导入过的借据号再次导入时跳过",
        "JJ2023000123",
    ),
    Column(
        "客户证件号码", "id_number", "须已在本系统建档（按证件号码匹配客户）", "110101198005170016"
    ),
    Column("产品代码", "product", "本系统贷款产品的代码，如 ZCSX", "ZCSX"),
    Column("贷款金额", "principal", "元，最多两位小数", "100000"),
    Column("年利率", "annual_rate", "写作 4.35% 或 0.0435；不接受不带 % 的 4.35", "4.35%"),
    Column("期限（月）", "term_months", "整数，1–600", "12"),
    Column("还款方式", "method", "等额本息、等额本金、按期付息到期还本、利随本清", "等额本息"),
    Column("放款日", "start_date", "如 2025-03-15，不能晚于会计日期", "2025-03-15"),
    Column("到期日", "maturity_date", "须与按放款日、期限和还款方式推算的到期日一致", "2026-03-15"),
    Column("贷款余额", "outstanding", "元；结清的填 0", "60000"),
    Column("状态", "status", "正常、逾期、结清、核销", "正常"),
    Column("客户经理", "manager", "管户客户经理的用户名", "zhang"),
    Column("经办机构", "org_unit", "机构代码", "O11"),
)
HEADERS = {column.header: column for column in COLUMNS}

METHODS = {
    "等额本息": "equal_installment",
    "等额本金": "equal_principal",
    "按期付息到期还本": "interest_only",
    "按期付息、到期还本": "interest_only",
    "按月付息到期还本": "interest_only",
    "按季付息到期还本": "interest_only",
    "利随本清": "bullet",
}
METHODS.update({code: code for code in set(METHODS.values())})
STATUSES = {"正常": "normal", "逾期": "overdue", "结清": "settled", "核销": "written_off"}
STATUSES.update({code: code for code in set(STATUSES.values())})
_DATE_TEXT = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")


def header_key(text: Any) -> str:
    """A header as written, normalised: full-width brackets, no required-marks or spaces."""
    cleaned = str(text or "").strip().rstrip("*＊").strip()
    return cleaned.replace("(", "（").replace(")", "）").replace(" ", "")


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        if abs(value) >= 1e15:
            raise CellError(
                "Excel 把这串长数字存成了数值，末几位已丢失：请把该列设为文本后重新录入"
            )
        return str(int(value))
    return str(value).strip()


def parse_text(value: Any) -> str:
    return cell_text(value)


def parse_id_number(value: Any) -> str:
    number = normalise(cell_text(value))
    if not re.fullmatch(r"[0-9A-Z]{15,18}", number):
        raise CellError(f"证件号码 {mask_id_number(number)} 格式不对（应为 18 位）")
    return number


def parse_amount(value: Any) -> Decimal:
    try:
        amount = Decimal(cell_text(value).replace(",", ""))
    except InvalidOperation as exc:
        raise CellError("应为金额（元），如 100000 或 100000.00") from exc
    if not amount.is_finite() or amount < 0:
        raise CellError("金额不能为负数")
    if amount != amount.quantize(Decimal("0.01")):
        raise CellError("金额最多精确到分（两位小数）")
    return amount.quantize(Decimal("0.01"))


def parse_rate(value: Any) -> Decimal:
    text = cell_text(value).replace(" ", "")
    percent = text.endswith(("%", "％"))
    try:
        number = Decimal(text.rstrip("%％"))
    except InvalidOperation as exc:
        raise CellError("应写作 4.35% 或 0.0435") from exc
    if not number.is_finite():
        raise CellError("应写作 4.35% 或 0.0435")
    if not percent and number >= 1:
        raise CellError(f"{text} 有歧义：百分数请带 %（{text}%），小数请写作 {number / 100}")
    rate = number / 100 if percent else number
    if rate <= 0:
        raise CellError("年利率必须大于 0")
    if rate > MAX_RATE:
        raise CellError(f"年利率 {text} 超过 36%，请核对")
    if rate != rate.quantize(Decimal("0.000001")):
        raise CellError("年利率最多精确到 0.0001%（小数六位）")
    return rate.quantize(Decimal("0.000001"))


def parse_term(value: Any) -> int:
    text = cell_text(value)
    if not text.isdigit():
        raise CellError("期限应为整数月数")
    months = int(text)
    if not 1 <= months <= MAX_TERM:
        raise CellError(f"期限应在 1 到 {MAX_TERM} 个月之间")
    return months


def parse_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = cell_text(value)
    match = _DATE_TEXT.fullmatch(text) or (
        re.fullmatch(r"(\d{4})(\d{2})(\d{2})", text) if len(text) == 8 else None
    )
    try:
        if match is None:
            raise ValueError(text)
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError as exc:
        raise CellError("日期应写作 2025-03-15") from exc


def _choice(words: dict[str, str], allowed: str) -> Any:
    def parse(value: Any) -> str:
        text = cell_text(value).replace(" ", "")
        if text not in words:
            raise CellError(f"只能填写：{allowed}")
        return words[text]

    return parse


PARSERS = {
    "legacy_number": parse_text,
    "id_number": parse_id_number,
    "product": parse_text,
    "principal": parse_amount,
    "annual_rate": parse_rate,
    "term_months": parse_term,
    "method": _choice(METHODS, "等额本息、等额本金、按期付息到期还本、利随本清"),
    "start_date": parse_date,
    "maturity_date": parse_date,
    "outstanding": parse_amount,
    "status": _choice(STATUSES, "正常、逾期、结清、核销"),
    "manager": parse_text,
    "org_unit": parse_text,
}


def row_rules(values: dict[str, Any], as_of: dt.date) -> list[tuple[str, str]]:
    """Checks across the cells of one row: (column key, message)."""
    found = []
    start, maturity = values.get("start_date"), values.get("maturity_date")
    if start is not None and start > as_of:
        found.append(("start_date", f"放款日不能晚于会计日期 {as_of.isoformat()}"))
    if start is not None and maturity is not None and maturity <= start:
        found.append(("maturity_date", "到期日应晚于放款日"))
    principal, outstanding = values.get("principal"), values.get("outstanding")
    if principal is not None and principal <= 0:
        found.append(("principal", "贷款金额必须大于 0"))
    if principal is not None and outstanding is not None and outstanding > principal:
        found.append(("outstanding", "贷款余额不能大于贷款金额"))
    status = values.get("status")
    if outstanding is not None and status == "settled" and outstanding != 0:
        found.append(("outstanding", "状态为结清的贷款余额应为 0"))
    if outstanding is not None and status in ("normal", "overdue") and outstanding == 0:
        found.append(("outstanding", "贷款余额为 0 的贷款状态应为结清"))
    return found
