"""The English catalogue: complete, not fuzzy, compiled, and actually used by Django.

Our msgids are the Simplified Chinese strings; ``locale/en/LC_MESSAGES/django.po`` turns them
into English. Both the .po and the compiled .mo are kept in the repository, so these tests
check that the .mo says what the .po says (file times are meaningless in a git checkout).
"""

from __future__ import annotations

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LC_MESSAGES = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES"
PO_FILE = LC_MESSAGES / "django.po"
MO_FILE = LC_MESSAGES / "django.mo"

PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{\{\s*\w+\s*\}\}")


@dataclass
class Entry:
    line: int
    flags: set[str] = field(default_factory=set)
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def _string(text: str) -> str:
    """A PO string literal (``"..."``) uses C escapes, which Python's literal syntax accepts."""
    value = ast.literal_eval(text.strip())
    assert isinstance(value, str), text
    return value


def parse_po(path: Path) -> list[Entry]:
    """A small PO parser: comments, flags, msgctxt, msgid(_plural), msgstr([n]); obsolete
    (``#~``) entries are skipped."""
    entries: list[Entry] = []
    entry: Entry | None = None
    keyword: tuple[str, int] | None = None

    def start(lineno: int) -> Entry:
        nonlocal entry
        if entry is None or entry.msgstr:
            entry = Entry(line=lineno)
            entries.append(entry)
        return entry

    def append(current: Entry, target: tuple[str, int], text: str) -> None:
        name, index = target
        if name == "msgstr":
            current.msgstr[index] = current.msgstr.get(index, "") + text
        else:
            setattr(current, name, (getattr(current, name) or "") + text)

    for lineno, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            start(lineno).flags.update(f.strip() for f in line[2:].split(",") if f.strip())
            continue
        if line.startswith("#"):
            continue
        match = re.match(r"(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(\".*\")$", line)
        if match:
            name, index, text = match.group(1), int(match.group(2) or 0), match.group(3)
            current = start(lineno) if name in {"msgctxt", "msgid"} else entry
            assert current is not None, f"{path}:{lineno}: {name} before msgid"
            keyword = (name, index)
            if name == "msgstr":
                current.msgstr.setdefault(index, "")
            append(current, keyword, _string(text))
        elif line.startswith('"'):
            assert entry is not None and keyword is not None, f"{path}:{lineno}: stray string"
            append(entry, keyword, _string(line))
        else:
            pytest.fail(f"{path}:{lineno}: cannot parse {raw!r}")
    return entries


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    assert PO_FILE.is_file(), f"{PO_FILE} is missing: run makemessages -l en"
    parsed = parse_po(PO_FILE)
    assert len([e for e in parsed if not e.is_header]) > 0, "the English catalogue is empty"
    return parsed


def test_every_entry_is_translated_and_not_fuzzy(entries: list[Entry]) -> None:
    empty = [
        str(e)
        for e in entries
        if not e.is_header and (not e.msgstr or not all(s.strip() for s in e.msgstr.values()))
    ]
    fuzzy = [str(e) for e in entries if "fuzzy" in e.flags]
    problems = [f"empty msgstr, {e}" for e in empty] + [f"fuzzy, {e}" for e in fuzzy]
    assert not problems, "fix the en catalogue:\n" + "\n".join(problems)


def test_translations_keep_the_placeholders(entries: list[Entry]) -> None:
    wrong = [
        f"{e}: {sorted(PLACEHOLDER.findall(e.msgid))} vs {sorted(PLACEHOLDER.findall(s))}"
        for e in entries
        if not e.is_header
        for s in e.msgstr.values()
        if sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(s))
    ]
    assert not wrong, "placeholders differ between msgid and msgstr:\n" + "\n".join(wrong)


class _Missing(gettext.NullTranslations):
    """Fallback that makes a msgid absent from the .mo visible, even when msgstr == msgid."""

    MARK = "<not in django.mo>"

    def gettext(self, message: str) -> str:
        return self.MARK

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:
        return self.MARK

    def pgettext(self, context: str, message: str) -> str:
        return self.MARK

    def npgettext(self, context: str, msgid1: str, msgid2: str, n: int) -> str:
        return self.MARK


def test_compiled_catalogue_matches_the_po(entries: list[Entry]) -> None:
    assert MO_FILE.is_file(), f"{MO_FILE} is missing: run compilemessages"
    with MO_FILE.open("rb") as fp:
        mo = gettext.GNUTranslations(fp)
    mo.add_fallback(_Missing())

    stale = []
    for e in entries:
        if e.is_header:
            continue
        if e.msgid_plural is None:
            got = {0: mo.gettext(e.msgid) if e.msgctxt is None else mo.pgettext(e.msgctxt, e.msgid)}
        else:  # English: n == 1 -> msgstr[0], otherwise msgstr[1]
            got = {
                i: mo.ngettext(e.msgid, e.msgid_plural, n)
                if e.msgctxt is None
                else mo.npgettext(e.msgctxt, e.msgid, e.msgid_plural, n)
                for i, n in ((0, 1), (1, 2))
            }
        if got != e.msgstr:
            stale.append(f"{e}: .po {e.msgstr!r}, .mo {got!r}")
    assert not stale, "django.mo is out of date, run compilemessages:\n" + "\n".join(stale)


def test_english_is_served_and_chinese_stays_the_default() -> None:
    assert settings.LANGUAGE_CODE == "zh-hans"
    with translation.override("en"):
        assert translation.gettext("工作台") == "Workbench"
        assert translation.gettext("审计日志") == "Audit log"
    with translation.override("zh-hans"):
        assert translation.gettext("工作台") == "工作台"
