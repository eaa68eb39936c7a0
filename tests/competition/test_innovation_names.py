"""QA: an innovation whose title already starts with its brand is not named twice."""

from django.urls import reverse

from competition import demo
from tests import factories as f


def test_catalogue_does_not_repeat_a_brand_already_in_the_title(client, db):
    f.InnovationFactory(
        title="Bapak Samerto: Bayar Pajak Pakai Sampah",
        brand_name="Bapak Samerto",
        in_catalogue=True,
    )
    f.InnovationFactory(
        title="Antrean Daring Pasien", brand_name="Antar Wahidin", in_catalogue=True
    )

    page = client.get(reverse("competition:public_catalogue")).content.decode()

    assert "Bapak Samerto: Bayar Pajak Pakai Sampah" in page
    assert "Bapak Samerto: Bapak Samerto" not in page
    assert "Antar Wahidin: Antrean Daring Pasien" in page


def test_innovation_name_without_brand_is_its_title(db):
    innovation = f.InnovationFactory(title="Parkir Nontunai", brand_name="")

    assert str(innovation) == "Parkir Nontunai"


def test_demo_descriptions_keep_the_capitals_of_names_like_whatsapp(db):
    item = next(i for i in demo.INNOVATIONS if i.brand == "Antar Wahidin")
    staff = f.UserFactory()

    description = demo._innovation(item, staff.agency, staff).description

    assert description.startswith("Memungkinkan")
    assert "WhatsApp" in description
