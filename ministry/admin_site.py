"""The newsroom's admin site: Django's, with an optional second factor (a code from an
authenticator app, django-otp's TOTP) that Publishers must use when
NEWS_OTP_REQUIRED_FOR_PUBLISHERS is on."""

from __future__ import annotations

import base64
import io

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.qr import write_qrcode_image

from ministry.admin_names import named_in_case


def second_factor_required(user) -> bool:
    """Whoever may publish must log in with a code, when the setting says so."""
    return bool(
        getattr(settings, "NEWS_OTP_REQUIRED_FOR_PUBLISHERS", False)
        and user.is_authenticated
        and user.has_perm("news.publish_release")
    )


def verified(user) -> bool:
    """Did this session's login use a second factor? (False for a user logged in mid-request,
    whom OTPMiddleware has not seen.)"""
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def second_factor_satisfied(user) -> bool:
    """The two-factor rule, read by every page that only staff may see (the admin, documents of
    unpublished releases): whoever must log in with a code has done so in this session."""
    return verified(user) or not second_factor_required(user)


def staff_access(request: HttpRequest) -> bool:
    """The one rule for every page only staff may see: an active staff member who has given
    the second factor when the rule asks it of them."""
    user = request.user
    return user.is_active and user.is_staff and second_factor_satisfied(user)


def second_factor_redirect(request: HttpRequest) -> HttpResponse:
    """Where a logged-in user whom the rule stops goes: to link an app, or to log in with it."""
    if user_has_device(request.user):
        return redirect_to_login(request.get_full_path(), reverse("admin:login"))
    return redirect("admin:two-factor-setup")


class OptionalOTPAuthenticationForm(OTPAdminAuthenticationForm):
    """The admin login; the code from the app is asked only of users who have linked one."""

    def _chosen_device(self, user) -> TOTPDevice | None:
        # An account links one app (see two_factor_setup), so the login form has no device list.
        return super()._chosen_device(user) or (
            TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True).first()
        )

    def clean(self) -> dict:
        cleaned_data = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is not None and user_has_device(user):
            self.clean_otp(user)
        return cleaned_data


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from the app"),
        max_length=8,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}
        ),
    )


# Accounts, groups, lock-outs and second factors: listed after the newsroom's sections.
SECURITY_APPS = {"auth", "axes", "otp_totp", "otp_static", "django_otp"}


class MinistryAdminSite(admin.AdminSite):
    site_header = _("Ministry press service")
    site_title = _("Press service")
    index_title = _("Newsroom")
    empty_value_display = "—"
    login_form = OptionalOTPAuthenticationForm

    def has_permission(self, request: HttpRequest) -> bool:
        return staff_access(request)

    def register(self, model_or_iterable, admin_class=None, **options) -> None:
        """Every model's admin, the project's and the apps', names it in the right case."""
        admin_class = named_in_case(admin_class or admin.ModelAdmin)
        super().register(model_or_iterable, admin_class, **options)

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list:
        """The newsroom first, the accounts and their security last."""
        apps = super().get_app_list(request, app_label)
        return sorted(
            apps,
            key=lambda app: (app["app_label"] != "news", app["app_label"] in SECURITY_APPS),
        )

    def get_urls(self):
        return [
            path("two-factor/", self.two_factor_setup, name="two-factor-setup")
        ] + super().get_urls()

    @method_decorator(never_cache)
    def login(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        response = super().login(request, extra_context)
        if self._must_set_up_second_factor(request.user):
            return redirect("admin:two-factor-setup")
        return response

    @method_decorator(never_cache)
    def two_factor_setup(self, request: HttpRequest) -> HttpResponse:
        """Link an authenticator app to the account: scan the code, confirm with a code."""
        user = request.user
        if not (user.is_authenticated and user.is_active and user.is_staff):
            return redirect(f"{reverse('admin:login')}?next={request.path}")
        if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            messages.info(request, _("Two-factor login is already set up for your account."))
            return redirect("admin:index")
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None:
            device = TOTPDevice.objects.create(
                user=user, name=_("Authenticator app"), confirmed=False
            )
        form = TokenForm(request.POST or None)
        if form.is_valid():
            if device.verify_token(form.cleaned_data["token"]):
                device.confirmed = True
                device.save(update_fields=["confirmed"])
                otp_login(request, device)
                messages.success(
                    request, _("Two-factor login is on: you will be asked for a code.")
                )
                return redirect("admin:index")
            form.add_error("token", _("The code does not match. Check the time on your phone."))
        qr = io.BytesIO()
        write_qrcode_image(device.config_url, qr)
        context = {
            **self.each_context(request),
            "title": _("Two-factor login"),
            "form": form,
            "qr_data_uri": "data:image/svg+xml;base64," + base64.b64encode(qr.getvalue()).decode(),
            "secret": base64.b32encode(device.bin_key).decode(),
            "required": second_factor_required(user),
        }
        return render(request, "admin/two_factor_setup.html", context)

    def _must_set_up_second_factor(self, user) -> bool:
        return (
            user.is_authenticated
            and user.is_active
            and user.is_staff
            and not verified(user)
            and not user_has_device(user)
            and second_factor_required(user)
        )
