"""The trial balance and the reconciliation as plain data (pages, API and CLI show the same)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext

from xindai.ledger import domain, reconciliation, services


def money(fen: int) -> str:
    """Fen as yuan with thousands separators: 123456789 → "1,234,567.89"."""
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def _line(line: domain.TrialLine) -> dict[str, Any]:
    net = line.debits - line.credits
    return {
        "code": line.account.code,
        "name": gettext(line.account.name),
        "debits": domain.fen_text(line.debits),
        "credits": domain.fen_text(line.credits),
        "debit_balance": domain.fen_text(max(net, 0)),
        "credit_balance": domain.fen_text(max(-net, 0)),
        "debits_fen": line.debits,
        "credits_fen": line.credits,
        "debit_balance_fen": max(net, 0),
        "credit_balance_fen": max(-net, 0),
    }


def _section(key: str, label: str, lines: list[domain.TrialLine]) -> dict[str, Any]:
    rows = [_line(line) for line in lines]
    totals = {
        name: sum(row[f"{name}_fen"] for row in rows)
        for name in ("debits", "credits", "debit_balance", "credit_balance")
    }
    return {
        "key": key,
        "label": label,
        "lines": rows,
        "totals": {name: domain.fen_text(fen) for name, fen in totals.items()}
        | {f"{name}_fen": fen for name, fen in totals.items()},
        "balanced": totals["debits"] == totals["credits"]
        and totals["debit_balance"] == totals["credit_balance"],
    }


def trial_balance_json(as_of: dt.date | None) -> dict[str, Any]:
    """试算平衡表 up to ``as_of`` (all postings when None): the balance-sheet accounts and the
    off-balance-sheet accounts separately, each with its totals and whether it balances."""
    lines, balanced = services.trial_balance(as_of)
    on = [line for line in lines if line.account.kind != domain.Kind.OFF_BALANCE]
    off = [line for line in lines if line.account.kind == domain.Kind.OFF_BALANCE]
    return {
        "as_of": as_of.isoformat() if as_of else None,
        "balanced": balanced,
        "sections": [
            _section("on_balance", gettext("表内科目"), on),
            _section("off_balance", gettext("表外科目"), off),
        ],
    }


def reconciliation_json(result: reconciliation.Result) -> dict[str, Any]:
    lines = [
        {
            "code": line.account.code,
            "name": gettext(line.account.name),
            "ledger": domain.fen_text(line.ledger),
            "subledger": domain.fen_text(line.subledger),
            "difference": domain.fen_text(line.difference),
            "ledger_fen": line.ledger,
            "subledger_fen": line.subledger,
            "difference_fen": line.difference,
        }
        for line in result.lines
    ]
    return {
        "as_of": result.as_of.isoformat() if result.as_of else None,
        "ok": result.ok,
        "count": len(result.differences),
        "source": result.source,
        "lines": lines,
    }
