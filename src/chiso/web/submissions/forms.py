"""The fields that the self-assessment's forms post; the answer itself is checked by the
criterion's rule in :func:`scoring.parse_answer`."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AnswerForm(forms.Form):
    code = forms.CharField(max_length=80)
    revision = forms.IntegerField(min_value=0, required=False)
    # no max_length: parse_answer refuses a long text with a message for the field
    value = forms.CharField(required=False, strip=True)
    denominator = forms.CharField(max_length=40, required=False, strip=True)
    not_applicable = forms.BooleanField(required=False)
    comment = forms.CharField(required=False)  # bounded by save_answer, with a message


FILE_ERRORS = {"required": _("Choose a file to upload."), "empty": _("The file is empty.")}


class EvidenceForm(forms.Form):
    code = forms.CharField(max_length=80)
    file = forms.FileField(label=_("File"), error_messages=FILE_ERRORS)


class ScanForm(forms.Form):
    file = forms.FileField(label=_("Signed and stamped form"), error_messages=FILE_ERRORS)


class SubmitForm(forms.Form):
    confirm = forms.BooleanField(required=False)


class WorkbookForm(forms.Form):
    file = forms.FileField(label=_("Filled-in workbook (XLSX)"), error_messages=FILE_ERRORS)
