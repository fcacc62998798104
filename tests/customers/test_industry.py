import pytest

from xindai.core.industry import DIVISIONS, division_of, section_of


def test_there_are_97_divisions_numbered_01_to_97() -> None:
    assert sorted(DIVISIONS) == [f"{n:02d}" for n in range(1, 98)]


@pytest.mark.parametrize(
    ("code", "division", "section"),
    [
        ("5221", "零售业", "F"),
        ("01", "农业", "A"),
        ("1311", "农副食品加工业", "C"),
        ("6210", "餐饮业", "H"),
        ("8111", "机动车、电子产品和日用产品修理业", "O"),
    ],
)
def test_codes_map_to_their_division_and_section(code, division, section) -> None:
    assert (division_of(code), section_of(code)) == (division, section)


@pytest.mark.parametrize("code", ["", "5", "98", "00", "52211", "A521", "52 1"])
def test_non_codes_are_refused(code) -> None:
    assert division_of(code) is None and section_of(code) is None


@pytest.mark.django_db
def test_a_business_with_an_unknown_industry_is_refused(manager, business_data) -> None:
    from xindai.core.errors import FormInvalid
    from xindai.customers import services

    with pytest.raises(FormInvalid) as refused:
        services.create_customer(manager, {**business_data, "industry_code": "9901"})
    assert "GB/T 4754" in refused.value.details["industry_code"][0]
