# Person moved here from core (core depends on no SIMI app, and a person's
# audited services belong with the record). State only: the table keeps its
# name, core_person, and its rows.

import uuid

import django.db.models.deletion
from django.db import migrations, models

import simi.core.fields


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("core", "0006_idempotency_record"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
        migrations.CreateModel(
                    name='Person',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                        ('kind', models.CharField(choices=[('citizen', 'Indonesian citizen'), ('foreigner', 'Foreigner')], max_length=10, verbose_name='kind')),
                        ('full_name', simi.core.fields.EncryptedTextField(verbose_name='full name')),
                        ('nik', simi.core.fields.EncryptedTextField(blank=True, null=True, verbose_name='NIK')),
                        ('nik_index', models.CharField(blank=True, editable=False, max_length=64, null=True, unique=True)),
                        ('passport_number', simi.core.fields.EncryptedTextField(blank=True, null=True, verbose_name='passport number')),
                        ('passport_index', models.CharField(blank=True, editable=False, max_length=64, null=True)),
                        ('nationality', models.CharField(help_text='ICAO code, e.g. IDN', max_length=3, verbose_name='nationality')),
                        ('sex', models.CharField(choices=[('M', 'Male'), ('F', 'Female'), ('X', 'Unspecified')], default='X', max_length=1, verbose_name='sex')),
                        ('birth_date', simi.core.fields.EncryptedDateField(blank=True, null=True, verbose_name='birth date')),
                        ('address', simi.core.fields.EncryptedTextField(blank=True, null=True, verbose_name='address')),
                        ('phone', simi.core.fields.EncryptedTextField(blank=True, null=True, verbose_name='phone')),
                        ('is_demo', models.BooleanField(default=False, verbose_name='synthetic demo record')),
                        ('region', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to='core.region', verbose_name='region')),
                    ],
                    options={
                        'verbose_name': 'person',
                        'verbose_name_plural': 'people',
                        'ordering': ['id'],
                        'db_table': 'core_person',
                        'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('kind', 'citizen'), _negated=True), ('nik_index__isnull', False), _connector='OR'), name='person_citizen_has_nik'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'foreigner'), _negated=True), ('passport_index__isnull', False), _connector='OR'), name='person_foreigner_has_passport'), models.UniqueConstraint(fields=('passport_index',), name='person_unique_passport')],
                    },
                ),
            ],
        ),
    ]
