"""The rules of contracts, pure (stdlib and xindai.core only): the approved terms as a contract
states them, the consistency check before signing (terms, clauses, text), and the rules of
face-to-face signing (面签) and of the post-signing check (签约复核).

Outline 第二部分 七: "相关条款应与贷款业务审批的内容一致，不得随意增加或删减条款"; "信贷人员
必须当场监督客户、担保人的法定代表人或委托代理人在信贷合同上签字、盖章，核对预留印鉴"; "完成合同
填制后的审查".
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from xindai.core.identity import resident_id_problem
from xindai.core.money import rmb_uppercase, round_rate, to_fen
from xindai.core.problems import Problem
from xindai.core.problems import mark as _

# The approved terms a contract states, as the snapshot keeps them (display strings).
TERM_LABELS: dict[str, str] = {
    "amount": _("借款金额"),
    "amount_upper": _("大写金额"),
    "term_months": _("借款期限（月）"),
    "annual_rate": _("执行年利率"),
    "repayment_method": _("还款方式"),
    "security": _("担保方式"),
    "purpose": _("借款用途类别"),
    "purpose_text": _("借款用途"),
}
EXCERPT = 60  # characters of a paragraph quoted in a refusal


def percent(rate: Decimal) -> str:
    """An annual rate fraction as a contract writes it: 0.0435 → "4.35", 0.06525 → "6.525"."""
    shown = (round_rate(rate) * 100).normalize()
    return f"{shown:f}"


def figure(amount: Decimal) -> str:
    """100000 → "100,000.00"."""
    return f"{to_fen(amount):,.2f}"


def approved_figures(
    *,
    amount: Decimal,
    term_months: int,
    annual_rate: Decimal,
    repayment_label: str,
    security_label: str,
    purpose_label: str,
    purpose_text: str,
) -> dict[str, str]:
    """The approved terms in the words of the contract (the keys of ``TERM_LABELS``)."""
    return {
        "amount": figure(amount),
        "amount_upper": rmb_uppercase(amount),
        "term_months": str(term_months),
        "annual_rate": f"{percent(annual_rate)}%",
        "repayment_method": repayment_label,
        "security": security_label,
        "purpose": purpose_label,
        "purpose_text": purpose_text,
    }


def in_words(figures: Mapping[str, str]) -> dict[str, str]:
    """How each approved term reads inside the contract text (what the check looks for)."""
    return {
        "amount": f"¥{figures['amount']}",
        "amount_upper": figures["amount_upper"],
        "term_months": f"{figures['term_months']}个月",
        "annual_rate": figures["annual_rate"],
        "repayment_method": figures["repayment_method"],
        "security": figures["security"],
        "purpose": figures["purpose"],
        "purpose_text": figures["purpose_text"],
    }


# ---- the consistency check -------------------------------------------------------------------


def term_problems(in_contract: Mapping[str, str], approved: Mapping[str, str]) -> list[Problem]:
    """Each term of the contract's snapshot that differs from the approval."""
    found = []
    for key, label in TERM_LABELS.items():
        stated, wanted = in_contract.get(key, ""), approved[key]
        if stated != wanted:
            params = {"term": label, "contract": stated or "—", "approved": wanted}
            template = _(
                "合同要素与批复不一致：%(term)s 合同为“%(contract)s”，批复为“%(approved)s”"
            )
            found.append(Problem("terms", template, params))
    return found


def wording_problems(text: str, approved: Mapping[str, str]) -> list[Problem]:
    """Each approved term the document's text does not state."""
    found = []
    flat = " ".join(text.split())
    for key, words in in_words(approved).items():
        if " ".join(words.split()) not in flat:
            params = {"term": TERM_LABELS[key], "value": words}
            found.append(Problem("text", _("合同文本中没有批复的%(term)s“%(value)s”"), params))
    return found


def clause_problems(in_document: Sequence[str], in_template: Sequence[str]) -> list[Problem]:
    """Clauses added to or removed from the template's list, or put in another order."""
    found = [
        Problem("clauses", _("合同增加了模板没有的条款：%(clause)s"), {"clause": c})
        for c in in_document
        if c not in in_template
    ]
    found += [
        Problem("clauses", _("合同删除了模板的条款：%(clause)s"), {"clause": c})
        for c in in_template
        if c not in in_document
    ]
    if not found and list(in_document) != list(in_template):
        found.append(Problem("clauses", _("合同条款的顺序与模板不一致")))
    return found


def excerpt(text: str) -> str:
    return text if len(text) <= EXCERPT else text[:EXCERPT] + "…"


def text_problems(in_document: Sequence[str], expected: Sequence[str]) -> list[Problem]:
    """Each paragraph of the document that is not the template filled from the approval, and
    each such paragraph the document lacks."""
    found = []
    matcher = difflib.SequenceMatcher(a=list(expected), b=list(in_document), autojunk=False)
    for tag, a1, a2, b1, b2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        for text in in_document[b1:b2]:
            params = {"text": excerpt(text)}
            found.append(Problem("text", _("合同文本与模板及批复不符：“%(text)s”"), params))
        if tag == "delete":
            for text in expected[a1:a2]:
                params = {"text": excerpt(text)}
                found.append(Problem("text", _("合同文本缺少：“%(text)s”"), params))
    return found


