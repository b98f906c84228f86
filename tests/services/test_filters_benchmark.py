"""`manage.py benchmark filters` walks every list with every filter as each demo role: on the
demo data it requests the API's filters from its schema and the web's, and names no error."""

import re

from django.core.management import call_command

from scale import filters
from scale.filters import api_addresses, web_addresses


def test_it_walks_every_filter_the_schema_declares():
    api = list(api_addresses())
    assert "/api/v1/cases/?overdue=false" in api and "/api/v1/referrals/?status=pending" in api
    assert not any("cursor=" in address for address in api)
    assert "/cases/?overdue=no" in set(web_addresses())


def test_it_prints_the_slowest_and_names_no_server_error(demo, capsys, monkeypatch):
    monkeypatch.setattr(filters, "SAMPLES", 1)  # the walk, not the timing, is under test here
    call_command("benchmark", "filters", "--count", "3")
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[0].endswith("as 7 users, each the median of 1"), lines
    # The three slowest, whatever they answered (a list out of a role's scope answers 404).
    assert len(lines) == 5, lines
    assert all(
        re.match(r" *\d+\.\d ms  [1-4]\d\d  +\d+ queries  \w+ +/", line) for line in lines[1:4]
    )
    assert lines[-1] == "server errors: none", lines


def test_each_address_is_the_median_of_its_samples(monkeypatch):
    class Answer:
        status_code = 200

    class Client:
        def get(self, address):  # the warm-up
            return Answer()

    readings = iter([(900.0, 3, Answer()), (60.0, 3, Answer()), (50.0, 4, Answer())])
    monkeypatch.setattr(filters, "sample", lambda client, address: next(readings))
    ms, status, queries, _response = filters.timed(Client(), "/cases/")  # type: ignore[arg-type]
    assert (ms, status, queries) == (60.0, 200, 4)  # the garbage collection's 900 ms left out
