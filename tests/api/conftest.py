"""Fixtures for the API tests: a JSON client and the OpenAPI validator."""

import jsonschema_rs
import pytest


@pytest.fixture
def api(client):
    """GET an API path; returns (status, JSON body, response)."""

    def get(path, **headers):
        response = client.get(path, **headers)
        assert response["Content-Type"].startswith("application/json"), (path, response.status_code)
        return response.status_code, response.json(), response

    return get


@pytest.fixture
def openapi(db):
    from cms.api.schema import openapi

    return openapi()


@pytest.fixture
def validate(openapi):
    """validate(data, "Page.plans.PlanPage") checks data against a component of /api/schema/."""

    def check(data, component):
        schema = {**openapi, "$ref": f"#/components/schemas/{component}"}
        validator = jsonschema_rs.Draft202012Validator(schema)
        errors = [f"{error.instance_path}: {error.message}" for error in validator.iter_errors(data)]
        assert not errors, "\n".join(errors[:10])

    return check


@pytest.fixture(autouse=True)
def small_renditions(settings):
    """Same rendition names, tiny sizes: the tests check URLs and dimensions, not pixels, and stay fast."""
    settings.REVAYAT_API_RENDITIONS = {"thumbnail": "fill-48x27", "medium": "max-96x96",
                                       "large": "max-160x160"}
