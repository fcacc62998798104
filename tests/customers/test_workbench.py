import pytest

from tests.customers.ids import credit_code
from xindai.customers import services
from xindai.customers.models import ArchiveStatus, Customer


@pytest.mark.django_db
def test_the_workbench_counts_the_archive_work_waiting(
    manager, colleague, farmer_data, business_data, login
) -> None:
    services.create_customer(manager, farmer_data)  # 21 %: draft and below 50 %
    biz = services.create_customer(manager, business_data)
    Customer.objects.filter(pk=biz.pk).update(archive_status=ArchiveStatus.RECONFIRM)
    services.create_customer(
        colleague,
        {**business_data, "id_number": credit_code("92110101MA0000002"), "manager": colleague.pk},
    )  # not his
    page = login(manager).get("/").content.decode()
    todo = page[page.index('id="archive-todo"') :]
    # total 2, draft 1, reconfirm 1, below 50 % 2 (21 % and 27 %)
    numbers = [chunk.split("</span>")[0] for chunk in todo.split('fw-semibold">')[1:5]]
    assert numbers == ["2", "1", "1", "2"]
