from django.db import migrations

# On PostgreSQL the database itself refuses to rewrite the audit trail.
APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION core_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'core_auditevent is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
CREATE TRIGGER core_auditevent_append_only
    BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION core_auditevent_append_only();
"""
DROP_SQL = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS core_auditevent_append_only();
"""

# The agency kinds Plan 114 names (DOMAIN §3); sysadmins add or rename them later.
DEFAULT_AGENCY_KINDS = [
    ("commune_committee", "Ủy ban nhân dân xã", "Commune People's Committee"),
    (
        "provincial_child_protection_lead",
        "Cơ quan chủ trì bảo vệ trẻ em cấp tỉnh",
        "Provincial child-protection lead",
    ),
    ("police", "Công an", "Police"),
    ("forensic_medicine", "Trung tâm pháp y", "Forensic medicine"),
    ("health_facility", "Cơ sở y tế", "Health facility"),
    ("health_department", "Sở Y tế", "Department of Health"),
    ("legal_aid_centre", "Trung tâm trợ giúp pháp lý nhà nước", "State legal-aid centre"),
    ("justice_department", "Sở Tư pháp", "Department of Justice"),
    ("social_support_facility", "Cơ sở trợ giúp xã hội", "Social-support facility"),
    ("child_protection_service", "Cơ sở cung cấp dịch vụ bảo vệ trẻ em", "Child-protection service"),
    ("education_department", "Sở Giáo dục và Đào tạo", "Department of Education and Training"),
    ("school", "Trường học", "School"),
    ("culture_department", "Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism"),
    ("tourism_department", "Cơ quan quản lý du lịch", "Tourism authority"),
    ("information_department", "Cơ quan thông tin và truyền thông", "Information and communications authority"),
    ("media", "Cơ quan báo chí, phát thanh, truyền hình", "Media (press, radio, television)"),
    ("fatherland_front", "Ủy ban Mặt trận Tổ quốc", "Fatherland Front"),
    ("youth_union", "Đoàn Thanh niên", "Youth Union"),
    ("hotline_111", "Tổng đài điện thoại quốc gia bảo vệ trẻ em 111", "National child helpline 111"),
]


def add_append_only_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL, params=None)


def drop_append_only_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


def add_agency_kinds(apps, schema_editor):
    AgencyKind = apps.get_model("core", "AgencyKind")
    for code, name, name_en in DEFAULT_AGENCY_KINDS:
        AgencyKind.objects.get_or_create(code=code, defaults={"name": name, "name_en": name_en})


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        migrations.RunPython(add_append_only_trigger, drop_append_only_trigger),
        migrations.RunPython(add_agency_kinds, migrations.RunPython.noop),
    ]
