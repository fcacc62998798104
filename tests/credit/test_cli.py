"""``xindai admission check``: the same check and the same JSON as the API, as a named user
whose permission and data scope apply; bad input exits with code 2."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tests.credit.factories import prudent, ready_to_accept
from xindai.audit.models import AuditEvent
from xindai.credit.models import AdmissionCheck

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("admission", "check", *args, stdout=out)
    return out.getvalue()


def test_the_cli_prints_the_json_the_api_gives_for_the_same_check(manager, farmer, login):
    application = ready_to_accept(manager, farmer)
    printed = json.loads(run("--application", str(application.pk), "--user", "zhang"))
    check = AdmissionCheck.objects.order_by("-pk").first()
    assert check is not None and printed["id"] == check.pk  # a new check was recorded
    assert application.admission_checks.count() == 2  # the factory's and this one
    api = login(manager).get(f"/api/v1/applications/{application.pk}/admission")
    assert api.status_code == 200
    assert printed == api.json()
    assert (printed["outcome"], printed["policy_version"], printed["checked_by"]) == (
        "admit",
        1,
        "zhang",
    )
    audit = AuditEvent.objects.filter(action="credit.admission_checked").order_by("-seq").first()
    assert audit is not None and audit.actor_username == "zhang"


def test_the_application_may_be_named_by_its_number(manager, farmer) -> None:
    application = ready_to_accept(manager, farmer)
    printed = json.loads(run("--application", application.number.lower(), "--user", "zhang"))
    assert printed["application"] == application.pk


def test_the_table_has_one_row_per_rule_in_chinese(manager, farmer) -> None:
    application = prudent(manager, farmer)
    lines = run("--application", str(application.pk), "--user", "zhang", "--format", "table")
    lines_list = lines.splitlines()
    assert lines_list[0] == (
        f"申请 {application.number}  结论：审慎  政策版本 V1  会计日期 2026-11-27"
    )
    assert lines_list[1].split() == ["规则", "结论", "说明"]
    assert set(lines_list[2]) == {"-"}
    rows = {line.split()[0]: line.split(maxsplit=2)[1:] for line in lines_list[3:]}
    assert rows["credit.other_banks"] == ["审慎", "他行授信机构 4 家，超过上限 3 家，须审慎准入"]
    assert rows["blacklist"] == ["准入", "借款人不在本行黑名单上"]
    check = AdmissionCheck.objects.order_by("-pk").first()
    assert check is not None and len(lines_list) == 3 + len(check.results)


def test_the_rule_and_message_columns_line_up(manager, farmer) -> None:
    application = ready_to_accept(manager, farmer)
    lines = run("--application", str(application.pk), "--user", "zhang", "--format", "table")
    body = lines.splitlines()[3:]
    # the message column starts at the same terminal column on every row (CJK = 2 columns)
    starts = set()
    for line in body:
        _rule, _outcome, message = line.split(maxsplit=2)
        prefix = line[: line.index(message)]
        starts.add(sum(2 if "\u4e00" <= ch <= "\u9fff" else 1 for ch in prefix))
    assert len(starts) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--application", "{missing}", "--user", "zhang"),
            "没有此申请，或用户 zhang 无权查看：{missing}",
        ),
        (("--application", "{id}", "--user", "nobody"), "没有此用户（或已停用）：nobody"),
        (
            ("--application", "{id}", "--user", "wang"),
            "用户 wang 无权进行准入检查（credit.view_creditapplication）",
        ),
        (("--application", "{id}", "--user", "li"), "没有此申请，或用户 li 无权查看：{id}"),
    ],
)
def test_bad_input_exits_with_code_2(manager, farmer, outsider, colleague, args, message) -> None:
    application = ready_to_accept(manager, farmer)
    ids = {"id": application.pk, "missing": application.pk + 1000}
    before = AdmissionCheck.objects.count()
    with pytest.raises(CommandError) as failed:
        run(*(arg.format(**ids) for arg in args))
    assert failed.value.returncode == 2
    assert str(failed.value) == message.format(**ids)
    assert AdmissionCheck.objects.count() == before


def test_the_user_option_is_required(manager, farmer) -> None:
    application = ready_to_accept(manager, farmer)
    with pytest.raises(CommandError, match="--user"):
        run("--application", str(application.pk))
