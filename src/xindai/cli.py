"""The ``xindai`` console script: Django's management commands under one name.

``xindai migrate``, ``xindai demo``, ``xindai seed --demo``, ``xindai audit verify`` ...
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xindai.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["xindai", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
