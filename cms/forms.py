"""Admin forms that check publish readiness when the editor publishes or submits for review."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

PUBLISHING_ACTIONS = ("action-publish", "action-submit", "action-workflow-action")


class ReadinessPageForm(WagtailAdminPageForm):
    """Refuses 'publish' and 'submit for review' while mandatory elements are missing.

    Saving a draft is always allowed: an editor keeps work in progress without losing anything.
    """

    def _post_clean(self):
        super()._post_clean()
        if not any(action in self.data for action in PUBLISHING_ACTIONS):
            return
        missing = self.instance.missing_for_publication()
        if missing:
            self.add_error(None, ValidationError(
                [_("This page cannot be published yet. Missing:")]
                + [item.label for item in missing]
            ))
