"""Images: Pillow opens only the formats we accept, and the rendition sets the portal uses.

Restricting Pillow's openers means a TIFF, PSD, EPS or ICO renamed to .png is not parsed at all. Image
originals live in the private storage; only renditions (public storage) reach the public.
"""

import logging

from PIL import Image
from wagtail.images.models import SourceImageIOError

ALLOWED_PILLOW_FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "AVIF")

# Social crops: (name, Wagtail filter spec); `fill` crops around the focal point and never upscales, so
# an image smaller than 1200×1920 gives smaller crops of the same shapes.
SOCIAL_CROPS = [
    ("square", "fill-1080x1080"),
    ("portrait", "fill-1080x1350"),
    ("story", "fill-1080x1920"),
    ("link", "fill-1200x630"),
]
RESPONSIVE_WIDTHS = (480, 800, 1200, 1600)


def restrict_pillow_formats():
    """Unregister every Pillow decoder outside ALLOWED_PILLOW_FORMATS (idempotent)."""
    Image.init()
    for name in list(Image.OPEN):
        if name not in ALLOWED_PILLOW_FORMATS:
            del Image.OPEN[name]
    Image.ID[:] = [name for name in Image.ID if name in ALLOWED_PILLOW_FORMATS]


def avif_supported():
    """True when this Pillow can write AVIF."""
    return "AVIF" in Image.SAVE


def renditions_or_none(image, *specs):
    """{spec: rendition} of `image`, or None when its original is missing from storage (a bucket restored
    without it, a failed sync): the page or feed then goes without the image instead of failing."""
    try:
        return image.get_renditions(*specs)
    except SourceImageIOError:
        logging.getLogger(__name__).warning("The original file of image %s is missing", image.pk)
        return None


def rendition_or_none(image, spec):
    """`image`'s rendition for `spec`, or None when its original is missing from storage."""
    renditions = renditions_or_none(image, spec)
    return renditions[spec] if renditions else None
