"""What a broken chain means, in the user's language (the domain speaks in kinds)."""

from django.utils.translation import gettext_lazy as _

from xindai.audit.domain import BreakKind, ChainBreak

BREAK_MESSAGES = {
    BreakKind.PREVIOUS_MISMATCH: _("上一事件哈希不符：此前的事件被删除、插入或改动"),
    BreakKind.CONTENT_MISMATCH: _("事件内容与其哈希不符：事件被改动"),
    BreakKind.TAIL_MISMATCH: _("链尾与链头记录不符：最后的事件被删除或链头被改动"),
}


def describe(broken: ChainBreak) -> str:
    return str(BREAK_MESSAGES[broken.kind])
