# BatchExport becomes a core.jobs.BackgroundJob: archives are made by a queued task, no longer by a
# thread inside the web worker.

from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def fail_thread_era_exports(apps, schema_editor):
    """Archives left waiting or running by the old threads have no task that will ever run them, and
    would block a new request for their UPT (one unfinished archive each): they end as failed, with
    the reason and the "try again" button the status page shows for any failed archive."""
    BatchExport = apps.get_model("pledges", "BatchExport")
    BatchExport.objects.filter(status__in=["pending", "running"]).update(
        status="failed",
        error="Terhenti saat pembaruan sistem. Silakan coba lagi.",
        finished_at=timezone.now(),
    )


class Migration(migrations.Migration):

    dependencies = [
        ('facilities', '0002_verbose_names'),
        ('pledges', '0004_campaign_window_in_sensible_years'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='batchexport',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='batchexport',
            name='heartbeat_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='batchexport',
            name='started_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='batchexport',
            name='task_id',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.RunPython(fail_thread_era_exports, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name='batchexport',
            constraint=models.UniqueConstraint(condition=models.Q(('status__in', ['pending', 'running'])), fields=('campaign', 'facility'), name='one_unfinished_archive_per_upt'),
        ),
    ]
