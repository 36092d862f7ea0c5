"""Workflow admin hooks.

(Added by the publication gate, issue 13): a translation's completeness on the workflow screens, and
its submission in the page history.
"""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from cms.workflow import policy

hooks.register("revayat_workflow_notes", policy.translation_note)


@hooks.register("register_log_actions")
def register_translation_submitted_log_action(actions):
    @actions.register_action(policy.TRANSLATION_SUBMITTED)
    class TranslationSubmittedFormatter(LogFormatter):
        label = _("Translation submitted for review")

        def format_message(self, log_entry):
            if log_entry.data.get("partial"):
                return _("Submitted for review at %(percent)s%% translated, as partially translated") % {
                    "percent": log_entry.data.get("percent")}
            return _("Submitted for review, fully translated")
