"""A new or replaced media file is queued for processing once it commits; deleting a media item, an
output or a subtitle deletes its stored objects, once the delete commits; replacing a subtitle file
deletes the old one. A saved image has its renditions made in a task."""

import logging
from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_save
from wagtail.images import get_image_model

from media_pipeline.models import MediaItem, MediaOutput, Subtitle
from media_pipeline.tasks import enqueue_processing, enqueue_renditions

logger = logging.getLogger(__name__)


def delete_files(instance, field_names):
    for name in field_names:
        field_file = getattr(instance, name)
        if field_file and field_file.name:
            storage, key = field_file.storage, field_file.name

            def delete(storage=storage, key=key):
                try:
                    storage.delete(key)
                except Exception:  # the row is gone; log the object left behind
                    logger.exception("Could not delete %s from storage", key)

            transaction.on_commit(delete)


def register():
    files = {MediaItem: ("file", "thumbnail"), MediaOutput: ("file",), Subtitle: ("file",)}
    for model, fields in files.items():
        post_delete.connect(
            partial(_on_delete, fields=fields),
            sender=model,
            weak=False,
            dispatch_uid=f"media_pipeline_delete_{model.__name__}",
        )
    pre_save.connect(_on_subtitle_save, sender=Subtitle, dispatch_uid="media_pipeline_replace_subtitle")
    post_save.connect(_on_media_saved, sender=MediaItem, dispatch_uid="media_pipeline_process_new_file")
    post_save.connect(_on_image_saved, sender=get_image_model(), dispatch_uid="media_pipeline_renditions")


def _on_media_saved(sender, instance, **kwargs):
    if instance.file_replaced:
        enqueue_processing(instance)


# Saves that change neither the picture nor its focal point (Wagtail stores the file hash on first read).
RENDITION_FIELDS = {"file", "focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height"}


def _on_image_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if not raw and (update_fields is None or RENDITION_FIELDS & set(update_fields)):
        enqueue_renditions(instance)


def _on_delete(sender, instance, fields, **kwargs):
    delete_files(instance, fields)


def _on_subtitle_save(sender, instance, **kwargs):
    if instance.pk is None:
        return
    previous = Subtitle.objects.filter(pk=instance.pk).first()
    if previous and previous.file.name and previous.file.name != instance.file.name:
        delete_files(previous, ("file",))
