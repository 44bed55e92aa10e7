"""The identity pages (views_identity.py), included at the site's root by zhengwu.urls."""

from django.urls import path

from . import views_identity as views

urlpatterns = [
    path("login/verify/", views.verify_page, name="login-verify"),
    path("account/", views.account_page, name="account"),
    path("account/password/", views.password_page, name="account-password"),
    path("account/two-factor/", views.enrol_page, name="account-two-factor"),
    path("account/two-factor/remove/", views.twofactor_remove, name="account-two-factor-remove"),
    path("security/lockouts/", views.lockouts_page, name="security-lockouts"),
    path("security/policy/", views.policy_page, name="security-policy"),
    path("security/two-factor/reset/", views.twofactor_reset, name="security-two-factor-reset"),
]
