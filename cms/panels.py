"""An edit-form panel that shows the publish-readiness checklist of the page being edited."""

from wagtail.admin.panels import Panel


class ReadinessChecklistPanel(Panel):
    """Lists each publication requirement as done or missing, in the admin's language: what Submit
    and the publication gate check (`BasePage.readiness_checklist`)."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "cms/panels/readiness_checklist.html"

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            checklist = self.instance.readiness_checklist() if self.instance else []
            context["checklist"] = sorted(checklist, key=lambda item: item.done)  # missing first
            context["missing_count"] = sum(1 for item in checklist if not item.done)
            return context
