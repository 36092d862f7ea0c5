"""The workflow as its own app: editorial roles, the written-approval sign-off and translation checks."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "cms.workflow"
    label = "workflow"
    verbose_name = _("Workflow")

    def ready(self):
        from cms.workflow import approval, localize, signal_handlers

        signal_handlers.register_signal_handlers(self)
        localize.apply_fixes()
        approval.install()
