"""The sign-off form: the written approval (uploaded in the dialog, or chosen from the restricted
collection), a note, and the plan's other pages approved with it.

The document travels as its id so that the edit view's "approve while editing" path, which sends the
form's cleaned data through JSON, works as well as the dashboard's approval dialog: an upload is stored
in the restricted collection during validation (only when the dialog asks for it, `store_upload`) and
replaced by the new document's id.
"""

import os

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from wagtail.documents import get_document_model
from wagtail.documents.forms import get_document_form

from cms.workflow.documents import restricted_collection, restricted_documents
from cms.workflow.roles import RESTRICTED_COLLECTION


def restricted_document_choices():
    return [("", "---------")] + [
        (document.pk, document.title) for document in restricted_documents().order_by("-created_at")
    ]


class WrittenApprovalForm(forms.Form):
    """A written approval (an upload or a document of the restricted collection) and a note."""

    approval_file = forms.FileField(
        label=_("Upload the signed approval"),
        required=False,
        help_text=format_lazy(
            _("The scanned or signed letter; it is kept in the “{collection}” collection."),
            collection=RESTRICTED_COLLECTION,
        ),
    )
    approval_document = forms.TypedChoiceField(
        label=_("Or choose one already uploaded"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=restricted_document_choices,
        error_messages={
            "invalid_choice": _("The written approval must be a document from the confidential collection."),
        },
    )
    comment = forms.CharField(
        label=_("Approver's note"),
        widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}),
        error_messages={"required": _("Write a note about the approval (reference, scope, conditions).")},
    )
    bundle = forms.TypedMultipleChoiceField(
        label=_("Approve with it"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Pages of the same plan waiting for this sign-off; each is recorded with its own version."
        ),
    )

    missing_message = _(
        "Attach the written approval: upload the signed approval, or choose it from the "
        "confidential collection."
    )

    def __init__(
        self, data=None, files=None, *, user=None, bundle_choices=None, store_upload=False, **kwargs
    ):
        super().__init__(data, files, **kwargs)
        self.user = user
        self.store_upload = store_upload
        self.fields["bundle"].choices = bundle_choices or []
        if not bundle_choices:
            self.fields["bundle"].widget = forms.MultipleHiddenInput()

    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(self.fields["comment"].error_messages["required"])
        return comment

    def clean_approval_file(self):
        upload = self.cleaned_data.get("approval_file")
        if upload is None:
            return None
        collection = restricted_collection()
        document_form_class = get_document_form(get_document_model())
        title = os.path.splitext(os.path.basename(upload.name))[0] or upload.name
        self._document_form = document_form_class(
            {"title": title, "collection": collection.pk if collection else ""},
            {"file": upload},
            user=self.user,
        )
        if not self._document_form.is_valid():
            # The file's own reasons (extension, content), not those of the fields the dialog fills in.
            errors = self._document_form.errors.get("file") or [
                error for errors in self._document_form.errors.values() for error in errors
            ]
            raise forms.ValidationError(errors)
        return upload

    def clean(self):
        cleaned = super().clean()
        upload, document = cleaned.get("approval_file"), cleaned.get("approval_document")
        if upload is None and document is None and not self.has_error("approval_file"):
            self.add_error("approval_file", self.missing_message)  # the dialog's first field
        if self.errors:
            return cleaned
        if upload is not None and self.store_upload:
            stored = self._document_form.save(commit=False)
            stored.uploaded_by_user = self.user
            stored.save()
            cleaned["approval_document"] = stored.pk
        cleaned.pop("approval_file", None)  # the edit view sends the cleaned data through JSON
        return cleaned

    @property
    def chosen_document(self):
        return get_document_model().objects.get(pk=self.cleaned_data["approval_document"])
