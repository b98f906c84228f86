"""`manage.py benchmark filters` walks every list with every filter as each demo role: on the
demo data it requests the API's filters from its schema and the web's, and names no error."""

import re

from django.core.management import call_command

from scale.filters import api_addresses, web_addresses


def test_it_walks_every_filter_the_schema_declares():
    api = list(api_addresses())
    assert "/api/v1/cases/?overdue=false" in api and "/api/v1/referrals/?status=pending" in api
    assert not any("cursor=" in address for address in api)
    assert "/cases/?overdue=no" in set(web_addresses())


def test_it_prints_the_slowest_and_names_no_server_error(demo, capsys):
    call_command("benchmark", "filters", "--count", "3")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].endswith("as 7 users, each timed warm"), lines
    # The three slowest, whatever they answered (a list out of a role's scope answers 404).
    assert len(lines) == 5, lines
    assert all(
        re.match(r" *\d+\.\d ms  [1-4]\d\d  +\d+ queries  \w+ +/", line) for line in lines[1:4]
    )
    assert lines[-1] == "server errors: none", lines
