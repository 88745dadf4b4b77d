# Permissions, admin log entries and anything else that names a model through its content type
# point at the django_content_type row, not at the app. Relabelling those rows portal → public
# keeps every such link on the moved models instead of leaving it on a stale "portal" row.

from django.db import migrations

MOVED = [
    "article",
    "casestudy",
    "publicdocument",
    "historicalarticle",
    "historicalcasestudy",
    "historicalpublicdocument",
]


def relabel(apps, schema_editor, old_label: str, new_label: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    alias = schema_editor.connection.alias
    for model in MOVED:
        old = ContentType.objects.using(alias).filter(app_label=old_label, model=model).first()
        if old is None:
            continue  # a new database: post_migrate creates the rows under the new label
        # A row under the new label exists only if post_migrate ran between the two states (a
        # step-by-step migrate): it has nothing but the permissions it was created with, which the
        # old row has too, so it gives way to the old one.
        duplicate = ContentType.objects.using(alias).filter(app_label=new_label, model=model)
        Permission.objects.using(alias).filter(content_type__in=duplicate).delete()
        duplicate.delete()
        old.app_label = new_label
        old.save(update_fields=["app_label"])


def forwards(apps, schema_editor) -> None:
    relabel(apps, schema_editor, "portal", "public")


def backwards(apps, schema_editor) -> None:
    relabel(apps, schema_editor, "public", "portal")


class Migration(migrations.Migration):

    dependencies = [
        ('public', '0001_initial'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('auth', '0012_alter_user_first_name_max_length'),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
