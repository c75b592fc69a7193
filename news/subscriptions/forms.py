"""The subscribe form and the management page's forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from news.models.release_choices import Language
from news.models.subscriptions import Frequency, Scope
from news.subscriptions.scopes import scope_object


class SettingsForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the e-mails"), choices=Language.choices)
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, initial=Frequency.IMMEDIATELY
    )


class SubscribeForm(SettingsForm):
    email = forms.EmailField(label=_("E-mail"), max_length=254)
    scope = forms.ChoiceField(choices=Scope.choices, initial=Scope.EVERYTHING)
    key = forms.CharField(required=False, max_length=40)
    # Left empty by people (it is hidden from them and from screen readers); bots fill it.
    website = forms.CharField(label=_("Leave this field empty"), required=False)
    field_order = ["email", "frequency", "language"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        scope, key = data.get("scope"), data.get("key", "")
        if scope and scope_object(scope, key) is None:
            raise forms.ValidationError(_("There is no such page to follow."), code="scope")
        return data

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get("website"))


class CorrectionsForm(forms.Form):
    corrections = forms.BooleanField(
        label=_("Send a notice when a release I received is corrected or withdrawn"),
        required=False,
    )
