"""Notices (通知书), pure: which amounts each kind of notice states, taken from the loan's
servicing figures in fen on the business date, and the body of each notice. No Django."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from xindai.core.problems import mark as _


class Kind(StrEnum):
    MATURITY = "maturity"
    REMINDER = "reminder"
    OVERDUE = "overdue"
    COLLECTION = "collection"


# Notices whose signed receipt by the debtor or a guarantor interrupts the limitation period.
INTERRUPTING = frozenset({Kind.OVERDUE, Kind.COLLECTION})


@dataclass(frozen=True)
class Figures:
    """A loan's servicing balances in fen (``loans.LoanState``)."""

    principal: int = 0
    principal_due: int = 0
    overdue_principal: int = 0
    interest_accrued: int = 0
    interest_due: int = 0
    overdue_interest: int = 0
    penalty_due: int = 0
    compound_due: int = 0

    @property
    def outstanding(self) -> int:
        return self.principal + self.principal_due + self.overdue_principal


@dataclass(frozen=True)
class Owed:
    principal: int
    interest: int
    penalty: int
    outstanding: int

    @property
    def total(self) -> int:
        return self.principal + self.interest + self.penalty


def owed(kind: str, f: Figures, installment: tuple[int, int] = (0, 0)) -> Owed:
    """What the notice asks for, in fen.

    * 到期通知书: the whole balance and the interest to date (accrued, due, overdue);
    * 还款提示: the coming installment (``installment`` = its principal and interest) plus
      whatever is already due or overdue;
    * 逾期 / 催收通知书: what is due and overdue.
    Penalty and compound interest due are added to every kind."""
    penalty = f.penalty_due + f.compound_due
    due_principal = f.principal_due + f.overdue_principal
    due_interest = f.interest_due + f.overdue_interest
    if kind == Kind.MATURITY:
        principal, interest = f.outstanding, due_interest + f.interest_accrued
    elif kind == Kind.REMINDER:
        principal, interest = due_principal + installment[0], due_interest + installment[1]
    else:
        principal, interest = due_principal, due_interest
    return Owed(principal, interest, penalty, f.outstanding)


def yuan(amount_fen: int) -> Decimal:
    return Decimal(amount_fen).scaleb(-2).quantize(Decimal("0.01"))


TITLES = {
    Kind.MATURITY: _("贷款到期通知书"),
    Kind.REMINDER: _("贷款还款提示书"),
    Kind.OVERDUE: _("贷款逾期通知书"),
    Kind.COLLECTION: _("贷款催收通知书"),
}
INTEREST_TITLE = _("贷款结息提示书")

BODIES = {
    Kind.MATURITY: _(
        "您于 %(start)s 在我行借款 %(principal)s 元（贷款账号 %(number)s），将于 %(due)s 到期。"
        "截至 %(as_of)s，贷款余额 %(outstanding)s 元。请于到期日前将应还本息存入还款账户，"
        "按时归还贷款。如需办理展期，请在到期日前向我行提出申请。"
    ),
    Kind.REMINDER: _(
        "您在我行的贷款（贷款账号 %(number)s）本期应还日为 %(due)s。请于应还日前将下列应还"
        "款项存入还款账户，以免逾期产生罚息并影响您的信用记录。"
    ),
    Kind.OVERDUE: _(
        "您在我行的贷款（贷款账号 %(number)s）自 %(since)s 起未按合同约定归还，截至 %(as_of)s "
        "已逾期 %(days)s 天。请立即归还下列逾期款项；逾期期间我行按合同约定计收罚息和复利，"
        "逾期记录将报送金融信用信息基础数据库。"
    ),
    Kind.COLLECTION: _(
        "您在我行的贷款（贷款账号 %(number)s）自 %(since)s 起逾期，截至 %(as_of)s 已逾期 "
        "%(days)s 天，经多次催收仍未归还。我行特此向您催收，请于收到本通知书之日起十日内归还"
        "下列欠款，否则我行将依法采取诉讼等措施。"
    ),
}
GUARANTOR_BODY = _(
    "您为借款人 %(borrower)s 在我行的贷款（贷款账号 %(number)s，借款金额 %(principal)s 元）"
    "提供保证。该贷款自 %(since)s 起逾期，截至 %(as_of)s 已逾期 %(days)s 天，尚欠下列款项。"
    "我行特此通知并向您催收：请督促借款人立即归还，或依保证合同约定履行保证责任。"
)
RECEIPT_TEXT = _("本人已收到 %(bank)s《%(title)s》（编号 %(no)s），知悉上述欠款。")
