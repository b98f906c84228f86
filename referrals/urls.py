from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:referral_id>/", views.referral_detail, name="detail"),
    path("<int:referral_id>/<str:name>/", views.referral_step, name="step"),
    path("case/<int:case_id>/refer/", views.refer_case, name="refer"),
    path("case/<int:case_id>/refer-all/", views.refer_all, name="refer_all"),
    path("case/<int:case_id>/waive/", views.waive, name="waive"),
]
