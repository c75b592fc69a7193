"""Strings of Django's admin and of the apps the admin shows that the project's catalogue
translates: Belarusian where an app has none, and Russian where Django's puts a name in the
wrong case or gender ("Публикация “…” был изменен"). Listed here so that makemessages keeps
them; the catalogues in locale/ take precedence over Django's and the apps'."""

from __future__ import annotations

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

STRINGS = [
    # Django
    gettext_noop("- Select an option -"),
    gettext_noop("Save and add another"),
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Add another %(verbose_name)s"),
    gettext_noop("Add another %(model)s"),
    gettext_noop("Change selected %(model)s"),
    gettext_noop("View selected %(model)s"),
    gettext_noop("Delete selected %(model)s"),
    gettext_noop("The {name} “{obj}” was added successfully."),
    gettext_noop("The {name} “{obj}” was added successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was added successfully. You may add another {name} below."),
    gettext_noop("The {name} “{obj}” was changed successfully."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may edit it again below."),
    gettext_noop("The {name} “{obj}” was changed successfully. You may add another {name} below."),
    gettext_noop("The %(name)s “%(obj)s” was deleted successfully."),
    ngettext_lazy(
        "%(count)s %(name)s was changed successfully.",
        "%(count)s %(name)s were changed successfully.",
        "count",
    ),
    ngettext_lazy(
        "Successfully deleted %(count)d %(items)s.",
        "Successfully deleted %(count)d %(items)s.",
        "count",
    ),
    # Django's Belarusian in the official spelling ("Выйсці", not "Выйсьці")
    gettext_noop("Log out"),
    gettext_noop("Change password"),
    gettext_noop("Password change"),
    gettext_noop("Change my password"),
    gettext_noop("Change:"),
    gettext_noop("Today"),
    gettext_noop("Action"),
    gettext_noop("Action:"),
    gettext_noop("action time"),
    gettext_noop("action flag"),
    gettext_noop("My actions"),
    gettext_noop("No action selected."),
    gettext_noop("Select this object for an action - {}"),
    gettext_noop("Select all objects on this page for an action"),
    gettext_noop("December"),
    pgettext_lazy("alt. month", "December"),
    # django-axes
    gettext_noop("Form Data"),
    gettext_noop("Meta Data"),
    gettext_noop("Account locked: too many login attempts. Please try again later."),
    gettext_noop(
        "Account locked: too many login attempts. Contact an admin to unlock your account."
    ),
    gettext_noop("User Agent"),
    gettext_noop("IP Address"),
    gettext_noop("Username"),
    gettext_noop("HTTP Accept"),
    gettext_noop("Path"),
    gettext_noop("Attempt Time"),
    gettext_noop("Access lock out"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("GET Data"),
    gettext_noop("POST Data"),
    gettext_noop("Failed Logins"),
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("Logout Time"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    # django-taggit
    gettext_noop("Taggit"),
    gettext_noop("Please provide a comma-separated list of tags."),
    gettext_noop("Tags"),
    gettext_noop("A comma-separated list of tags."),
    pgettext_lazy("A tag name", "name"),
    pgettext_lazy("A tag slug", "slug"),
    gettext_noop("tag"),
    gettext_noop("tags"),
    gettext_noop("%(object)s tagged with %(tag)s"),
    gettext_noop("content type"),
    gettext_noop("object ID"),
    gettext_noop("tagged item"),
    gettext_noop("tagged items"),
    gettext_noop('Expected a list of items but got type "{input_type}".'),
    gettext_noop("Invalid json list. A tag list submitted in string form must be valid json."),
    gettext_noop("All list items must be of string type."),
    # django-otp
    gettext_noop("Please enter your OTP token."),
    gettext_noop("Error generating challenge: {0}"),
    gettext_noop("The selected OTP device is not interactive"),
    gettext_noop("OTP Challenge: {0}"),
    gettext_noop("Invalid token. Please make sure you have entered it correctly."),
    ngettext_lazy(
        "Verification temporarily disabled because of %(failure_count)d failed attempt, please try again soon.",  # noqa: E501
        "Verification temporarily disabled because of %(failure_count)d failed attempts, please try again soon.",  # noqa: E501
        "count",
    ),
    gettext_noop("Verification of the token is currently disabled"),
    gettext_noop("sent by email"),
    gettext_noop(
        "You are authenticated as %(username)s, but are not authorized to access this page. Would you like to login to a different account?"  # noqa: E501
    ),
    gettext_noop("OTP Device:"),
    gettext_noop("OTP Token:"),
    gettext_noop("Forgotten your password or username?"),
    gettext_noop("Log in"),
    gettext_noop("Get OTP Challenge"),
    # django-prose-editor
    gettext_noop("Title"),
    gettext_noop("Update"),
    gettext_noop("Cancel"),
]
