# The idempotency record moved here from applications (plumbing that every
# domain's API uses). State only: the table keeps its name and its rows.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0005_rate_counter"),
        ("applications", "0003_guided_details"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="IdempotencyRecord",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                            ),
                        ),
                        ("key", models.CharField(max_length=100, verbose_name="key")),
                        (
                            "fingerprint",
                            models.CharField(
                                max_length=64, verbose_name="request fingerprint (SHA-256)"
                            ),
                        ),
                        (
                            "response_status",
                            models.PositiveSmallIntegerField(verbose_name="response status"),
                        ),
                        ("response_body", models.JSONField(verbose_name="response body")),
                        (
                            "created_at",
                            models.DateTimeField(
                                db_index=True,
                                default=django.utils.timezone.now,
                                verbose_name="created at",
                            ),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "applications_idempotencyrecord",
                        "verbose_name": "idempotency record",
                        "verbose_name_plural": "idempotency records",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("owner", "key"), name="idempotency_unique_owner_key"
                            )
                        ],
                    },
                ),
            ],
        ),
    ]
