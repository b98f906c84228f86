from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import views
from core.health import healthz

READ = ["get", "head"]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", views.SignInView.as_view(), name="login"),
    path("accounts/logout/", views.SignOutView.as_view(), name="logout"),
    path("accounts/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/tokens/", views.my_tokens, name="tokens"),
    path("accounts/tokens/<int:token_id>/revoke/", views.revoke_token, name="token-revoke"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin signs in and out through the pages above: locked out and audited alike.
    path("admin/login/", views.admin_sign_in),
    path("admin/logout/", views.SignOutView.as_view()),
    # The admin's JavaScript strings, completed in Vietnamese (core.views.AdminJavaScriptCatalog).
    path(
        "admin/jsi18n/",
        admin.site.admin_view(
            views.AdminJavaScriptCatalog.as_view(packages=["django.contrib.admin"]), cacheable=True
        ),
    ),
    path("admin/", admin.site.urls),
    path("", include("documents.urls")),
    path("cases/", include("cases.urls")),
    path("referrals/", include("referrals.urls")),
    path("notifications/", include("notifications.urls")),
    path("inspections/", include("inspections.urls")),
    path("reports/", include("reports.urls")),
    path("access/", include("access.urls")),
    path("api/v1/", include("core.api_urls")),
    path("api/v1/", include("cases.api_urls")),
    path("api/v1/", include("referrals.api_urls")),
    path("api/v1/", include("notifications.api_urls")),
    path("api/v1/", include("inspections.api_urls")),
    path("api/v1/", include("reports.api_urls")),
    path("api/v1/", include("access.api_urls")),
    # Read only: an OPTIONS request would ask the docs page for a template it does not have.
    path("api/schema/", SpectacularAPIView.as_view(http_method_names=READ), name="schema"),
    # The split view serves its setup script as a file: the CSP allows no inline script.
    path(
        "api/docs/",
        SpectacularSwaggerSplitView.as_view(url_name="schema", http_method_names=READ),
        name="api-docs",
    ),
]

admin.site.site_header = "Che Chở"
admin.site.site_title = "Che Chở"
