"""`GET /api/v1/me/`: the signed-in user and the roles they hold, each with its unit or agency."""

from core.models import Role, Unit


def test_it_lists_a_commune_officers_role_with_the_commune(api_as):
    response = api_as("officer_a").get("/api/v1/me/")

    assert response.status_code == 200
    body = response.json()
    assert (body["username"], body["full_name"], body["email"]) == (
        "officer_a",
        "Nguyễn Thị Lan",
        "officer_a@demo.checho.invalid",
    )
    assert body["roles"] == [
        {
            "role": "commune_officer",
            "role_name": "Cán bộ bảo vệ trẻ em cấp xã",  # requests are in Vietnamese by default
            "unit": {
                "code": "14428",
                "name": "Xã Nho Quan",
                "division_type": "xã",
                "level": "commune",
                "parent": "37",
                "structure": "2025",
                "valid_from": "2025-07-01",
                "valid_to": None,
            },
            "agency": None,
        }
    ]


def test_it_lists_agency_staffs_role_with_the_agency(api_as):
    roles = api_as("police").get("/api/v1/me/").json()["roles"]

    assert len(roles) == 1
    assert (roles[0]["role"], roles[0]["unit"]) == ("agency_staff", None)
    agency = roles[0]["agency"]
    assert (agency["name"], agency["kinds"], agency["unit"], agency["unit_name"]) == (
        "Công an tỉnh Ninh Bình",
        ["police"],
        "37",
        "Tỉnh Ninh Bình",
    )


def test_it_lists_every_role_a_user_holds(api_as, demo):
    demo["officer_a"].memberships.create(
        role=Role.MANAGER, unit=Unit.objects.get(structure="2025", code="37")
    )

    roles = api_as("officer_a").get("/api/v1/me/").json()["roles"]

    assert sorted((r["role"], r["unit"]["code"]) for r in roles) == [
        ("commune_officer", "14428"),
        ("manager", "37"),
    ]


def test_the_sysadmin_role_has_neither_unit_nor_agency(api_as):
    roles = api_as("admin").get("/api/v1/me/").json()["roles"]

    assert [(r["role"], r["unit"], r["agency"]) for r in roles] == [("sysadmin", None, None)]


def test_it_takes_the_same_number_of_queries_whatever_the_number_of_roles(
    api_as, demo, django_assert_max_num_queries
):
    user = demo["officer_a"]
    for code in ("14329", "14359", "14533", "14566"):
        user.memberships.create(
            role=Role.COMMUNE_CHAIR, unit=Unit.objects.get(structure="2025", code=code)
        )
    client = api_as("officer_a")

    with django_assert_max_num_queries(6):
        roles = client.get("/api/v1/me/").json()["roles"]
    assert len(roles) == 5


def test_it_answers_a_browser_signed_in_by_session(client, demo):
    """The web pages' own session reaches the API too (the browsable API, scripts in the page)."""
    client.force_login(demo["officer_a"])

    response = client.get("/api/v1/me/")

    assert response.status_code == 200
    assert response.json()["username"] == "officer_a"
