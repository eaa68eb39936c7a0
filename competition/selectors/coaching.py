"""Reads for coaching (pembinaan) and for the judges' feedback to OPDs, each in a fixed
number of queries however many sections, comments, versions or sheets there are."""

import difflib
import re
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q
from django.utils.html import format_html, format_html_join

from competition.eligibility import sections_for
from competition.models import (
    AnswerVersion,
    CoachingComment,
    Entry,
    ReviewRequest,
    ScoreSheet,
    SectionSpec,
)
from opd.models import Agency

_TOKENS = re.compile(r"\s+|\S+")


@dataclass
class CoachingSection:
    section: SectionSpec | None
    text: str = ""
    comments: list = field(default_factory=list)
    versions: int = 0


def coaching_sections(entry: Entry) -> list[CoachingSection]:
    """Each section of the entry with its text, its comments and how many versions it has;
    a last row (section None) holds comments on the proposal as a whole."""
    sections = sections_for(entry.competition, entry.group)
    answers = {a.section_id: a.text for a in entry.answers.all()}
    counts = dict(
        AnswerVersion.objects.filter(entry=entry)
        .values_list("section_id")
        .annotate(n=Count("pk"))
        .values_list("section_id", "n")
    )
    rows = {
        s.pk: CoachingSection(section=s, text=answers.get(s.pk, ""), versions=counts.get(s.pk, 0))
        for s in sections
    }
    general = CoachingSection(section=None)
    for comment in CoachingComment.objects.filter(entry=entry).select_related("author"):
        rows.get(comment.section_id, general).comments.append(comment)
    return [*rows.values(), general]


def review_requests_for_organiser(competition):
    """Requests of ``competition``'s entries, open ones first, with what the list shows."""
    return (
        ReviewRequest.objects.filter(entry__competition=competition)
        .select_related("entry__innovation", "entry__agency", "requested_by")
        .annotate(
            n_comments=Count("comments", distinct=True),
            n_open_comments=Count("comments", filter=Q(comments__done_at__isnull=True)),
        )
        .order_by(F("closed_at").desc(nulls_first=True), "requested_at", "pk")
    )


def review_requests_for_coach(competition, user):
    """The requests a coach (pembina) may take: the organiser's list without the drafts of
    the coach's own agency, its units and its parent. Still one query."""
    parent_of_coach = Agency.objects.filter(
        pk=OuterRef("entry__agency_id"), children=user.agency_id
    )
    return review_requests_for_organiser(competition).exclude(
        Q(entry__agency_id=user.agency_id)
        | Q(entry__agency__parent_id=user.agency_id)
        | Q(Exists(parent_of_coach))
    )


def section_versions(entry: Entry, section: SectionSpec) -> list[AnswerVersion]:
    return list(
        AnswerVersion.objects.filter(entry=entry, section=section)
        .select_related("saved_by")
        .order_by("number")
    )


def text_diff(old: str, new: str) -> str:
    """A word-level diff of two texts as HTML: removed words in <del>, added in <ins>,
    spaces and line breaks kept (shown with ``white-space: pre-wrap``). ``format_html``
    escapes every piece of user text."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(format_html("{}", "".join(a[i1:i2])))
            continue
        if op in {"delete", "replace"}:
            out.append(format_html("<del>{}</del>", "".join(a[i1:i2])))
        if op in {"insert", "replace"}:
            out.append(format_html("<ins>{}</ins>", "".join(b[j1:j2])))
    return format_html_join("", "{}", ((piece,) for piece in out))


@dataclass
class FeedbackSheet:
    label: str
    stage: str
    total: float | None
    general_comment: str
    scores: list  # (criterion label, value, max, comment)


def entry_feedback(entry: Entry, snapshot) -> list[FeedbackSheet]:
    """The sheets that went into ``snapshot`` for ``entry``: scores and comments per
    criterion, judges numbered ("Juri 1", "Juri 2") and never named. Two queries."""
    sheet_ids = [
        sheet["id"]
        for stage in snapshot.payload["computed"]["stages"]
        for sheet in stage.get("sheets", [])
        if sheet["entry_id"] == entry.pk
    ]
    sheets = (
        ScoreSheet.objects.filter(pk__in=sheet_ids, entry=entry)
        .select_related("stage")
        .prefetch_related("scores__criterion")
        .order_by("stage__order", "pk")
    )
    result, numbers = [], {}
    for sheet in sheets:
        numbers.setdefault(sheet.stage_id, 0)
        numbers[sheet.stage_id] += 1
        scores = sorted(sheet.scores.all(), key=lambda s: (s.criterion.order, s.criterion.pk))
        result.append(
            FeedbackSheet(
                label=str(numbers[sheet.stage_id]),
                stage=sheet.stage.name,
                total=sheet.total,
                general_comment=sheet.general_comment,
                scores=[
                    (s.criterion.label, s.value, s.criterion.max_score, s.comment) for s in scores
                ],
            )
        )
    return result
