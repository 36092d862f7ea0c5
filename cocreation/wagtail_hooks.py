"""The secretariat's admin: the domain snippet, and the co-creation menu (permission-checked views)."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cocreation import admin_views
from cocreation.models import Domain, Round
from cocreation.roles import is_secretariat

register_snippet(Domain)


class RoundViewSet(SnippetViewSet):
    """Rounds are created and edited here (dates typed in Asia/Tehran); their invitations, extensions and
    analysis live in the co-creation menu."""

    model = Round
    icon = "date"
    list_display = ["__str__", "call", "access", "starts_at", "ends_at"]
    panels = [
        PageChooserPanel("call", "cocreation.CallPage"),
        FieldPanel("number"),
        FieldPanel("title"),
        FieldPanel("access"),
        FieldPanel("starts_at"),
        FieldPanel("ends_at", help_text=_("Exclusive: the first instant the round is closed.")),
        FieldPanel("previous"),
    ]


register_snippet(RoundViewSet)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("cocreation/", include((admin_views.urlpatterns, "cocreation_admin")))]


class SecretariatMenuItem(MenuItem):
    def is_shown(self, request):
        return is_secretariat(request.user)


@hooks.register("register_admin_menu_item")
def register_menu_item():
    return SecretariatMenuItem(
        _("Co-creation"), reverse("cocreation_admin:rounds"), icon_name="group", order=450
    )
