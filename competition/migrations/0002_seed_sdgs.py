from django.db import migrations

# The 17 Tujuan Pembangunan Berkelanjutan (TPB), in Bappenas' Indonesian wording.
SDGS = [
    (1, "Tanpa Kemiskinan"),
    (2, "Tanpa Kelaparan"),
    (3, "Kehidupan Sehat dan Sejahtera"),
    (4, "Pendidikan Berkualitas"),
    (5, "Kesetaraan Gender"),
    (6, "Air Bersih dan Sanitasi Layak"),
    (7, "Energi Bersih dan Terjangkau"),
    (8, "Pekerjaan Layak dan Pertumbuhan Ekonomi"),
    (9, "Industri, Inovasi dan Infrastruktur"),
    (10, "Berkurangnya Kesenjangan"),
    (11, "Kota dan Permukiman yang Berkelanjutan"),
    (12, "Konsumsi dan Produksi yang Bertanggung Jawab"),
    (13, "Penanganan Perubahan Iklim"),
    (14, "Ekosistem Lautan"),
    (15, "Ekosistem Daratan"),
    (16, "Perdamaian, Keadilan dan Kelembagaan yang Tangguh"),
    (17, "Kemitraan untuk Mencapai Tujuan"),
]


def seed(apps, schema_editor):
    SDG = apps.get_model("competition", "SDG")
    for number, name in SDGS:
        SDG.objects.update_or_create(number=number, defaults={"name": name})


class Migration(migrations.Migration):
    dependencies = [("competition", "0001_competition_data_model")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
