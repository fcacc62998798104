"""The minutes of a 审贷小组 meeting (会议纪要) as a Word document: the case, the members
present and absent with their votes and opinions, the tally, the decision with the policy rule
it used, and the conditions. Made once when the meeting closes; stored with its SHA-256."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from xindai.credit.report_docx import _document


@dataclass(frozen=True)
class MinutesData:
    number: str
    customer: str
    product: str
    amount: str
    term_months: int
    held_at: str
    place: str
    chair: str
    minutes_taker: str
    members: list[tuple[str, str, str, str]]  # name, present, vote, opinion
    present: int
    agree: int
    disagree: int
    abstain: int
    rule: str
    decision: str
    conditions: list[str]


def render(data: MinutesData) -> bytes:
    document = _document()
    title = document.add_heading(_("审贷小组会议纪要"), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    facts = [
        (_("申请编号"), data.number),
        (_("借款人"), data.customer),
        (_("贷款产品"), data.product),
        (_("申请金额"), _("%(amount)s 元") % {"amount": data.amount}),
        (_("申请期限"), _("%(months)s 个月") % {"months": data.term_months}),
        (_("会议时间"), data.held_at),
        (_("会议地点"), data.place),
        (_("主持人"), data.chair),
        (_("记录人"), data.minutes_taker),
    ]
    table = document.add_table(rows=0, cols=2, style="Table Grid")
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.add_heading(_("成员表决"), level=1)
    votes = document.add_table(rows=1, cols=4, style="Table Grid")
    headings = (_("成员"), _("出席"), _("表决"), _("意见"))
    for cell, text in zip(votes.rows[0].cells, headings, strict=True):
        cell.text = text
    for row in data.members:
        cells = votes.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = text
    document.add_heading(_("表决结果"), level=1)
    document.add_paragraph(
        _("出席 %(present)s 人；同意 %(agree)s 票，不同意 %(disagree)s 票，弃权 %(abstain)s 票。")
        % {
            "present": data.present,
            "agree": data.agree,
            "disagree": data.disagree,
            "abstain": data.abstain,
        }
    )
    document.add_paragraph(data.rule)
    decision = document.add_paragraph()
    decision.add_run(_("决议：%(decision)s") % {"decision": data.decision}).bold = True
    document.add_heading(_("审议条件"), level=1)
    for text in data.conditions or [_("无")]:
        document.add_paragraph(text, style="List Number" if data.conditions else None)
    document.add_paragraph()
    document.add_paragraph(_("主持人签字：____________    记录人签字：____________"))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def empty(value: Any) -> str:
    return str(value) if value else "—"
