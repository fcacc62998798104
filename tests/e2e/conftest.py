"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

Playwright cannot download its own browsers here, so the system chromium is launched. Without
it the tests are skipped locally, but fail under CI (env ``CI`` set), where it must be present.
Screenshots go to ``$XINDAI_SCREENSHOTS`` (default ``<repo>/test-artifacts/screenshots``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    sync_playwright,
)

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO_DIR = Path(__file__).resolve().parents[2]
DESKTOP = {"width": 1366, "height": 800}
PHONE = {"width": 390, "height": 844}

# Every Content-Security-Policy violation is also written to the console as an error, so the
# console listener sees it even where chromium's own report is terse.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("CSP violation: " + e.violatedDirective + " blocked " + (e.blockedURI || "inline")
                + " at " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium (make system-deps)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    # While Playwright's sync API is open it keeps an asyncio loop running in this thread, and
    # Django would refuse the ORM calls of the tests and of their fixtures' teardown (flush)
    # with SynchronousOnlyOperation. Allowed exactly as long as the loop lives; test-only.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


class ConsoleLog:
    """Console errors, uncaught exceptions and CSP violations seen by the pages of a test."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def watch(self, page: Page) -> Page:
        page.on("console", self._console)
        page.on("pageerror", lambda exc: self.errors.append(f"uncaught: {exc}"))
        return page

    def _console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        location = message.location.get("url", "")
        self.errors.append(f"{message.text} ({location})")


@pytest.fixture
def console() -> ConsoleLog:
    return ConsoleLog()


@pytest.fixture
def new_context(browser: Browser) -> Iterator[Callable[..., BrowserContext]]:
    """Make browser contexts (simplified-Chinese browser by default); closed after the test."""
    contexts: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        options.setdefault("viewport", DESKTOP)
        options.setdefault("locale", "zh-CN")
        options.setdefault("timezone_id", "Asia/Shanghai")
        context = browser.new_context(**options)
        context.add_init_script(REPORT_CSP_VIOLATIONS)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context: Callable[..., BrowserContext], console: ConsoleLog) -> Page:
    """A desktop page (1366x800) whose console errors are collected in ``console``."""
    return console.watch(new_context().new_page())


def screenshot_dir() -> Path:
    default = REPO_DIR / "test-artifacts" / "screenshots"
    directory = Path(os.environ.get("XINDAI_SCREENSHOTS") or default)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def save_screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of the page under the screenshot directory and return its path."""
    path = screenshot_dir() / name
    page.screenshot(path=str(path), full_page=full_page, animations="disabled")
    return path


@pytest.fixture
def screenshot() -> Callable[..., Path]:
    return save_screenshot
