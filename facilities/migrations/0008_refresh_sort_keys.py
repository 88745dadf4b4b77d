"""Recompute the stored name sort keys after the key became word-by-word (tones settle each
word before the next) and numbers began to compare by value."""

from django.db import migrations

from facilities.vietnamese import sort_key


def refresh(apps, schema_editor):
    Facility = apps.get_model("facilities", "Facility")
    batch = []
    for facility in Facility.objects.only("pk", "name").iterator(chunk_size=2000):
        facility.name_sort_key = sort_key(facility.name)
        batch.append(facility)
        if len(batch) == 2000:
            Facility.objects.bulk_update(batch, ["name_sort_key"])
            batch = []
    Facility.objects.bulk_update(batch, ["name_sort_key"])


class Migration(migrations.Migration):
    dependencies = [("facilities", "0007_evidence_validators")]
    operations = [migrations.RunPython(refresh, migrations.RunPython.noop)]
