"""What an archive must hold, by kind of customer (the outline's 第二部分 二; policy defaults).

These defaults move into the versioned policy with the applications issue; until then a bank
changes them here.
"""

from __future__ import annotations

from xindai.customers.domain import ArchiveRequirements

REQUIREMENTS: dict[str, ArchiveRequirements] = {
    "farmer": ArchiveRequirements(
        fields=("phone", "address", "village"),
        sections=(
            "members",
            "land",
            "production",
            "assets",
            "financial_assets",
            "liabilities",
            "income",
            "expenses",
            "village_evaluation",
        ),
        documents=("id_card", "household_register"),
    ),
    "business": ArchiveRequirements(
        fields=("phone", "address", "industry_code"),
        sections=("licence", "members", "premises", "operations", "partners", "accounts"),
        documents=("licence", "id_card"),
    ),
    "enterprise": ArchiveRequirements(
        fields=("phone", "address", "industry_code"),
        sections=("licence", "governance", "shareholders", "accounts", "statements"),
        documents=("licence", "articles", "statement"),
    ),
}

# Uploads: accepted types are in settings (XINDAI_UPLOAD_TYPES, XINDAI_UPLOAD_MAX_BYTES).
