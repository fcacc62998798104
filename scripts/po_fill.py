"""Fill English translations into the catalogue: ``python scripts/po_fill.py FILE.json``.

FILE.json maps msgid (the Chinese source string) to its English msgstr, or to a list
[singular, plural] for a plural entry. Matching entries get
the msgstr and lose their ``fuzzy`` flag and ``#|`` previous-msgid lines; other entries are
left as they are. Then run ``make messages`` to compile. (A maintainer's tool: the
translations themselves live in ``src/xindai/locale/en/LC_MESSAGES/django.po``.)
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parents[1] / "src/xindai/locale/en/LC_MESSAGES/django.po"


def _unquote(lines: list[str]) -> str:
    return "".join(json.loads(line[line.index('"') :]) for line in lines)


def _quote(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def fill(po_text: str, translations: dict[str, str | list[str]]) -> tuple[str, int]:
    blocks = po_text.split("\n\n")
    filled = 0
    for index, block in enumerate(blocks):
        lines = block.split("\n")
        try:
            start = next(i for i, line in enumerate(lines) if line.startswith("msgid "))
            end = next(i for i, line in enumerate(lines) if line.startswith("msgstr"))
        except StopIteration:
            continue
        plural = next((i for i in range(start, end) if lines[i].startswith("msgid_plural")), end)
        msgid = _unquote(lines[start:plural])
        if msgid not in translations:
            continue
        head = [line for line in lines[:start] if not line.startswith("#|")]
        head = [re.sub(r",? fuzzy", "", line) for line in head]
        head = [line for line in head if line.strip() != "#,"]
        value = translations[msgid]
        if isinstance(value, list):  # [singular, plural] for an entry with msgid_plural
            forms = [f"msgstr[{n}] {_quote(text)}" for n, text in enumerate(value)]
        else:
            forms = [f"msgstr {_quote(value)}"]
        body = lines[start:end] + forms
        blocks[index] = "\n".join(head + body)
        filled += 1
    return "\n\n".join(blocks), filled


def main() -> None:
    translations = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    text, filled = fill(PO.read_text(encoding="utf-8"), translations)
    PO.write_text(text, encoding="utf-8")
    print(f"filled {filled} of {len(translations)}")


if __name__ == "__main__":
    main()
