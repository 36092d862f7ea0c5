"""The sign-off form: the written-approval document (from the restricted collection) and a note.

The chosen document travels as its id so that the edit view's "approve while editing" path, which
sends the form's cleaned data through JSON, works as well as the dashboard's approval modal.
"""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model

from cms.workflow.documents import restricted_documents
from cms.workflow.roles import RESTRICTED_COLLECTION


def restricted_document_choices():
    return [("", "---------")] + [
        (document.pk, document.title) for document in restricted_documents().order_by("-created_at")
    ]


class WrittenApprovalForm(forms.Form):
    """Both fields are required; the document must sit in the restricted collection."""

    approval_document = forms.TypedChoiceField(
        label=_("Written approval"),
        coerce=int,
        choices=restricted_document_choices,
        help_text=format_lazy(
            _(
                "Upload the signed approval to the “{collection}” document collection "
                "first, then choose it here."
            ),
            collection=RESTRICTED_COLLECTION,
        ),
        error_messages={
            "required": _(
                "Attach the written approval: choose the signed approval "
                "document from the confidential collection."
            ),
            "invalid_choice": _("The written approval must be a document from the confidential collection."),
        },
    )
    comment = forms.CharField(
        label=_("Approver's note"),
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
        error_messages={"required": _("Write a note about the approval (reference, scope, conditions).")},
    )

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(self.fields["comment"].error_messages["required"])
        return comment

    @property
    def chosen_document(self):
        return get_document_model().objects.get(pk=self.cleaned_data["approval_document"])
