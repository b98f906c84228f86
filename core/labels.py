"""The names of a field's choices, looked up by code.

A list shows a state or a service on every row; `get_FOO_display` finds the code's label by
going through every translated label of the choices, for each row. Lists of plain rows
(cases/rows.py, referrals/rows.py) look the code up in a map made once, translated when shown.
"""

from django.db import models


class ChoiceLabels:
    def __init__(self, choices: type[models.Choices]) -> None:
        self.labels = dict(choices.choices)

    def __call__(self, code: str) -> str:
        """The label in the active language; an unknown code as it is, as Django shows it."""
        return str(self.labels.get(code, code))
