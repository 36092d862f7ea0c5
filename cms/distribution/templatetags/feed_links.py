"""`{% feed_links page %}`: the `<link rel="alternate">` tags of the RSS and Atom feeds a page advertises."""

from django import template
from django.utils.html import format_html_join

from cms.distribution.feeds.links import alternate_links

register = template.Library()


@register.simple_tag(takes_context=True)
def feed_links(context, page=None):
    """The page's own feeds (given a page) and its language's site-wide feeds."""
    return format_html_join(
        "\n  ",
        '<link rel="alternate" type="{}" title="{}" href="{}">',
        alternate_links(context["request"], page),
    )
