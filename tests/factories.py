"""factory_boy factories for every model. Defaults make a valid, unsurprising object.

Every argument given is used: no factory looks an existing row up instead of making one
(no ``django_get_or_create``), so asking for a year that exists fails loudly. Common
shapes of data are traits (``EntryFactory(screened_in=True)``,
``StageFactory(closed=True, rubric=(60, 40))``) rather than helper functions.
"""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from competition import models as cm
from competition.eligibility import count_words
from opd.models import Agency, AgencyKind, Approval, RegionKind, RegionProfile, Role, User
from tests.uploads import pdf_bytes


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


def _competition_parts(competition) -> None:
    """What an OPD needs to enter: groups Umum and Khusus (by invitation), one category,
    two sections (one of five words) and two attachment kinds (SK required, photos not)."""
    CompetitionGroupFactory(competition=competition, code=cm.GroupCode.UMUM)
    CompetitionGroupFactory(competition=competition, code=cm.GroupCode.KHUSUS, invitation_only=True)
    CategoryFactory(competition=competition, name="Kesehatan")
    SectionSpecFactory(competition=competition, key="ringkasan", label="Ringkasan", word_limit=5)
    SectionSpecFactory(
        competition=competition, key="latar-belakang", label="Latar Belakang", word_limit=300
    )
    AttachmentKindFactory(competition=competition, key="sk", label="SK Inovator", order=1)
    AttachmentKindFactory(
        competition=competition,
        key="foto",
        label="Foto sebelum dan sesudah",
        allowed_types=["image"],
        required=False,
        max_files=2,
        order=2,
    )


class CompetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Competition
        skip_postgeneration_save = True

    # Years no test names explicitly (tests name 2024-2031), so a default never collides.
    year = factory.Sequence(lambda n: 2040 + n % 60)
    name = "Kompetisi Inovasi Pelayanan Publik"
    submission_opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=30))
    submission_closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=30))
    prize_first = 15_000_000
    prize_second = 10_000_000
    prize_third = 7_500_000

    class Params:
        # This year's competition, open for submission now, with what an entry needs.
        open = factory.Trait(
            year=factory.LazyFunction(lambda: timezone.localdate().year),
            submission_opens_at=factory.LazyFunction(
                lambda: timezone.now() - dt.timedelta(days=10)
            ),
            submission_closes_at=factory.LazyFunction(
                lambda: timezone.now() + dt.timedelta(days=10)
            ),
            parts=factory.PostGeneration(
                lambda competition, create, extracted, **kwargs: _competition_parts(competition)
            ),
        )
        # Submission has ended.
        closed = factory.Trait(
            submission_opens_at=factory.LazyFunction(
                lambda: timezone.now() - dt.timedelta(days=40)
            ),
            submission_closes_at=factory.LazyFunction(
                lambda: timezone.now() - dt.timedelta(days=10)
            ),
        )


class CompetitionGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.CompetitionGroup

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
    competition = factory.SubFactory(CompetitionFactory)
    order = factory.Sequence(lambda n: n + 1)
    kind = cm.StageKind.DESK
    name = "Penilaian proposal"
    opens_at = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=14))
    final_weight = Decimal("100")

    class Meta:
        model = cm.Stage
        skip_postgeneration_save = True

    class Params:
        # The organiser has closed the stage: its results can be computed.
        closed = factory.Trait(closed_at=factory.LazyFunction(timezone.now))

    @factory.post_generation
    def rubric(stage, create, extracted, max_score=100, **kwargs):
        """``rubric=(60, 40)``: one criterion per weight, labelled K1, K2, ... and scored
        from 0 to ``rubric__max_score`` (100)."""
        for order, weight in enumerate(extracted or ()):
            CriterionFactory(
                stage=stage,
                order=order,
                label=f"K{order + 1}",
                weight=Decimal(weight),
                max_score=Decimal(max_score),
            )


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


def _answer_every_section(entry, create, extracted, **kwargs):
    for section in entry.competition.sections.all():
        EntryAnswerFactory(entry=entry, section=section, text="Isi singkat.")


def _attach_every_required_kind(entry, create, extracted, uploaded_by=None, **kwargs):
    for kind in entry.competition.attachment_kinds.filter(required=True):
        AttachmentFactory(entry=entry, kind=kind, uploaded_by=uploaded_by)


