"""Pages of the credit process (申请受理 onwards): thin views over :mod:`queries` and
:mod:`services`.

Every application is looked up through ``queries.visible_applications`` (404 outside the
user's scope); every change goes through a service, which checks, saves and audits.
"""

from xindai.credit.views.admission import admission_page, escalate
from xindai.credit.views.detail import (
    application_create,
    application_detail,
    check_admission,
    co_investigator,
    collateral,
    consent,
    credit_report,
    take,
)
from xindai.credit.views.investigation import (
    investigation_confirm,
    investigation_file,
    investigation_page,
    investigation_save,
    investigation_soft_info,
    investigation_upload,
)
from xindai.credit.views.limit import guarantor_capacity, limit_collateral, limit_page
from xindai.credit.views.lists import application_list, application_queue
from xindai.credit.views.report import (
    report_download,
    report_finalise,
    report_page,
    report_preview,
)
from xindai.credit.views.timeline import timeline

__all__ = [
    "admission_page",
    "application_create",
    "application_detail",
    "application_list",
    "application_queue",
    "check_admission",
    "co_investigator",
    "collateral",
    "consent",
    "credit_report",
    "escalate",
    "guarantor_capacity",
    "investigation_confirm",
    "investigation_file",
    "investigation_page",
    "investigation_save",
    "investigation_soft_info",
    "investigation_upload",
    "limit_collateral",
    "limit_page",
    "report_download",
    "report_finalise",
    "report_page",
    "report_preview",
    "take",
    "timeline",
]
