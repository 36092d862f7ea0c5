"""Which image in the library is which demo picture, so that `load_demo` finds its pictures again.

Why a table and not the title, a tag or the file name: the titles are for people (Persian, editable),
tags are shown and edited in the image library (an editor clearing one would make the next `load_demo`
add a duplicate), and the storage may rename a file. A row here is invisible to editors, survives a new
title or a replaced file, and goes with its image when the image is deleted (the next load makes it again).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images import get_image_model_string


class DemoImage(models.Model):
    key = models.CharField(_("key"), max_length=100, unique=True)  # e.g. plan-12-hero
    image = models.OneToOneField(get_image_model_string(), on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("demo image")
        verbose_name_plural = _("demo images")

    def __str__(self):
        return self.key
