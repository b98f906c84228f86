"""For which units and agencies a user acts: read once, from the memberships, and turned into
SQL conditions."""

from django.contrib.auth.models import AnonymousUser

from core.models import Agency, Role, Unit, User
from core.scope import EMPTY_SCOPE, scope_for


def fresh(username):
    # A user object straight from the database, with nothing cached on it.
    return User.objects.get(username=username)


def test_a_commune_officer_acts_for_their_commune(demo):
    scope = scope_for(fresh("officer_a"))

    assert scope.roles == {Role.COMMUNE_OFFICER}
    assert scope.unit_paths(Role.COMMUNE_OFFICER) == ("2025/37/14428/",)
    assert scope.unit_ids(Role.COMMUNE_OFFICER) == {
        Unit.objects.get(structure="2025", code="14428").pk
    }
    assert scope.agency_ids(*Role.values) == frozenset()
    assert scope.acts_for_unit("2025/37/14428/", Role.COMMUNE_OFFICER)
    assert not scope.acts_for_unit("2025/37/14329/", Role.COMMUNE_OFFICER)
    assert not scope.acts_for_unit("2025/37/14428/", Role.COMMUNE_CHAIR)


def test_a_provincial_officer_acts_for_the_whole_province(demo):
    scope = scope_for(fresh("province"))

    assert scope.roles == {Role.PROVINCIAL_OFFICER}
    assert scope.unit_paths(Role.PROVINCIAL_OFFICER) == ("2025/37/",)
    assert scope.acts_for_unit("2025/37/14329/", Role.PROVINCIAL_OFFICER)


def test_agency_staff_act_for_their_agency_and_no_unit(demo):
    scope = scope_for(fresh("police"))

    assert scope.roles == {Role.AGENCY_STAFF}
    assert scope.agency_ids(Role.AGENCY_STAFF) == {
        Agency.objects.get(name="Công an tỉnh Ninh Bình").pk
    }
    assert scope.agency_ids(Role.AGENCY_HEAD) == frozenset()
    assert scope.unit_paths(*Role.values) == ()


def test_the_sysadmin_has_the_role_and_neither_units_nor_agencies(demo):
    scope = scope_for(fresh("admin"))

    assert scope.roles == {Role.SYSADMIN}
    assert scope.has_role(Role.SYSADMIN, Role.MANAGER)
    assert not scope.has_role(Role.MANAGER)
    assert scope.unit_paths(*Role.values) == ()
    assert scope.agency_ids(*Role.values) == frozenset()


def test_units_q_filters_rows_by_the_units_of_the_given_roles(demo):
    officer, province = scope_for(fresh("officer_a")), scope_for(fresh("province"))

    mine = Unit.objects.filter(officer.units_q("path", Role.COMMUNE_OFFICER))
    assert list(mine.values_list("structure", "code")) == [("2025", "14428")]

    whole = Unit.objects.filter(province.units_q("path", Role.PROVINCIAL_OFFICER))
    assert whole.count() == 1 + 129
    assert set(whole.values_list("structure", flat=True)) == {"2025"}


def test_units_q_matches_nothing_for_roles_the_user_does_not_hold(demo):
    officer, police = scope_for(fresh("officer_a")), scope_for(fresh("police"))

    assert not Unit.objects.filter(officer.units_q("path", Role.PROVINCIAL_OFFICER)).exists()
    assert not Unit.objects.filter(police.units_q("path", *Role.values)).exists()


def test_a_user_with_several_roles_acts_for_each(demo):
    user = fresh("officer_a")
    user.memberships.create(
        role=Role.COMMUNE_OFFICER, unit=Unit.objects.get(structure="2025", code="14329")
    )

    scope = scope_for(user)

    assert scope.unit_paths(Role.COMMUNE_OFFICER) == ("2025/37/14329/", "2025/37/14428/")
    codes = Unit.objects.filter(scope.units_q("path", Role.COMMUNE_OFFICER)).values_list(
        "code", flat=True
    )
    assert sorted(codes) == ["14329", "14428"]


def test_an_inactive_user_has_an_empty_scope(demo, django_assert_num_queries):
    user = fresh("officer_a")
    user.is_active = False

    with django_assert_num_queries(0):
        assert scope_for(user) == EMPTY_SCOPE
    assert scope_for(user).roles == frozenset()


def test_an_anonymous_user_has_an_empty_scope(db):
    scope = scope_for(AnonymousUser())

    assert scope == EMPTY_SCOPE
    assert not Unit.objects.filter(scope.units_q("path", *Role.values)).exists()


def test_the_scope_is_read_with_one_query_and_kept_on_the_user(demo, django_assert_num_queries):
    user = fresh("officer_a")

    with django_assert_num_queries(1):
        first = scope_for(user)
    with django_assert_num_queries(0):
        second = scope_for(user)

    assert second is first
