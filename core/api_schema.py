"""The answers every operation can give besides its own, written into the schema once.

They come from the layers in front of the views — the input guard (core/input_guard.py), the
authentication, the rate limits, the URL patterns and the pagination — so no view declares them,
and a client reading the schema must still expect them. drf-spectacular calls `edge_answers`
after building the schema (SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).
"""

from typing import Any

from django.utils.translation import gettext as _

METHODS_WITH_BODY = {"post", "put", "patch"}


def edge_answers(result: dict, generator: Any, request: Any, public: bool) -> dict:
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method == "parameters":
                continue
            answers = operation.setdefault("responses", {})
            for code, description in edge_answers_of(path, method, operation).items():
                answers.setdefault(str(code), {"description": description})
    return result


def edge_answers_of(path: str, method: str, operation: dict) -> dict[int, str]:
    answers = {
        400: _(
            "Malformed request (a NUL byte or lone surrogate, JSON nested too deep, a parameter "
            "of the wrong type) or bad input; nothing changed."
        )
    }
    if any(requirement for requirement in operation.get("security", []) or []):
        answers[401] = _("Not signed in.")
        answers[429] = _("Too many requests; Retry-After says in how many seconds to retry.")
    if "{" in path:
        answers[404] = _("No such record, or not visible to you.")
    elif paginated(operation):
        answers[404] = _("No such page.")
    if method in METHODS_WITH_BODY:
        answers[413] = _("The request body is too large.")
    answers[503] = _("A statement ran past the time limit and was stopped (code too_slow).")
    return answers


def paginated(operation: dict) -> bool:
    content = operation.get("responses", {}).get("200", {}).get("content", {})
    reference = content.get("application/json", {}).get("schema", {}).get("$ref", "")
    return reference.rsplit("/", 1)[-1].startswith("Paginated")
