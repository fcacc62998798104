"""Every page and every API endpoint requires login and a permission: walk them all."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from xindai.urls import api

# Pages anyone may open, and why.
PUBLIC = {
    "login": "the sign-in page itself",
    "set_language": "sets only the language cookie, so the sign-in page can be read in English",
    "logout": "only ends the caller's own session (POST), whatever his roles",
}
API_ROOT = "/api/v1/"


def walk(patterns: list, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns in {"admin", "api"} or str(entry.pattern).startswith("api/"):
                continue  # the admin checks its own; the API is walked below
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
            yield name, prefix + str(entry.pattern)


def concrete(route: str) -> str:
    """A URL for a route, with 1 for every path parameter."""
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route)


ALL_PAGES = sorted(set(walk(get_resolver().url_patterns)))
PAGES = [(name, route) for name, route in ALL_PAGES if name not in PUBLIC]


def api_operations() -> Iterator[tuple[str, str, object]]:
    for prefix, router in api._routers:
        for path, path_view in router.path_operations.items():
            for operation in path_view.operations:
                for method in operation.methods:
                    url = API_ROOT + (prefix.strip("/") + "/" + path.lstrip("/")).strip("/")
                    url = re.sub(r"\{\w+\}", "1", url)
                    yield method, url, operation


API_OPERATIONS = sorted({(m, u) for m, u, _ in api_operations()})


def test_the_walk_finds_the_pages_and_endpoints() -> None:
    names = {name for name, _ in ALL_PAGES}
    assert {"dashboard:workbench", "org:staff", "audit:events", "login"} <= names
    assert set(PUBLIC) <= names
    assert ("GET", "/api/v1/org/staff") in API_OPERATIONS


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), PAGES)
def test_anonymous_visitors_are_sent_to_login(client, name: str, route: str) -> None:
    response = client.get(concrete(route))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "route"), PAGES)
def test_staff_without_the_permission_are_refused(outsider, login, name: str, route: str) -> None:
    response = login(outsider).get(concrete(route))
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "url", "view"), sorted(api_operations(), key=str))
def test_every_api_operation_declares_a_permission(method: str, url: str, view: object) -> None:
    permissions = {getattr(auth, "permission", None) for auth in view.auth_callbacks}
    assert None not in permissions and len(permissions) == 1, f"{method} {url}: {permissions}"
    assert "xindai.undeclared_permission" not in permissions, f"{method} {url} declares none"


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url"), API_OPERATIONS)
def test_api_refuses_anonymous_callers(client, method: str, url: str) -> None:
    response = client.generic(method, url)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "url"), API_OPERATIONS)
def test_api_refuses_callers_without_the_permission(outsider, login, method: str, url: str) -> None:
    response = login(outsider).generic(method, url)
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"


@pytest.mark.django_db
def test_only_the_sign_in_page_and_language_switch_are_public(client) -> None:
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"


@pytest.mark.django_db
def test_openapi_spec_needs_a_signed_in_user(client, manager, login) -> None:
    assert client.get("/api/v1/openapi.json").status_code == 401
    spec = login(manager).get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert "/api/v1/org/staff" in spec.json()["paths"]


@pytest.mark.django_db
def test_admin_refuses_staff_without_admin_rights(manager, login) -> None:
    response = login(manager).get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
