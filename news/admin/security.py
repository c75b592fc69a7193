"""django-axes' records of logins, with a date hierarchy that refuses years out of range; the
task queue's rows kept out of the admin."""

from __future__ import annotations

from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin

from news.admin.listing import DateHierarchyMixin

for model, model_admin in [
    (AccessAttempt, AccessAttemptAdmin),
    (AccessLog, AccessLogAdmin),
    (AccessFailureLog, AccessFailureLogAdmin),
]:
    if admin.site.is_registered(model):
        admin.site.unregister(model)
    admin.site.register(model, type(model_admin.__name__, (DateHierarchyMixin, model_admin), {}))

# The task queue's raw rows (django-tasks-db) are the worker's, not an editor's: the state of
# deliveries is shown with the subscribers instead. Nothing in them is for the admin's forms.
try:
    from django_tasks_db.models import DBTaskResult
except ImportError:  # pragma: no cover - the package is in requirements.txt
    DBTaskResult = None
if DBTaskResult is not None and admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
