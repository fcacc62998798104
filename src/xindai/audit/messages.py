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


ACTION_LABELS = {
    "auth.login": _("登录"),
    "auth.logout": _("退出"),
    "auth.login_failed": _("登录失败"),
    "auth.locked_out": _("账号锁定"),
    "core.business_date.set": _("设置会计日期"),
    "org.orgunit.create": _("新建机构"),
    "org.orgunit.change": _("修改机构"),
    "org.user.create": _("新建员工"),
    "org.user.change": _("修改员工"),
    "org.user.deactivate": _("停用员工"),
    "org.apitoken.create": _("签发 API 令牌"),
    "org.apitoken.change": _("修改 API 令牌"),
}

OBJECT_LABELS = {
    "org.user": _("员工"),
    "org.orgunit": _("机构"),
    "org.apitoken": _("API 令牌"),
    "core.businessdate": _("会计日期"),
}


def register_labels(actions: dict[str, object], objects: dict[str, object]) -> None:
    """Apps add the names of their own actions and object types (called from ``ready``)."""
    ACTION_LABELS.update(actions)  # type: ignore[arg-type]
    OBJECT_LABELS.update(objects)  # type: ignore[arg-type]
