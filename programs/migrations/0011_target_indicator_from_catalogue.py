"""A target names its indicator by a catalogue entry's code (the column keeps the codes)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("programs", "0010_ship_plan_2020_indicators")]

    operations = [
        migrations.AlterField(
            model_name="historicaltarget",
            name="indicator",
            field=models.ForeignKey(
                blank=True,
                db_column="indicator",
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="programs.indicatordefinition",
                to_field="code",
                verbose_name="chỉ tiêu",
            ),
        ),
        migrations.AlterField(
            model_name="target",
            name="indicator",
            field=models.ForeignKey(
                db_column="indicator",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="targets",
                to="programs.indicatordefinition",
                to_field="code",
                verbose_name="chỉ tiêu",
            ),
        ),
    ]
