"""The investigation report as a Word document (python-docx), and as a PDF through LibreOffice
where it is installed.

Chinese text needs an East Asian font named in every style (``w:rFonts/@w:eastAsia``): Word
and LibreOffice otherwise fall back to a Latin font's missing glyphs or to the theme's. 宋体
(SimSun) for the body and 黑体 (SimHei) for headings are on every Chinese Windows; LibreOffice
on Linux substitutes a CJK font it has (Noto CJK) for either name.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

from xindai.credit.report_content import ReportData, Section, Table

BODY_FONT = "宋体"
HEADING_FONT = "黑体"
LATIN_FONT = "Times New Roman"
ALERT = RGBColor(0xB0, 0x2A, 0x37)
PDF_TIMEOUT = 120  # seconds


def _font(style: Any, east_asian: str, size: float | None = None) -> None:
    """Name the fonts of a style for Latin and East Asian text, dropping the theme's."""
    font = style.font
    font.name = LATIN_FONT
    if size is not None:
        font.size = Pt(size)
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)
    fonts.set(qn("w:eastAsia"), east_asian)


def _document() -> WordDocument:
    document = Document()
    styles = document.styles
    _font(styles["Normal"], BODY_FONT, 11)
    for name in ("Title", "Heading 1", "Heading 2"):
        _font(styles[name], HEADING_FONT)
        styles[name].font.color.rgb = RGBColor(0, 0, 0)
    _font(styles["Table Grid"], BODY_FONT, 10)
    return document


def render(data: ReportData, version: int) -> bytes:
    """The report as DOCX bytes."""
    document = _document()
    application = data.application
    document.core_properties.title = f"{_('贷款调查报告')} {application.number}"
    document.core_properties.author = data.investigators[0][1] if data.investigators else ""
    title = document.add_heading(_("贷款调查报告"), level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    line = _("申请编号：%(number)s　版本：V%(version)s") % {
        "number": application.number,
        "version": version,
    }
    document.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    _pairs(document, data.terms)
    for section in data.sections:
        _section(document, section)
    document.add_heading(_("调查人员"), level=1)
    headers = [_("岗位"), _("姓名"), _("确认时间")]
    _table(document, Table(headers, [list(row) for row in data.investigators]))
    document.add_paragraph(_("报告日期：%(date)s") % {"date": f"{data.as_of:%Y年%m月%d日}"})
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _section(document: WordDocument, section: Section) -> None:
    document.add_heading(section.title, level=1)
    for alert in section.alerts:
        run = document.add_paragraph().add_run(f"⚠ {alert}")
        run.bold = True
        run.font.color.rgb = ALERT
    if section.facts:
        _pairs(document, section.facts)
    for table in section.tables:
        if table.title:
            document.add_heading(table.title, level=2)
        _table(document, table)
    paragraph = document.add_paragraph()
    paragraph.add_run(f"{section.narrative_label}：").bold = True
    paragraph.add_run(section.narrative or "—")


def _pairs(document: WordDocument, pairs: list[tuple[str, str]]) -> None:
    _table(document, Table(["", ""], [[label, value] for label, value in pairs]), header=False)


def _table(document: WordDocument, table: Table, *, header: bool = True) -> None:
    rows = ([table.headers] if header else []) + table.rows
    if not rows:
        return
    grid = document.add_table(rows=len(rows), cols=len(rows[0]))
    grid.style = "Table Grid"
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            cell = grid.cell(r, c)
            cell.text = str(value)
            if (header and r == 0) or (not header and c == 0):
                for run in cell.paragraphs[0].runs:
                    run.bold = True
    document.add_paragraph()


def to_pdf(docx: bytes) -> bytes | None:
    """The document converted by LibreOffice (``soffice --headless``), or None when it is not
    installed. A failed conversion raises ``PdfFailed``."""
    soffice = shutil.which("soffice")
    if soffice is None:
        return None
    with tempfile.TemporaryDirectory(prefix="xindai-report-") as folder:
        source = Path(folder) / "report.docx"
        source.write_bytes(docx)
        profile = Path(folder, "profile").as_uri()  # its own profile: no lock on a shared one
        command = [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            folder,
            str(source),
        ]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=PDF_TIMEOUT)  # noqa: S603
        except subprocess.CalledProcessError as exc:
            said = exc.stderr.decode(errors="replace").strip()[-150:]
            raise PdfFailed(f"soffice exit status {exc.returncode}: {said}") from exc
        except subprocess.TimeoutExpired as exc:
            raise PdfFailed(f"soffice took more than {PDF_TIMEOUT} s") from exc
        except OSError as exc:
            raise PdfFailed(f"soffice could not run: {exc}") from exc
        output = Path(folder) / "report.pdf"
        if not output.exists():
            raise PdfFailed("soffice wrote no PDF")
        return output.read_bytes()


class PdfFailed(RuntimeError):
    pass
