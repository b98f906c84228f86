from django.contrib import admin

from core.admin_base import ModelAdmin
from referrals.models import PathwayStep


@admin.register(PathwayStep)
class PathwayStepAdmin(ModelAdmin):
    """The service pathway: which services each form of abuse requires or suggests."""

    list_display = ["abuse_form", "service", "requirement"]
    list_filter = ["abuse_form", "requirement"]
    list_editable = ["requirement"]
