"""Demo data: Kota Mojokerto's agencies and one account per role.

Idempotent: running it again updates the same rows (matched by name or e-mail) and
resets the demo passwords. Never for production data: the passwords are public.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from .models import Agency, AgencyKind, Approval, RegionKind, RegionProfile, Role, User

DEMO_PASSWORD = "kovablik-demo"  # noqa: S105 - documented in the README, demo only

SETDA = "Sekretariat Daerah"
DINKES = "Dinas Kesehatan, Pengendalian Penduduk dan Keluarga Berencana"
DLH = "Dinas Lingkungan Hidup"
DIKBUD = "Dinas Pendidikan dan Kebudayaan"
DISKOPUKMPERINDAG = "Dinas Koperasi, Usaha Mikro, Perindustrian dan Perdagangan"
DPMPTSP = "Dinas Penanaman Modal dan Pelayanan Terpadu Satu Pintu"

# (name, short name, kind, parent name)
AGENCIES: list[tuple[str, str, str, str | None]] = [
    (SETDA, "Setda", AgencyKind.SEKRETARIAT, None),
    ("Sekretariat DPRD", "Setwan", AgencyKind.SEKRETARIAT, None),
    ("Inspektorat Daerah", "Inspektorat", AgencyKind.INSPEKTORAT, None),
    # Dinas
    (DINKES, "Dinkesppkb", AgencyKind.DINAS, None),
    (DLH, "DLH", AgencyKind.DINAS, None),
    (DIKBUD, "Dikbud", AgencyKind.DINAS, None),
    ("Dinas Kependudukan dan Pencatatan Sipil", "Dispendukcapil", AgencyKind.DINAS, None),
    ("Dinas Komunikasi dan Informatika", "Diskominfo", AgencyKind.DINAS, None),
    (
        "Dinas Sosial, Pemberdayaan Perempuan dan Perlindungan Anak",
        "Dinsos P3A",
        AgencyKind.DINAS,
        None,
    ),
    (
        "Dinas Pekerjaan Umum dan Penataan Ruang, Perumahan Rakyat dan Kawasan Permukiman",
        "DPUPRPERKIM",
        AgencyKind.DINAS,
        None,
    ),
    ("Dinas Perhubungan", "Dishub", AgencyKind.DINAS, None),
    (DPMPTSP, "DPMPTSP", AgencyKind.DINAS, None),
    (DISKOPUKMPERINDAG, "Diskopukmperindag", AgencyKind.DINAS, None),
    ("Dinas Pertanian dan Ketahanan Pangan", "Dispertan KP", AgencyKind.DINAS, None),
    ("Dinas Kepemudaan, Olahraga dan Pariwisata", "Disporapar", AgencyKind.DINAS, None),
    ("Dinas Perpustakaan dan Kearsipan", "DPK", AgencyKind.DINAS, None),
    ("Dinas Tenaga Kerja", "Disnaker", AgencyKind.DINAS, None),
    ("Dinas Pemadam Kebakaran dan Penyelamatan", "Damkar", AgencyKind.DINAS, None),
    ("Satuan Polisi Pamong Praja", "Satpol PP", AgencyKind.SATPOL, None),
    # Badan
    (
        "Badan Perencanaan Pembangunan, Riset dan Inovasi Daerah",
        "Bapperida",
        AgencyKind.BADAN,
        None,
    ),
    ("Badan Pengelolaan Keuangan dan Pendapatan Daerah", "BPKPD", AgencyKind.BADAN, None),
    (
        "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        "BKPSDM",
        AgencyKind.BADAN,
        None,
    ),
    ("Badan Penanggulangan Bencana Daerah", "BPBD", AgencyKind.BADAN, None),
    ("Badan Kesatuan Bangsa dan Politik", "Bakesbangpol", AgencyKind.BADAN, None),
    # Bagian of the city secretariat
    ("Bagian Organisasi", "Organisasi", AgencyKind.BAGIAN, SETDA),
    ("Bagian Hukum", "Hukum", AgencyKind.BAGIAN, SETDA),
    ("Bagian Umum", "Umum", AgencyKind.BAGIAN, SETDA),
    ("Bagian Pengadaan Barang/Jasa", "PBJ", AgencyKind.BAGIAN, SETDA),
    ("Bagian Pemerintahan dan Kesejahteraan Rakyat", "Pemkesra", AgencyKind.BAGIAN, SETDA),
    ("Bagian Perekonomian dan Sumber Daya Alam", "Perekonomian", AgencyKind.BAGIAN, SETDA),
    ("Bagian Administrasi Pembangunan", "Adpem", AgencyKind.BAGIAN, SETDA),
    ("Bagian Protokol dan Komunikasi Pimpinan", "Prokopim", AgencyKind.BAGIAN, SETDA),
    ("Bagian Perencanaan dan Keuangan", "Renkeu", AgencyKind.BAGIAN, SETDA),
    # Hospital and units of the dinas
    ("RSUD Dr. Wahidin Sudiro Husodo", "RSUD Wahidin", AgencyKind.RSUD, None),
    ("UPT Puskesmas Wates", "PKM Wates", AgencyKind.PUSKESMAS, DINKES),
    ("UPT Puskesmas Gedongan", "PKM Gedongan", AgencyKind.PUSKESMAS, DINKES),
    ("UPT Puskesmas Kedundung", "PKM Kedundung", AgencyKind.PUSKESMAS, DINKES),
    ("UPT Puskesmas Blooto", "PKM Blooto", AgencyKind.PUSKESMAS, DINKES),
    ("UPT Puskesmas Mentikan", "PKM Mentikan", AgencyKind.PUSKESMAS, DINKES),
    ("UPT Puskesmas Kranggan", "PKM Kranggan", AgencyKind.PUSKESMAS, DINKES),
    ("UPT Laboratorium Kesehatan Daerah", "Labkesda", AgencyKind.UPT, DINKES),
    ("UPT Laboratorium Lingkungan", "Lab DLH", AgencyKind.UPT, DLH),
    ("UPT Pengelolaan Pasar", "UPT Pasar", AgencyKind.UPT, DISKOPUKMPERINDAG),
]

# The three kecamatan (Kranggan formed in 2016) and their 18 kelurahan.
KECAMATAN: dict[str, list[str]] = {
    "Prajurit Kulon": [
        "Blooto",
        "Kauman",
        "Mentikan",
        "Prajurit Kulon",
        "Pulorejo",
        "Surodinawan",
    ],
    "Magersari": ["Balongsari", "Gedongan", "Gunung Gedangan", "Kedundung", "Magersari", "Wates"],
    "Kranggan": ["Jagalan", "Kranggan", "Meri", "Miji", "Purwotengah", "Sentanan"],
}


@dataclass(frozen=True)
class DemoAccount:
    email: str
    full_name: str
    role: str
    agency: str | None
    nip: str = ""
    institution: str = ""
    superuser: bool = False


ACCOUNTS = [
    DemoAccount(
        "admin@demo.kovablik.id", "Administrator Kovablik", Role.ORGANISER, None, superuser=True
    ),
    DemoAccount(
        "organisasi@demo.kovablik.id",
        "Rina Kusumawati, S.Sos.",
        Role.ORGANISER,
        "Bagian Organisasi",
        nip="198204102006042011",
    ),
    DemoAccount(
        "dinkes@demo.kovablik.id",
        "dr. Agus Prasetyo",
        Role.OPD_STAFF,
        DINKES,
        nip="198507232010011007",
    ),
    DemoAccount(
        "dlh@demo.kovablik.id",
        "Dewi Lestari, S.T.",
        Role.OPD_STAFF,
        DLH,
        nip="199001152015032003",
    ),
    DemoAccount(
        "juri@demo.kovablik.id",
        "Dr. Hendra Wijaya, M.Si.",
        Role.JUDGE,
        None,
        institution="Universitas Airlangga",
    ),
    DemoAccount(
        "juri2@demo.kovablik.id",
        "Prof. Dr. Ir. Retno Wulandari, M.T.",
        Role.JUDGE,
        None,
        institution="Institut Teknologi Sepuluh Nopember",
    ),
    DemoAccount(
        "juri3@demo.kovablik.id",
        "Drs. Bambang Sutejo, M.AP.",
        Role.JUDGE,
        None,
        institution="BRIDA Provinsi Jawa Timur",
    ),
    DemoAccount(
        "juri4@demo.kovablik.id",
        "Ratna Dewi Anggraeni, S.E., M.M.",
        Role.JUDGE,
        None,
        institution="Praktisi pelayanan publik",
    ),
]


def _agency(name: str, short_name: str, kind: str, parent: Agency | None) -> Agency:
    agency, _ = Agency.objects.update_or_create(
        name=name,
        defaults={"short_name": short_name, "kind": kind, "parent": parent, "is_active": True},
    )
    return agency


def _seed_agencies() -> dict[str, Agency]:
    by_name: dict[str, Agency] = {}
    for name, short_name, kind, parent in AGENCIES:
        by_name[name] = _agency(name, short_name, kind, by_name[parent] if parent else None)
    for kecamatan, kelurahan_names in KECAMATAN.items():
        parent = _agency(f"Kecamatan {kecamatan}", f"Kec. {kecamatan}", AgencyKind.KECAMATAN, None)
        by_name[parent.name] = parent
        for kelurahan in kelurahan_names:
            agency = _agency(
                f"Kelurahan {kelurahan}", f"Kel. {kelurahan}", AgencyKind.KELURAHAN, parent
            )
            by_name[agency.name] = agency
    return by_name


def _seed_accounts(agencies: dict[str, Agency]) -> list[User]:
    users = []
    now = timezone.now()
    for account in ACCOUNTS:
        user, _ = User.objects.update_or_create(
            email=account.email,
            defaults={
                "full_name": account.full_name,
                "role": account.role,
                "agency": agencies[account.agency] if account.agency else None,
                "nip": account.nip,
                "institution": account.institution,
                "is_superuser": account.superuser,
                "is_active": True,
                "approval": Approval.APPROVED,
                "decided_at": now,
            },
        )
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        users.append(user)
    return users


# The demo region: Kota Mojokerto, whose Bagian Organisasi runs the competition.
REGION = {
    "kind": RegionKind.KOTA,
    "name": "Mojokerto",
    "head_title": "",
    "unit": "Bagian Organisasi Sekretariat Daerah",
    "place": "Mojokerto",
    "address": "Jl. Gajah Mada No. 145, Kota Mojokerto",
    "email": "organisasi@mojokertokota.go.id",
    "website": "https://mojokertokota.go.id",
}


def seed_region() -> RegionProfile:
    profile = RegionProfile.objects.filter(pk=1).first() or RegionProfile(pk=1)
    for field, value in REGION.items():
        setattr(profile, field, value)
    profile.save()
    return profile


@transaction.atomic
def seed() -> list[User]:
    """Creates or refreshes the demo region, agencies and accounts; returns the accounts."""
    seed_region()
    return _seed_accounts(_seed_agencies())