# ---- 面签 -------------------------------------------------------------------------------------

SELF, LEGAL_REP, AGENT = "self", "legal_rep", "agent"


@dataclass(frozen=True)
class PartyNeeded:
    """A party the contract needs signed: its role, name and whether it is a company."""

    role: str
    role_label: str
    name: str
    company: bool


@dataclass(frozen=True)
class Signatory:
    role: str
    name: str
    capacity: str
    id_number: str
    identity_checked: bool
    seal_checked: bool
    has_authority_document: bool


@dataclass(frozen=True)
class Signing:
    place: str
    signed_at: dt.datetime
    witnesses: tuple[int | None, int | None]
    staff_ids: frozenset[int]  # the witnesses who are active staff
    recorder_id: int
    signatories: tuple[Signatory, ...]
    notes: str = ""


def signing_problems(
    signing: Signing, needed: Sequence[PartyNeeded], now: dt.datetime
) -> list[Problem]:
    found = []
    if not signing.place.strip():
        found.append(Problem("place", _("请填写签约地点")))
    if signing.signed_at > now:
        found.append(Problem("signed_at", _("签约时间不能晚于现在")))
    found += witness_problems(signing)
    roles = {need.role: need for need in needed}
    for person in signing.signatories:
        if person.role not in roles:
            found.append(
                Problem("parties", _("本合同没有此签约身份：%(role)s"), {"role": person.role})
            )
    for need in needed:
        signed = [p for p in signing.signatories if p.role == need.role]
        if not signed:
            params = {"role": need.role_label, "name": need.name}
            found.append(Problem("parties", _("%(role)s %(name)s 未签字"), params))
        for person in signed:
            found += signatory_problems(person, need, signing.signed_at.date())
    return found


def witness_problems(signing: Signing) -> list[Problem]:
    one, two = signing.witnesses
    if one is None or two is None:
        return [Problem("witnesses", _("面签须有两名本行工作人员见证"))]
    found = []
    if one == two:
        found.append(Problem("witnesses", _("两名见证人不能是同一人")))
    if not {one, two} <= signing.staff_ids:
        found.append(Problem("witnesses", _("见证人须为本行在职员工")))
    if signing.recorder_id not in (one, two):
        found.append(Problem("witnesses", _("登记面签的人须是两名见证人之一（当场监督签字）")))
    return found


def signatory_problems(person: Signatory, need: PartyNeeded, on: dt.date) -> list[Problem]:
    found = []
    who = {"role": need.role_label, "name": need.name}
    if not person.name.strip():
        found.append(Problem("parties", _("%(role)s %(name)s：请填写签字人姓名"), who))
    if resident_id_problem(person.id_number, on) is not None:
        found.append(Problem("parties", _("%(role)s %(name)s：签字人身份证号码无效"), who))
    if not person.identity_checked:
        found.append(Problem("parties", _("%(role)s %(name)s：签字人身份未核实"), who))
    if need.company:
        if person.capacity == SELF:
            template = _("%(role)s %(name)s 是单位，须由法定代表人或委托代理人签字")
            found.append(Problem("parties", template, who))
        if not person.seal_checked:
            template = _("%(role)s %(name)s：所盖印章未与预留印鉴核对相符")
            found.append(Problem("parties", template, who))
    elif person.capacity == LEGAL_REP:
        found.append(Problem("parties", _("%(role)s %(name)s 是自然人，没有法定代表人"), who))
    if person.capacity == SELF and person.name.strip() and person.name.strip() != need.name:
        found.append(Problem("parties", _("%(role)s %(name)s：本人签字的，签字人须为本人"), who))
    needs_document = person.capacity == AGENT or (need.company and person.capacity == LEGAL_REP)
    if needs_document and not person.has_authority_document:
        template = _(
            "%(role)s %(name)s：%(capacity)s签字须上传授权文件（授权委托书或法定代表人身份证明书）"
        )
        capacity = _("委托代理人") if person.capacity == AGENT else _("法定代表人")
        found.append(Problem("parties", template, who | {"capacity": capacity}))
    return found


def verification_problems(verifier_id: int, recorder_id: int, witnesses: set[int]) -> list[Problem]:
    """签约复核 is a second person's: neither the recorder nor a witness of the signing."""
    if verifier_id == recorder_id or verifier_id in witnesses:
        return [
            Problem("verifier", _("签约复核须由未参与面签的另一人办理（登记人和见证人不能复核）"))
        ]
    return []


def translated(problems: Sequence[Problem], translate: Callable[[str], str]) -> list[str]:
    return [problem.text(translate) for problem in problems]
