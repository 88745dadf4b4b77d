import uuid

from django.db import migrations, models


def add_version(apps, schema_editor):
    """The one row whose token the cached figures are keyed by (idempotent: the tests put it
    back after a flush)."""
    FiguresVersion = apps.get_model("reporting", "FiguresVersion")
    FiguresVersion.objects.get_or_create(pk=1, defaults={"token": uuid.uuid4().hex})


class Migration(migrations.Migration):
    dependencies = [("reporting", "0009_kept_savings")]

    operations = [
        migrations.CreateModel(
            name="FiguresVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("token", models.CharField(max_length=32)),
            ],
            options={
                "verbose_name": "phiên bản số liệu",
                "verbose_name_plural": "phiên bản số liệu",
            },
        ),
        migrations.RunPython(add_version, migrations.RunPython.noop),
    ]
