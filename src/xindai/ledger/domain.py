"""Double-entry bookkeeping (复式记账), pure: the chart of accounts and balanced entries.

Amounts are integers of fen (分): an entry's legs are exact, and the same sums hold on SQLite
and PostgreSQL when the end-of-day adds them up in SQL. Every entry balances: the debits equal
the credits, so the trial balance (试算平衡) always does. Off-balance-sheet accounts (表外科目)
are kept in double entry too, against their own contra account, so they balance among
themselves and never touch the balance sheet.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from xindai.core.problems import Problem
from xindai.core.problems import mark as _


class Kind(StrEnum):
    ASSET = "asset"  # 资产类: debit balance
    LIABILITY = "liability"  # 负债类: credit balance
    INCOME = "income"  # 损益类（收入）: credit balance
    EXPENSE = "expense"  # 损益类（支出）: debit balance
    OFF_BALANCE = "off_balance"  # 表外科目


DEBIT_NORMAL = frozenset({Kind.ASSET, Kind.EXPENSE})


@dataclass(frozen=True)
class Account:
    code: str
    name: str
    kind: Kind
    off_balance_contra: bool = False  # the other side of an off-balance account (对方科目)

    @property
    def debit_normal(self) -> bool:
        if self.kind == Kind.OFF_BALANCE:
            return not self.off_balance_contra
        return self.kind in DEBIT_NORMAL


CHART: tuple[Account, ...] = (
    Account("130101", _("贷款—正常本金"), Kind.ASSET),
    Account("130102", _("贷款—逾期本金"), Kind.ASSET),
    Account("113201", _("应收利息—贷款利息"), Kind.ASSET),
    Account("113202", _("应收利息—罚息复利"), Kind.ASSET),
    Account("130401", _("贷款损失准备"), Kind.LIABILITY),
    Account("201101", _("吸收存款—个人及单位活期"), Kind.LIABILITY),
    Account("224101", _("其他应付款—不良贷款利息挂账"), Kind.LIABILITY),
    Account("300101", _("清算资金往来"), Kind.ASSET),
    Account("601101", _("利息收入—贷款利息"), Kind.INCOME),
    Account("601102", _("利息收入—罚息复利"), Kind.INCOME),
    Account("670101", _("资产减值损失—贷款"), Kind.EXPENSE),
    Account("701101", _("表外—应收未收利息"), Kind.OFF_BALANCE),
    Account("701102", _("表外—应收未收利息对方"), Kind.OFF_BALANCE, off_balance_contra=True),
    Account("701201", _("表外—已核销贷款本息"), Kind.OFF_BALANCE),
    Account("701202", _("表外—已核销贷款本息对方"), Kind.OFF_BALANCE, off_balance_contra=True),
    Account("701301", _("表外—抵质押品及权证"), Kind.OFF_BALANCE),
    Account("701302", _("表外—抵质押品及权证对方"), Kind.OFF_BALANCE, off_balance_contra=True),
)
BY_CODE: Mapping[str, Account] = {account.code: account for account in CHART}


@dataclass(frozen=True)
class Leg:
    """One line of an entry: an account debited or credited by a number of fen (never both)."""

    account: str
    debit: int = 0
    credit: int = 0

    @property
    def amount(self) -> int:
        return self.debit or self.credit


def debit(account: str, fen: int) -> Leg:
    return Leg(account, debit=fen)


def credit(account: str, fen: int) -> Leg:
    return Leg(account, credit=fen)


def problems(legs: Iterable[Leg]) -> list[Problem]:
    """Why these legs are not a valid entry (empty: they are)."""
    legs = list(legs)
    found: list[Problem] = []
    if len(legs) < 2:
        found.append(Problem("legs", _("一笔分录至少有一借一贷")))
    for leg in legs:
        if leg.account not in BY_CODE:
            found.append(Problem("account", _("科目 %(code)s 不存在"), {"code": leg.account}))
        if leg.debit < 0 or leg.credit < 0 or (leg.debit > 0) == (leg.credit > 0):
            found.append(
                Problem(
                    "amount", _("科目 %(code)s：须且只能借或贷一个正数金额"), {"code": leg.account}
                )
            )
    debits, credits = sum(leg.debit for leg in legs), sum(leg.credit for leg in legs)
    if debits != credits:
        params = {"debits": fen_text(debits), "credits": fen_text(credits)}
        found.append(
            Problem("balance", _("借贷不平：借方 %(debits)s 元，贷方 %(credits)s 元"), params)
        )
    if _mixes_balance_sheet(legs):
        found.append(Problem("off_balance", _("表内科目与表外科目不能记在同一笔分录")))
    return found


def _mixes_balance_sheet(legs: list[Leg]) -> bool:
    kinds = {
        BY_CODE[leg.account].kind == Kind.OFF_BALANCE for leg in legs if leg.account in BY_CODE
    }
    return len(kinds) > 1


def fen_text(fen: int) -> str:
    """Fen as yuan text without rounding: 123456 → "1234.56", -5 → "-0.05"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole}.{cents:02d}"


@dataclass(frozen=True)
class TrialLine:
    account: Account
    debits: int
    credits: int

    @property
    def balance(self) -> int:
        """The balance on the account's normal side (a debit-normal account: debits − credits)."""
        net = self.debits - self.credits
        return net if self.account.debit_normal else -net


def trial_balance(totals: Mapping[str, tuple[int, int]]) -> tuple[list[TrialLine], bool]:
    """Lines of the trial balance (试算平衡表) from each account's (debits, credits), and
    whether total debits equal total credits, on and off the balance sheet separately."""
    lines = [TrialLine(a, *totals.get(a.code, (0, 0))) for a in CHART]
    balanced = all(
        sum(line.debits for line in part) == sum(line.credits for line in part)
        for part in _by_sheet(lines)
    )
    return lines, balanced


def _by_sheet(lines: list[TrialLine]) -> tuple[list[TrialLine], list[TrialLine]]:
    on = [line for line in lines if line.account.kind != Kind.OFF_BALANCE]
    off = [line for line in lines if line.account.kind == Kind.OFF_BALANCE]
    return on, off
