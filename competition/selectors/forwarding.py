"""A year's path from the city to province and nation."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q

from competition.models import Competition, Entry, EntryStatus, Forwarding, Outcome, OutcomeStep


@dataclass
class PipelineLevel:
    """The entries forwarded to one level (province or nation) and how far they got."""

    label: str
    forwardings: list[Forwarding]
    steps: list[tuple[str, int]]  # (outcome step label, entries that reached it)


@dataclass
class Pipeline:
    entered: int
    finalists: int
    levels: list[PipelineLevel]

    @property
    def n_forwarded(self) -> int:
        return sum(len(level.forwardings) for level in self.levels)


def forwarding_pipeline(competition: Competition) -> Pipeline:
    """A year's path from the city to province and nation, in three queries."""
    counts = Entry.objects.filter(competition=competition).aggregate(
        entered=Count("pk", filter=Q(status__in=EntryStatus.ENTERED)),
        finalists=Count("pk", filter=Q(status=EntryStatus.FINALIST)),
    )
    forwardings = (
        Forwarding.objects.filter(entry__competition=competition)
        .select_related("entry__innovation", "entry__agency", "round")
        .prefetch_related(
            Prefetch("outcomes", queryset=Outcome.objects.order_by("occurred_on", "pk"))
        )
        .order_by("level", "round__name", "entry__reference")
    )
    by_level: dict[str, list[Forwarding]] = {}
    for forwarding in forwardings:
        # A forwarding to a target round is listed under the round's name.
        label = forwarding.round.name if forwarding.round else forwarding.get_level_display()
        by_level.setdefault(label, []).append(forwarding)
    levels = [
        PipelineLevel(
            label=label,
            forwardings=fws,
            steps=[
                (step_label, sum(1 for fw in fws if any(o.step == step for o in fw.outcomes.all())))
                for step, step_label in OutcomeStep.choices
            ],
        )
        for label, fws in by_level.items()
    ]
    return Pipeline(entered=counts["entered"], finalists=counts["finalists"], levels=levels)