def _title_from_reference(innovation) -> str:
    """The title "Inovasi <the entry's reference>", so a test finds an entry's row on a page
    or in an export by its reference. With no reference (a draft) it refuses rather than
    make a title that names nothing."""
    reference = innovation.factory_parent.reference
    if not isinstance(reference, str) or not reference:
        raise ValueError("titled_by_reference needs a reference: pass one, or submitted=True")
    return f"Inovasi {reference}"


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.Entry
        skip_postgeneration_save = True

    competition = factory.SubFactory(CompetitionFactory)
    innovation = factory.SubFactory(InnovationFactory)
    agency = factory.SelfAttribute("innovation.agency")
    # Group Umum of the competition, made if the competition has none yet.
    group = factory.LazyAttribute(
        lambda entry: entry.competition.groups.get_or_create(code=cm.GroupCode.UMUM)[0]
    )
    category = factory.SubFactory(
        CategoryFactory, competition=factory.SelfAttribute("..competition")
    )

    class Params:
        # Sent to the organiser, with its registration number.
        submitted = factory.Trait(
            status=cm.EntryStatus.SUBMITTED,
            submitted_at=factory.LazyFunction(timezone.now),
            declaration_accepted=True,
            reference=factory.Sequence(lambda n: f"KIPP-F-{n:04d}"),
        )
        # Passed the organiser's screening: goes to judging.
        screened_in = factory.Trait(submitted=True, status=cm.EntryStatus.PASSED)
        # The innovation is called "Inovasi <reference>" (see _title_from_reference). The
        # trait replaces the whole SubFactory: a trait's ``innovation__title`` would, when
        # the trait is off, blank every other entry's title instead of leaving the default.
        titled_by_reference = factory.Trait(
            innovation=factory.SubFactory(
                InnovationFactory, title=factory.LazyAttribute(_title_from_reference)
            )
        )
        # Every section of the competition answered briefly (two words).
        with_answers = factory.Trait(answers=factory.PostGeneration(_answer_every_section))
        # A one-page PDF for every required attachment kind (``attachments__uploaded_by``).
        with_attachments = factory.Trait(
            attachments=factory.PostGeneration(_attach_every_required_kind)
        )
        # Ready to submit: declared, every section answered, every required file attached.
        complete = factory.Trait(
            declaration_accepted=True, with_answers=True, with_attachments=True
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
    file = factory.django.FileField(filename="sk.pdf", data=factory.LazyFunction(pdf_bytes))
    original_name = "sk.pdf"
    content_type = "application/pdf"
    size = factory.LazyAttribute(lambda attachment: attachment.file.size)
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


def _score_sheet(sheet, values) -> None:
    """Score every criterion of the sheet's stage (``values`` in criterion order, or 80
    each); a submitted sheet stores its total as score_sheet_save does."""
    criteria = list(sheet.stage.criteria.order_by("order", "pk"))
    values = (
        [Decimal(str(v)) for v in values] if values is not None else [Decimal("80")] * len(criteria)
    )
    for criterion, value in zip(criteria, values, strict=True):
        ScoreFactory(sheet=sheet, criterion=criterion, value=value)
    if sheet.status == cm.SheetStatus.SUBMITTED:
        sheet.total = cm.ScoreSheet.weighted_total(
            criteria, {c.pk: v for c, v in zip(criteria, values, strict=True)}
        )
        sheet.save(update_fields=["total"])


class ScoreSheetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = cm.ScoreSheet
        skip_postgeneration_save = True

    stage = factory.SubFactory(StageFactory)
    entry = factory.SubFactory(
        EntryFactory, competition=factory.SelfAttribute("..stage.competition")
    )
    judge = factory.SubFactory(JudgeFactory)

    class Params:
        submitted = factory.Trait(
            status=cm.SheetStatus.SUBMITTED, submitted_at=factory.LazyFunction(timezone.now)
        )
        # The judge is assigned to the entry on the stage, as scoring requires.
        assigned = factory.Trait(
            assignment=factory.RelatedFactory(
                "tests.factories.AssignmentFactory",
                stage=factory.SelfAttribute("..stage"),
                entry=factory.SelfAttribute("..entry"),
                judge=factory.SelfAttribute("..judge"),
            )
        )
        # Every criterion of the stage scored 80.
        with_scores = factory.Trait(
            scores=factory.PostGeneration(
                lambda sheet, create, extracted, **kwargs: _score_sheet(sheet, None)
            )
        )

    @factory.post_generation
    def scores(sheet, create, extracted, **kwargs):
        """``scores=[80, 7.5]``: one value per criterion of the stage, in order."""
        if extracted is not None:
            _score_sheet(sheet, extracted)


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


def scored_entries(stage, judge, scores_by_reference: dict) -> list:
    """Screened-in entries of ``stage``'s year, one per reference and titled after it, each
    with ``judge``'s sent sheet of those scores (criteria in rubric order): how most
    results tests begin."""
    entries = []
    for reference, scores in scores_by_reference.items():
        entry = EntryFactory(
            competition=stage.competition,
            reference=reference,
            titled_by_reference=True,
            screened_in=True,
        )
        ScoreSheetFactory(
            stage=stage, entry=entry, judge=judge, submitted=True, assigned=True, scores=scores
        )
        entries.append(entry)
    return entries


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

    id = 1
    kind = RegionKind.KABUPATEN
    name = "Sidoarjo"
    unit = "Bagian Organisasi Sekretariat Daerah"
    place = "Sidoarjo"
