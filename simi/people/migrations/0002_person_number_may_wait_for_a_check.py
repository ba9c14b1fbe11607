# A record may hold a number without its index while an officer checks whose
# it is (accounts.IdentityClaim): a citizen needs a NIK, a foreigner a passport
# number, not their indexes. Reversible while every such number is indexed.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0007_person_moved_to_people'),
        ('people', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='person',
            name='person_citizen_has_nik',
        ),
        migrations.RemoveConstraint(
            model_name='person',
            name='person_foreigner_has_passport',
        ),
        migrations.AddConstraint(
            model_name='person',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'citizen'), _negated=True), ('nik__isnull', False), _connector='OR'), name='person_citizen_has_nik'),
        ),
        migrations.AddConstraint(
            model_name='person',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'foreigner'), _negated=True), ('passport_number__isnull', False), _connector='OR'), name='person_foreigner_has_passport'),
        ),
    ]
