"""Images: Pillow opens only the formats we accept, and the rendition sets the portal uses.

Restricting Pillow's openers means a TIFF, PSD, EPS or ICO renamed to .png is not parsed at all. Image
originals live in the private storage; only renditions (public storage) reach the public.
"""

from PIL import Image

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
