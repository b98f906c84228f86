"""Headless Chromium driven by Playwright against the live test server."""

import os
import shutil

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
LAUNCH_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


def confirm_decisions(page) -> None:
    """Answer "OK" to the question a decision with legal weight asks (core/static/core/app.js),
    and keep what it asked on the page object for the tests that read it."""
    page.confirmations = []

    def accept(dialog) -> None:
        page.confirmations.append(dialog.message)
        dialog.accept()

    page.on("dialog", accept)


@pytest.fixture(scope="module")
def browser():
    if CHROMIUM is None:
        if os.environ.get("CHECHO_REQUIRE_BROWSER") == "1":
            pytest.fail("Chromium is required here (CHECHO_REQUIRE_BROWSER=1) but not installed")
        pytest.skip("Chromium is not installed (apt-get install chromium); CI always runs these")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # while it runs are still synchronous and safe. Only while browsers run: subprocesses
    # started by other tests (check --deploy) must not inherit it.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LAUNCH_ARGS)
            yield browser
            browser.close()
    finally:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(10_000)
    confirm_decisions(page)
    yield page
    context.close()


@pytest.fixture
def world(transactional_db):
    """The demo world in a database the live server's thread can see."""
    from core.demo import seed_demo
    from core.unit_loader import load_units

    load_units(province="37")
    return seed_demo()


@pytest.fixture
def sign_in(page, world):
    from core.demo import demo_password

    def as_user(username: str):
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", demo_password())
        page.click("button[type=submit].primary")
        return page

    return as_user


@pytest.fixture
def browser_as(browser, live_server, world):
    """A fresh browser context signed in as another demo user (its own cookies)."""
    from core.demo import demo_password

    contexts = []

    def sign_in(username: str):
        context = browser.new_context(base_url=live_server.url, locale="vi-VN")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(10_000)
        confirm_decisions(page)
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", demo_password())
        page.click("button[type=submit].primary")
        return page

    yield sign_in
    for context in contexts:
        context.close()
