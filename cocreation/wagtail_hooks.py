"""The secretariat's admin: the domain and round snippets, and the co-creation viewset (permission-checked
views)."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, PageChooserPanel
from wagtail.admin.viewsets.base import ViewSet
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


class SecretariatMenuItem(MenuItem):
    def is_shown(self, request):
        return is_secretariat(request.user)


class SecretariatViewSet(ViewSet):
    """The secretariat's admin at /admin/cocreation/ as one Wagtail viewset: it owns the URLs (namespace
    `cocreation_admin`) and the menu item, shown to the secretariat only. The views themselves stay
    functions in admin_views (each checks the role): they are forms and reports over rounds, not the
    create/edit/delete of one model that Wagtail's ModelViewSet generates (rounds and domains have
    theirs, as snippets, above)."""

    name = "cocreation_admin"
    url_prefix = "cocreation"
    menu_label = _("Co-creation")
    menu_icon = "group"
    menu_order = 450
    add_to_admin_menu = True
    menu_item_class = SecretariatMenuItem

    def get_urlpatterns(self):
        return admin_views.urlpatterns


@hooks.register("register_admin_viewset")
def register_viewset():
    return SecretariatViewSet()
