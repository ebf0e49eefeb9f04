import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('membership', '0002_person_added_for'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='person',
            name='contact_details_shared_on',
            field=models.DateField(blank=True, help_text='The date the person agreed that the secretariat of every partnership they sit on may see their email address and phone number. Only a portal administrator records it.', null=True, verbose_name='contact details shared on'),
        ),
        migrations.AlterField(
            model_name='person',
            name='user',
            field=models.OneToOneField(blank=True, error_messages={'unique': 'That sign-in account already belongs to another person.'}, help_text='The sign-in account of this person, if they have one. Only a portal administrator links it.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='person', to=settings.AUTH_USER_MODEL),
        ),
    ]
