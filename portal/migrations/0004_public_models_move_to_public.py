# The public page's content models moved to the `public` app (public/migrations/0001_initial.py).
# Only Django's idea of which app owns them changes: their tables stay as they are, named
# portal_article and so on, with every row and every history record in them.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('portal', '0003_public_information_page'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='casestudy',
                    name='facility',
                ),
                migrations.RemoveField(
                    model_name='historicalarticle',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalcasestudy',
                    name='facility',
                ),
                migrations.RemoveField(
                    model_name='historicalcasestudy',
                    name='history_user',
                ),
                migrations.RemoveField(
                    model_name='historicalpublicdocument',
                    name='history_user',
                ),
                migrations.DeleteModel(
                    name='Article',
                ),
                migrations.DeleteModel(
                    name='PublicDocument',
                ),
                migrations.DeleteModel(
                    name='CaseStudy',
                ),
                migrations.DeleteModel(
                    name='HistoricalArticle',
                ),
                migrations.DeleteModel(
                    name='HistoricalCaseStudy',
                ),
                migrations.DeleteModel(
                    name='HistoricalPublicDocument',
                ),
            ],
            database_operations=[],
        ),
    ]
