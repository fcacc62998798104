"""Audit trail throughput: append N events, then verify the whole chain.

    .venv/bin/python benchmarks/audit_chain.py --events 20000            # SQLite file in a temp dir
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xindai_bench \\
        .venv/bin/python benchmarks/audit_chain.py --events 20000        # PostgreSQL (db is reset)

Prints events/s for appending (each event its own transaction, as services write them) and for
verification, and the peak resident memory of the process.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=20000)
    args = parser.parse_args()

    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("XINDAI_VAR_DIR", tempfile.mkdtemp(prefix="xindai-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xindai.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.vendor == "postgresql":
        call_command("flush", interactive=False, verbosity=0)
    call_command("migrate", verbosity=0)
    from xindai.audit import services
    from xindai.audit.models import AuditChainHead, AuditEvent

    if AuditEvent.objects.exists():
        sys.exit("the benchmark database must be empty")
    AuditChainHead.objects.get_or_create(pk=1)

    started = time.perf_counter()
    for i in range(args.events):
        services.record(
            "bench.event",
            actor=None,
            object_type="bench.thing",
            object_id=i,
            changes={"amount": ["0.00", f"{i}.00"]},
            reason="基准测试",
        )
    append_s = time.perf_counter() - started

    started = time.perf_counter()
    checked, broken = services.verify()
    verify_s = time.perf_counter() - started
    assert broken is None and checked == args.events

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database: {connection.vendor}; events: {args.events}")
    print(f"append: {append_s:.2f} s = {args.events / append_s:,.0f} events/s")
    print(f"verify: {verify_s:.2f} s = {checked / verify_s:,.0f} events/s")
    print(f"peak RSS: {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
