"""Records the customer tests build again and again."""

from __future__ import annotations

from xindai.customers.models import Area, AreaLevel


def make_village() -> Area:
    """东城区 → 东华门街道 → 多福巷村 (area code 110101001001)."""
    county = Area.objects.create(code="110101000000", name="东城区", level=AreaLevel.COUNTY)
    town = Area.objects.create(
        code="110101001000", name="东华门街道", level=AreaLevel.TOWNSHIP, parent=county
    )
    return Area.objects.create(
        code="110101001001", name="多福巷村", level=AreaLevel.VILLAGE, parent=town
    )
