"""A security log of who logged in, who failed to, and whose rights changed."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, pre_save
from django.http import HttpRequest

logger = logging.getLogger("ministry.security")

WATCHED_FLAGS = ["is_active", "is_staff", "is_superuser"]


def client_address(request: HttpRequest | None) -> str:
    return request.META.get("REMOTE_ADDR", "-") if request is not None else "-"


def log_login(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    logger.info("login user=%s address=%s", user.get_username(), client_address(request))


def log_logout(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    name = user.get_username() if user is not None else "-"
    logger.info("logout user=%s address=%s", name, client_address(request))


def log_login_failure(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    # credentials come with the password already masked by Django; only the name is logged.
    logger.warning(
        "login failed user=%s address=%s",
        credentials.get("username", "-"),
        client_address(request),
    )


def log_flag_changes(sender: Any, instance: Any, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not set(update_fields) & set(WATCHED_FLAGS):
        return  # e.g. last_login on every login: nothing about rights
    if instance.pk is None:
        logger.info("account created user=%s", instance.get_username())
        return
    before = sender.objects.filter(pk=instance.pk).values(*WATCHED_FLAGS).first() or {}
    for flag in WATCHED_FLAGS:
        if flag in before and before[flag] != getattr(instance, flag):
            logger.warning(
                "rights changed user=%s %s=%s",
                instance.get_username(),
                flag,
                getattr(instance, flag),
            )


def log_membership_changes(
    sender: Any, instance: Any, action: str, pk_set: set[int] | None, model: Any, **kwargs: Any
) -> None:
    """Log groups and permissions given or taken, from whichever side the change was made."""
    verbs = {"post_add": "added", "post_remove": "removed", "post_clear": "cleared"}
    if action not in verbs:
        return
    names = ", ".join(sorted(str(obj) for obj in model.objects.filter(pk__in=pk_set or [])))
    if isinstance(instance, get_user_model()):
        holder = f"user={instance.get_username()}"
    else:
        holder = f"{instance._meta.model_name}={instance}"
    logger.warning(
        "rights changed %s %s %s: %s",
        holder,
        model._meta.model_name,
        verbs[action],
        names or "-",
    )


def connect() -> None:
    User = get_user_model()
    user_logged_in.connect(log_login, dispatch_uid="security-login")
    user_logged_out.connect(log_logout, dispatch_uid="security-logout")
    user_login_failed.connect(log_login_failure, dispatch_uid="security-login-failed")
    pre_save.connect(log_flag_changes, sender=User, dispatch_uid="security-flags")
    for through in [
        User.groups.through,
        User.user_permissions.through,
        Group.permissions.through,
    ]:
        m2m_changed.connect(
            log_membership_changes, sender=through, dispatch_uid=f"security-{through.__name__}"
        )
