"""Pages of the customer archive (客户档案): thin views over :mod:`queries` and :mod:`services`.

Every record is looked up through ``queries.customer_for`` (404 outside the user's scope);
every change goes through a service, which checks the permission, validates, saves and audits.
"""

from xindai.customers.views.detail import (
    confirm,
    customer_create,
    customer_detail,
    customer_edit,
    reveal,
)
from xindai.customers.views.documents import document_download, document_expiry, document_upload
from xindai.customers.views.lists import (
    customer_export,
    customer_import,
    customer_list,
    import_errors,
    import_template,
)
from xindai.customers.views.sections import (
    relation_add,
    section_add,
    section_delete,
    section_edit,
    soft_info_add,
)

__all__ = [
    "confirm",
    "customer_create",
    "customer_detail",
    "customer_edit",
    "customer_export",
    "customer_import",
    "customer_list",
    "document_download",
    "document_expiry",
    "document_upload",
    "import_errors",
    "import_template",
    "relation_add",
    "reveal",
    "section_add",
    "section_delete",
    "section_edit",
    "soft_info_add",
]
