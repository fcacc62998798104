"""Masking of personal data (ID numbers, phones, accounts) for lists, exports and logs."""

from __future__ import annotations

import logging
import re

_ID_RE = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(?!\d)")
_PHONE_RE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_ACCOUNT_RE = re.compile(r"(?<!\d)(\d{4})\d{8,15}(\d{4})(?!\d)")


def mask_id_number(value: str | None) -> str:
    """``110101199003071234`` → ``110101********1234``: region kept, birth date hidden."""
    if not value:
        return ""
    value = value.strip()
    if len(value) <= 8:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str | None) -> str:
    """``13812345678`` → ``138****5678``."""
    if not value:
        return ""
    value = value.strip()
    if len(value) < 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_account(value: str | None) -> str:
    """``6217001234567890123`` → ``6217 **** 0123``: the first and last four digits only."""
    if not value:
        return ""
    value = value.replace(" ", "")
    if len(value) <= 8:
        return "*" * len(value)
    return f"{value[:4]} **** {value[-4:]}"


def mask_text(text: str) -> str:
    """Mask every ID number, mobile phone and account number found in free text."""
    text = _ID_RE.sub(lambda m: m.group(1) + "********" + m.group(2)[-4:], text)
    text = _ACCOUNT_RE.sub(lambda m: f"{m.group(1)} **** {m.group(2)}", text)
    return _PHONE_RE.sub(lambda m: m.group(1) + "****" + m.group(2), text)


class MaskPIIFilter(logging.Filter):
    """Logging filter: no ID number, phone or account number reaches a log line in clear."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
