from playwright.sync_api import expect


def test_officer_a_signs_in_and_sees_the_vietnamese_home_page(sign_in):
    page = sign_in("officer_a")

    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.locator("h1")).to_contain_text("Xin chào")
    expect(page.locator("main")).to_contain_text("Cán bộ bảo vệ trẻ em cấp xã")
    expect(page.locator("main")).to_contain_text("Xã Nho Quan")


def test_a_wrong_password_is_refused_in_vietnamese(page, world):
    page.goto("/accounts/login/")
    page.fill("#id_username", "officer_a")
    page.fill("#id_password", "wrong-password")
    page.click("button[type=submit].primary")

    expect(page.locator("[role=alert]")).to_contain_text("không khớp")
    assert page.url.endswith("/accounts/login/")


def test_the_language_switch_shows_english(sign_in):
    page = sign_in("officer_a")
    page.click("button[name=language][value=en]")

    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("h1")).to_contain_text("Welcome")
    expect(page.locator("main")).to_contain_text("Commune child-protection officer")


def test_signing_out_returns_to_the_sign_in_page(sign_in):
    page = sign_in("chair_a")
    page.click("form.logout button")

    expect(page.locator("h1")).to_contain_text("Đăng nhập")
