"""QA: the organiser's admin carries the portal's name, not Django's."""

from django.urls import reverse


def test_admin_pages_are_titled_kovablik_not_django(client, organiser):
    client.force_login(organiser)

    page = client.get(reverse("admin:index")).content.decode()

    assert "Administrasi Kovablik" in page
    assert "Django" not in page
