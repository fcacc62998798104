"""A notice as a Word document (python-docx, the fonts of the investigation report): title,
addressee, body, the table of amounts owed with the total in 大写, the bank's signature line
and a tear-off receipt (回执) for the recipient to sign."""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _
from docx.enum.text import WD_ALIGN_PARAGRAPH

from xindai.credit.report_docx import _document


@dataclass(frozen=True)
class NoticeData:
    number: str
    title: str
    addressee: str
    body: str
    rows: list[tuple[str, str]]  # label, amount in 元
    total: str
    total_upper: str
    bank: str
    issued_on: str
    receipt: str


def render(data: NoticeData) -> bytes:
    document = _document()
    document.core_properties.title = f"{data.title} {data.number}"
    heading = document.add_heading(data.title, level=0)
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    numbered = document.add_paragraph(_("编号：%(no)s") % {"no": data.number})
    numbered.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph(_("%(name)s：") % {"name": data.addressee})
    document.add_paragraph(data.body)
    table = document.add_table(rows=1, cols=2, style="Table Grid")
    table.rows[0].cells[0].text, table.rows[0].cells[1].text = _("项目"), _("金额（元）")
    for label, amount in [*data.rows, (_("合计"), data.total)]:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, amount
    document.add_paragraph(_("合计（大写）：%(upper)s") % {"upper": data.total_upper})
    document.add_paragraph(_("特此通知。"))
    for line in (data.bank, data.issued_on):
        document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    document.add_paragraph("－" * 30)
    document.add_heading(_("回执"), level=1)
    document.add_paragraph(data.receipt)
    document.add_paragraph(
        _("签收人（签字、捺印）：＿＿＿＿＿＿　　签收日期：＿＿＿＿年＿＿月＿＿日")
    )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
