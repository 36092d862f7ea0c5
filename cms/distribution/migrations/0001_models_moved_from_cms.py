"""Distribution's models, moved here from `cms` (see cms 0004): taken into this app's state only, since
their tables already exist under this app's names. A new database gets them the same way."""

import uuid

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('cms', '0004_move_distribution_and_workflow_models'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('wagtailcore', '0098_apitoken'),
        migrations.swappable_dependency(settings.WAGTAIL_PAGE_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='Channel',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                    ('kind', models.CharField(choices=[('portal_webhook', 'Organization portal webhook'), ('telegram', 'Telegram'), ('bale', 'Bale'), ('eitaa', 'Eitaa'), ('instagram', 'Instagram'), ('aparat', 'Aparat'), ('x', 'X')], max_length=20, verbose_name='kind')),
                    ('target', models.CharField(blank=True, help_text='Chat or channel id (@name), Instagram account id, or webhook URL.', max_length=200, verbose_name='target')),
                    ('base_url', models.URLField(blank=True, help_text="Empty: the service's public API. Set it for a self-hosted or relayed API server.", verbose_name='API address')),
                    ('credentials_name', models.SlugField(help_text='Read from the environment variable REVAYAT_CHANNEL_<NAME> or the secrets file; never stored here.', max_length=60, verbose_name='credentials name')),
                    ('enabled', models.BooleanField(default=True, verbose_name='enabled')),
                    ('locale', models.ForeignKey(blank=True, help_text='Only pages in this language go to the channel; empty: every language.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='wagtailcore.locale', verbose_name='language')),
                ],
                options={
                    'verbose_name': 'distribution channel',
                    'verbose_name_plural': 'distribution channels',
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='DistributionRule',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=150, verbose_name='name')),
                    ('enabled', models.BooleanField(default=True, verbose_name='enabled')),
                    ('channel', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='rules', to='distribution.channel', verbose_name='channel')),
                    ('page_type', models.ForeignKey(blank=True, help_text='Empty: every page type.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='contenttypes.contenttype', verbose_name='page type')),
                ],
                options={
                    'verbose_name': 'distribution rule',
                    'verbose_name_plural': 'distribution rules',
                    'ordering': ['name'],
                },
            ),
            migrations.CreateModel(
                name='OutboxEntry',
                fields=[
                    ('id', models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                    ('page_key', models.PositiveIntegerField(db_index=True, verbose_name='page id')),
                    ('page_title', models.CharField(max_length=255, verbose_name='page title')),
                    ('language_code', models.CharField(max_length=10, verbose_name='language')),
                    ('event', models.CharField(choices=[('publish', 'Publish'), ('update', 'Update'), ('unpublish', 'Unpublish'), ('delete', 'Delete')], max_length=10, verbose_name='event')),
                    ('idempotency_key', models.CharField(max_length=100, unique=True, verbose_name='idempotency key')),
                    ('status', models.CharField(choices=[('pending', 'Pending'), ('queued', 'Queued'), ('sending', 'Sending'), ('sent', 'Sent'), ('skipped', 'Skipped'), ('uncertain', 'Needs checking'), ('dead', 'Failed'), ('cancelled', 'Cancelled')], db_index=True, default='pending', max_length=10, verbose_name='status')),
                    ('reason', models.TextField(blank=True, verbose_name='reason')),
                    ('attempts', models.PositiveSmallIntegerField(default=0, verbose_name='attempts')),
                    ('next_attempt_at', models.DateTimeField(db_index=True, verbose_name='next attempt')),
                    ('lease_until', models.DateTimeField(blank=True, null=True)),
                    ('state', models.JSONField(blank=True, default=dict)),
                    ('remote_id', models.CharField(blank=True, max_length=200, verbose_name='remote id')),
                    ('remote_url', models.URLField(blank=True, max_length=500, verbose_name='remote address')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                    ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='finished')),
                    ('channel', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='outbox', to='distribution.channel', verbose_name='channel')),
                    ('page', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.WAGTAIL_PAGE_MODEL, verbose_name='page')),
                    ('revision', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='wagtailcore.revision')),
                ],
                options={
                    'verbose_name': 'outbox entry',
                    'verbose_name_plural': 'outbox entries',
                    'ordering': ['-created_at'],
                    'permissions': [('act_on_outboxentry', 'Can retry, cancel or mark outbox entries as sent')],
                },
            ),
            migrations.CreateModel(
                name='Attempt',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('number', models.PositiveSmallIntegerField()),
                    ('started_at', models.DateTimeField(auto_now_add=True)),
                    ('finished_at', models.DateTimeField(blank=True, null=True)),
                    ('posting', models.BooleanField(default=False)),
                    ('outcome', models.CharField(choices=[('running', 'Running'), ('sent', 'Sent'), ('skipped', 'Skipped'), ('retry', 'Will retry'), ('dead', 'Failed'), ('interrupted', 'Interrupted')], default='running', max_length=12)),
                    ('http_status', models.PositiveSmallIntegerField(blank=True, null=True)),
                    ('detail', models.TextField(blank=True)),
                    ('retry_after', models.FloatField(blank=True, null=True)),
                    ('entry', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='attempt_history', to='distribution.outboxentry')),
                ],
                options={
                    'ordering': ['entry', 'number'],
                },
            ),
            migrations.CreateModel(
                name='RemotePost',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('page_key', models.PositiveIntegerField()),
                    ('remote_id', models.CharField(max_length=200)),
                    ('remote_url', models.URLField(blank=True, max_length=500)),
                    ('posted_at', models.DateTimeField()),
                    ('deleted_at', models.DateTimeField(blank=True, null=True)),
                    ('channel', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='posts', to='distribution.channel')),
                ],
            ),
            migrations.AddIndex(
                model_name='outboxentry',
                index=models.Index(fields=['status', 'next_attempt_at'], name='outbox_due'),
            ),
            migrations.AddConstraint(
                model_name='attempt',
                constraint=models.UniqueConstraint(fields=('entry', 'number'), name='one_attempt_number'),
            ),
            migrations.AddConstraint(
                model_name='remotepost',
                constraint=models.UniqueConstraint(fields=('channel', 'page_key'), name='one_post_per_page'),
            ),
        ]),
    ]
