from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import views
from core.health import healthz

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("cases/", include("cases.urls")),
    path("referrals/", include("referrals.urls")),
    path("notifications/", include("notifications.urls")),
    path("inspections/", include("inspections.urls")),
    path("reports/", include("reports.urls")),
    path("api/v1/", include("core.api_urls")),
    path("api/v1/", include("cases.api_urls")),
    path("api/v1/", include("referrals.api_urls")),
    path("api/v1/", include("notifications.api_urls")),
    path("api/v1/", include("inspections.api_urls")),
    path("api/v1/", include("reports.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its setup script as a file: the CSP allows no inline script.
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
]

admin.site.site_header = "Che Chở"
admin.site.site_title = "Che Chở"
