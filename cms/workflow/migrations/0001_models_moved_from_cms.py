"""The sign-off task's models, moved here from `cms` (see cms 0004): taken into this app's state only,
since their tables already exist under this app's names. A new database gets them the same way."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cms', '0004_move_distribution_and_workflow_models'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('wagtailcore', '0098_apitoken'),
        ('wagtaildocs', '0014_alter_document_file_size'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='WrittenApprovalTask',
                fields=[
                    ('task_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='wagtailcore.task')),
                    ('groups', models.ManyToManyField(help_text='Pages/snippets at this step in a workflow will be moderated or approved by these groups of users', to='auth.group', verbose_name='groups')),
                ],
                options={
                    'verbose_name': 'written approval task',
                    'verbose_name_plural': 'written approval tasks',
                },
                bases=('wagtailcore.task',),
            ),
            migrations.CreateModel(
                name='WrittenApprovalTaskState',
                fields=[
                    ('taskstate_ptr', models.OneToOneField(auto_created=True, on_delete=django.db.models.deletion.CASCADE, parent_link=True, primary_key=True, serialize=False, to='wagtailcore.taskstate')),
                    ('approval_document', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtaildocs.document', verbose_name='written approval')),
                ],
                options={
                    'verbose_name': 'written approval task state',
                    'verbose_name_plural': 'written approval task states',
                },
                bases=('wagtailcore.taskstate',),
            ),
        ]),
    ]
