"""The bar at the top of every page, as an organiser on a laptop sees it."""

import pytest
from django.urls import reverse

from tests import factories as f
from tests.e2e.test_registration import PASSWORD


@pytest.mark.e2e
@pytest.mark.parametrize("width", [1280, 1366])
def test_organiser_bar_fits_one_line_and_signs_out_from_the_name_menu(page, log_in, width):
    f.OrganiserFactory(
        email="organisasi@example.go.id", full_name="Dra. Rina Kusumawati Wulandari, S.Sos., M.Si."
    )
    page.set_viewport_size({"width": width, "height": 800})
    log_in("organisasi@example.go.id", PASSWORD)
    page.goto(reverse("competition:dashboard"))

    bar = page.locator("nav.navbar-kovablik")
    brand = page.locator("nav.navbar-kovablik .navbar-brand").bounding_box()
    assert bar.bounding_box()["height"] < 2 * brand["height"]
    for link in page.locator("#main-nav > ul > li > .nav-link").all():
        box = link.bounding_box()
        assert box["y"] < brand["y"] + brand["height"], link.inner_text()

    page.click("text=Publik")
    assert page.locator("text=Katalog inovasi").is_visible()
    page.click("button[title^='Dra. Rina']")
    with page.expect_navigation():
        page.click("nav >> text=Keluar")
    assert "Keluar" not in page.inner_text("nav")
    assert "Masuk" in page.inner_text("nav")
