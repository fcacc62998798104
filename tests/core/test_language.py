import pytest


@pytest.mark.django_db
def test_chinese_is_the_default_whatever_the_browser_asks(manager, login) -> None:
    page = login(manager).get("/", headers={"Accept-Language": "en-US,en;q=0.9"})
    assert page["Content-Language"] == "zh-hans" and "工作台" in page.content.decode()


@pytest.mark.django_db
def test_the_chosen_language_sticks(manager, login) -> None:
    client = login(manager)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/")
    assert page["Content-Language"] == "en" and "Workbench" in page.content.decode()
