"""Admin registration of the plans' snippets (units, people, upstream documents)."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from plans.models import OrganizationUnit, Person, UpstreamDocument


class OrganizationUnitViewSet(SnippetViewSet):
    model = OrganizationUnit
    icon = "group"
    list_display = ["name", "locale"]
    search_fields = ["name"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    list_display = ["name", "position", "locale"]
    search_fields = ["name"]


class UpstreamDocumentViewSet(SnippetViewSet):
    model = UpstreamDocument
    icon = "doc-full"
    list_display = ["title", "issuer", "year", "locale"]
    search_fields = ["title"]


class PlanSnippetsGroup(SnippetViewSetGroup):
    menu_label = _("Plan directory")
    menu_icon = "folder-open-inverse"
    menu_order = 300
    items = (OrganizationUnitViewSet, PersonViewSet, UpstreamDocumentViewSet)


register_snippet(PlanSnippetsGroup)
