"""The agency kinds Plan 114 names (DOMAIN §3): the defaults a deployment starts with."""

from core.models import AgencyKind

# (code, Vietnamese name, English name). Sysadmins add kinds and rename them in the administration;
# migration 0002 loaded this list when the database was created, migration 0008 added
# `district_committee` (the district tier, abolished on 1 July 2025, for the agencies before it).
DEFAULT_AGENCY_KINDS = [
    ("commune_committee", "Ủy ban nhân dân xã", "Commune People's Committee"),
    ("district_committee", "Ủy ban nhân dân cấp huyện", "District People's Committee"),
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
    (
        "child_protection_service",
        "Cơ sở cung cấp dịch vụ bảo vệ trẻ em",
        "Child-protection service",
    ),
    ("education_department", "Sở Giáo dục và Đào tạo", "Department of Education and Training"),
    ("school", "Trường học", "School"),
    (
        "culture_department",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Department of Culture, Sports and Tourism",
    ),
    ("tourism_department", "Cơ quan quản lý du lịch", "Tourism authority"),
    (
        "information_department",
        "Cơ quan thông tin và truyền thông",
        "Information and communications authority",
    ),
    ("media", "Cơ quan báo chí, phát thanh, truyền hình", "Media (press, radio, television)"),
    ("fatherland_front", "Ủy ban Mặt trận Tổ quốc", "Fatherland Front"),
    ("youth_union", "Đoàn Thanh niên", "Youth Union"),
    (
        "hotline_111",
        "Tổng đài điện thoại quốc gia bảo vệ trẻ em 111",
        "National child helpline 111",
    ),
]


def ensure_default_agency_kinds() -> int:
    """Create the default kinds that are missing (never renames an existing one)."""
    existing = set(AgencyKind.objects.values_list("code", flat=True))
    missing = [
        AgencyKind(code=code, name=name, name_en=name_en)
        for code, name, name_en in DEFAULT_AGENCY_KINDS
        if code not in existing
    ]
    AgencyKind.objects.bulk_create(missing)
    return len(missing)
