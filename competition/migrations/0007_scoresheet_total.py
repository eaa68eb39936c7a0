from collections import defaultdict

from django.db import migrations, models


def store_submitted_sheet_totals(apps, schema_editor):
    """Give every sheet submitted before this migration the total the leaderboard used to
    compute on the fly: sum of score / max x weight over the stage's criteria, in
    criterion order then pk, as floats; none when a criterion has no score. The
    arithmetic is written out here, as competition.stats.sheet_total had it, so that
    this migration never changes with the code."""
    Criterion = apps.get_model("competition", "Criterion")
    Score = apps.get_model("competition", "Score")
    ScoreSheet = apps.get_model("competition", "ScoreSheet")
    criteria = defaultdict(list)
    for c in Criterion.objects.order_by("stage_id", "order", "pk"):
        criteria[c.stage_id].append((c.pk, float(c.max_score), float(c.weight)))
    scores = defaultdict(dict)
    for sheet_id, criterion_id, value in Score.objects.filter(
        sheet__status="submitted"
    ).values_list("sheet_id", "criterion_id", "value"):
        scores[sheet_id][criterion_id] = float(value)
    sheets = list(ScoreSheet.objects.filter(status="submitted"))
    for sheet in sheets:
        values, total = scores[sheet.pk], 0.0
        for criterion_id, max_score, weight in criteria[sheet.stage_id]:
            if criterion_id not in values:
                total = None
                break
            total += values[criterion_id] / max_score * weight
        sheet.total = total
    ScoreSheet.objects.bulk_update(sheets, ["total"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [
        ("competition", "0006_field_labels_in_indonesian"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalscoresheet",
            name="total",
            field=models.FloatField(
                blank=True, editable=False, null=True, verbose_name="nilai total"
            ),
        ),
        migrations.AddField(
            model_name="scoresheet",
            name="total",
            field=models.FloatField(
                blank=True, editable=False, null=True, verbose_name="nilai total"
            ),
        ),
        migrations.RunPython(store_submitted_sheet_totals, migrations.RunPython.noop),
    ]
