"""The inspections API as its schema documents it: each step of the workflow is its own
operation with its own request body, including the steps that take none."""

from inspections.workflow import INSPECTION_WORKFLOW

STEP_PATH = "/api/v1/inspections/{id}/transitions/%s/"


def schema(api_as) -> dict:
    response = api_as("inspector").get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return response.json()


def test_every_step_is_one_operation_with_its_own_request_body(demo, api_as):
    document = schema(api_as)
    bodies = {}
    for name in INSPECTION_WORKFLOW.names:
        operation = document["paths"][STEP_PATH % name]["post"]
        assert operation["operationId"] == f"v1_inspections_transitions_{name}"
        assert set(operation["responses"]) >= {"200", "400", "403", "404", "409"}
        content = operation["requestBody"]["content"]["application/json"]
        bodies[name] = content["schema"]["$ref"].rsplit("/", 1)[1]
    assert len(set(bodies.values())) == len(bodies), bodies  # one body per step, none shared
    components = document["components"]["schemas"]
    assert set(components[bodies["conclude"]]["properties"]) == {
        "conclusion",
        "no_violation_found",
    }
    assert components[bodies["conclude"]]["required"] == ["conclusion"]
    assert set(components[bodies["cancel"]]["properties"]) == {"reason"}
    for name in ("start", "begin_reporting", "follow_up", "close"):
        assert components[bodies[name]]["properties"] == {}, name
        assert components[bodies[name]]["additionalProperties"] is False, name


def test_the_old_catch_all_step_operation_is_gone(demo, api_as):
    paths = schema(api_as)["paths"]
    assert "/api/v1/inspections/{id}/transitions/{name}/" not in paths
    assert "/api/v1/inspections/{id}/transitions/" in paths
