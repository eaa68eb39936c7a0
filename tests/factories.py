"""factory_boy factories for every model. Defaults make a valid, unsurprising object."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from competition import models as cm
from competition.eligibility import count_words
from opd.models import Agency, AgencyKind, Approval, RegionKind, RegionProfile, Role, User


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Dinas Contoh {n}")
    short_name = factory.Sequence(lambda n: f"DC{n}")
    kind = AgencyKind.DINAS


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.go.id")
    full_name = factory.Sequence(lambda n: f"Pengguna {n}")
    nip = factory.Sequence(lambda n: f"{198001012005011000 + n}")
    role = Role.OPD_STAFF
    agency = factory.SubFactory(AgencyFactory)
    approval = Approval.APPROVED
    is_active = True
    password = factory.PostGenerationMethodCall("set_password", "kata-sandi-uji-123")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganiserFactory(UserFactory):
    role = Role.ORGANISER
    agency = None


class JudgeFactory(UserFactory):
    role = Role.JUDGE
    agency = None
    institution = "Universitas Contoh"


class CompetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Competition
        django_get_or_create = ("year",)

    year = factory.Sequence(lambda n: 2026 + n)
    name = "Kompetisi Inovasi Pelayanan Publik"
    submission_opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))
    submission_closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    prize_first = 15_000_000
    prize_second = 10_000_000
    prize_third = 7_500_000


class CompetitionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.CompetitionGroup
        django_get_or_create = ("competition", "code")

    competition = factory.SubFactory(CompetitionFactory)
    code = cm.GroupCode.UMUM


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Category

    competition = factory.SubFactory(CompetitionFactory)
    name = factory.Sequence(lambda n: f"Kategori {n}")


class SectionSpecFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.SectionSpec

    competition = factory.SubFactory(CompetitionFactory)
    key = factory.Sequence(lambda n: f"bagian-{n}")
    label = factory.Sequence(lambda n: f"Bagian {n}")
    word_limit = 200
    order = factory.Sequence(int)


class AttachmentKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.AttachmentKind

    competition = factory.SubFactory(CompetitionFactory)
    key = factory.Sequence(lambda n: f"lampiran-{n}")
    label = factory.Sequence(lambda n: f"Lampiran {n}")
    allowed_types = factory.LazyFunction(lambda: ["pdf"])
    max_size_mb = 2


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Stage

    competition = factory.SubFactory(CompetitionFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = cm.StageKind.DESK
    name = "Penilaian proposal"
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))
    final_weight = Decimal("100")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Criterion

    stage = factory.SubFactory(StageFactory)
    order = factory.Sequence(int)
    label = factory.Sequence(lambda n: f"Kriteria {n}")
    min_score = Decimal("0")
    max_score = Decimal("100")
    weight = Decimal("20")


class InnovationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Innovation

    agency = factory.SubFactory(AgencyFactory)
    title = factory.Sequence(lambda n: f"Inovasi Layanan Nomor {n}")
    brand_name = factory.Sequence(lambda n: f"INOV{n}")
    started_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=800))

    class Params:
        # The OPD consents and the organiser approved it: shown in the public catalogue.
        in_catalogue = factory.Trait(
            is_published=True, catalogue_approved_at=factory.LazyFunction(timezone.now)
        )


class InnovatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Innovator

    innovation = factory.SubFactory(InnovationFactory)
    name = factory.Sequence(lambda n: f"Inovator {n}")


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Award

    innovation = factory.SubFactory(InnovationFactory)
    level = cm.AwardLevel.PROVINCE
    year = 2019
    label = "Top 30"


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Entry

    competition = factory.SubFactory(CompetitionFactory)
    innovation = factory.SubFactory(InnovationFactory)
    agency = factory.SelfAttribute("innovation.agency")
    group = factory.SubFactory(
        CompetitionGroupFactory, competition=factory.SelfAttribute("..competition")
    )
    category = factory.SubFactory(
        CategoryFactory, competition=factory.SelfAttribute("..competition")
    )


class EntryAnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.EntryAnswer

    entry = factory.SubFactory(EntryFactory)
    section = factory.SubFactory(
        SectionSpecFactory, competition=factory.SelfAttribute("..entry.competition")
    )
    text = "Uraian singkat."
    # As entry_save_draft stores it.
    word_count = factory.LazyAttribute(lambda answer: count_words(answer.text))


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Attachment

    entry = factory.SubFactory(EntryFactory)
    kind = factory.SubFactory(
        AttachmentKindFactory, competition=factory.SelfAttribute("..entry.competition")
    )
    file = factory.django.FileField(filename="sk.pdf", data=b"%PDF-1.4\n%%EOF\n")
    original_name = "sk.pdf"
    content_type = "application/pdf"
    size = 15
    sha256 = "0" * 64


class StatusChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.StatusChange

    entry = factory.SubFactory(EntryFactory)
    from_status = cm.EntryStatus.DRAFT
    to_status = cm.EntryStatus.SUBMITTED


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Assignment

    stage = factory.SubFactory(StageFactory)
    entry = factory.SubFactory(
        EntryFactory, competition=factory.SelfAttribute("..stage.competition")
    )
    judge = factory.SubFactory(JudgeFactory)


class ConflictDeclarationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.ConflictDeclaration

    stage = factory.SubFactory(StageFactory)
    entry = factory.SubFactory(
        EntryFactory, competition=factory.SelfAttribute("..stage.competition")
    )
    judge = factory.SubFactory(JudgeFactory)
    has_conflict = False


class ScoreSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.ScoreSheet

    stage = factory.SubFactory(StageFactory)
    entry = factory.SubFactory(
        EntryFactory, competition=factory.SelfAttribute("..stage.competition")
    )
    judge = factory.SubFactory(JudgeFactory)


class ScoreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Score

    sheet = factory.SubFactory(ScoreSheetFactory)
    criterion = factory.SubFactory(CriterionFactory, stage=factory.SelfAttribute("..sheet.stage"))
    value = Decimal("80")


class ModerationNoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.ModerationNote

    stage = factory.SubFactory(StageFactory)
    entry = factory.SubFactory(
        EntryFactory, competition=factory.SelfAttribute("..stage.competition")
    )
    note = "Panel sepakat memakai nilai rata-rata."
    author = factory.SubFactory(OrganiserFactory)


class PresentationSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.PresentationSlot

    stage = factory.SubFactory(StageFactory, kind=cm.StageKind.PRESENTATION)
    entry = factory.SubFactory(
        EntryFactory, competition=factory.SelfAttribute("..stage.competition")
    )
    starts_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=20))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(minutes=30))


class ResultSnapshotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.ResultSnapshot

    competition = factory.SubFactory(CompetitionFactory)
    version = 1
    payload = factory.LazyFunction(dict)
    checksum = "0" * 64
    created_by = factory.SubFactory(OrganiserFactory)


class PlacementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Placement

    snapshot = factory.SubFactory(ResultSnapshotFactory)
    entry = factory.SubFactory(
        EntryFactory, competition=factory.SelfAttribute("..snapshot.competition")
    )
    rank = 1
    title = cm.PlacementTitle.JUARA_1
    final_score = Decimal("85.5")


class ForwardingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Forwarding

    entry = factory.SubFactory(EntryFactory)
    level = cm.ForwardingLevel.PROVINCE
    forwarded_by = factory.SubFactory(OrganiserFactory)


class OutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Outcome

    forwarding = factory.SubFactory(ForwardingFactory)
    step = cm.OutcomeStep.REGISTERED
    occurred_on = factory.LazyFunction(timezone.localdate)
    recorded_by = factory.SubFactory(OrganiserFactory)


class RegionProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionProfile
        django_get_or_create = ("id",)

    id = 1
    kind = RegionKind.KABUPATEN
    name = "Sidoarjo"
    unit = "Bagian Organisasi Sekretariat Daerah"
    place = "Sidoarjo"
