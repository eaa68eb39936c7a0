"""QA: the empty leaderboard's message spans the whole table, whatever the rubric's size."""

import re

from django.urls import reverse

from tests import factories as f


def test_empty_leaderboard_message_spans_every_column(client, organiser):
    stage = f.StageFactory()
    f.CriterionFactory.create_batch(5, stage=stage)
    client.force_login(organiser)

    page = client.get(reverse("competition:results_stage", args=[stage.pk])).content.decode()

    table = page[
        page.index('id="leaderboard"') : page.index("</table>", page.index('id="leaderboard"'))
    ]
    header = table[table.index("<thead>") : table.index("</thead>")]
    columns = len(re.findall(r"<th\b", header))
    assert columns == 13
    assert f'<td colspan="{columns}" class="text-muted">Belum ada proposal yang dinilai' in table
