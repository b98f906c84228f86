"""A page's parts derive from the record it loaded once, and a fresh read starts over."""

from core.instance_memo import kept_on
from core.models import Unit


def test_read_once_per_instance_and_key():
    reads: list[str] = []

    def read(value: str):
        def run() -> str:
            reads.append(value)
            return value

        return run

    unit, other = Unit(code="1"), Unit(code="1")
    assert kept_on(unit, "k", read("first")) == "first"
    assert kept_on(unit, "k", read("second")) == "first"
    assert kept_on(unit, "k:2", read("third")) == "third"  # another reader, another key
    assert kept_on(other, "k", read("fourth")) == "fourth"  # another copy of the row
    assert reads == ["first", "third", "fourth"]
