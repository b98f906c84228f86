from django.contrib import admin

from referrals.models import PathwayStep


@admin.register(PathwayStep)
class PathwayStepAdmin(admin.ModelAdmin):
    """The service pathway: which services each form of abuse requires or suggests."""

    list_display = ["abuse_form", "service", "requirement"]
    list_filter = ["abuse_form", "requirement"]
    list_editable = ["requirement"]
