// Not loaded by any page: the strings of Django's admin scripts that the project's djangojs
// catalogue translates (Django's Russian lacks them or reads "и и нажмите"), listed here so
// that makemessages keeps them. The admin's jsi18n serves locale/ before Django's catalogue.
gettext_noop('Remove %s by selecting them and then select the "Remove" arrow button.')
gettext_noop("Today (%(date)s)")
gettext_noop("Yesterday (%(date)s)")
gettext_noop("Tomorrow (%(date)s)")
gettext_noop("Previous (%(month)s %(year)s)")
gettext_noop("Next (%(month)s %(year)s)")
gettext_noop("%(month)s %(day)s, %(year)s")
gettext_noop("%s (today, current selection)")
gettext_noop("%s (today)")
gettext_noop("%s (current selection)")
gettext_noop("server")
gettext_noop("Today")
gettext_noop(
  "You have unsaved changes on individual editable fields. If you run an action, your unsaved changes will be lost.",
)
gettext_noop(
  "You have selected an action, but you haven’t saved your changes to individual fields yet. Please click OK to save. You’ll need to re-run the action.",
)
gettext_noop(
  "You have selected an action, and you haven’t made any changes on individual fields. You’re probably looking for the Run button rather than the Save button.",
)
