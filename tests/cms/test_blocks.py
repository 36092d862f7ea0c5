"""The report blocks speak for themselves: each says what it is for (`description`), shows editors a valid
example (`preview_value`) in the block chooser, and gives the API JSON its own `api_schema()` describes.

Scenarios:
- every block a report section offers has a description, and an example that passes its own validation;
- the example's API JSON validates against the block's schema fragment (inside /api/schema/);
- an editor (not a superuser) sees each previewable block rendered with the portal's stylesheet.
"""

import json

import jsonschema_rs
import pytest
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.test import RequestFactory
from django.utils import translation

from cms.api.openapi import openapi
from cms.api.values import Serialization
from cms.blocks import SmartGoalBlock, api_schema, report_blocks
from cms.workflow.demo import ensure_role_users

pytestmark = pytest.mark.django_db

BLOCKS = [*report_blocks(), ("smart_goal", SmartGoalBlock())]
PREVIEWABLE = [(name, block) for name, block in BLOCKS if hasattr(block.meta, "preview_value")]


@pytest.mark.parametrize(("name", "block"), BLOCKS, ids=[name for name, _block in BLOCKS])
def test_block_has_a_description(name, block):
    assert str(block.get_description()).strip()


@pytest.mark.parametrize(("name", "block"), PREVIEWABLE, ids=[name for name, _block in PREVIEWABLE])
def test_preview_value_is_valid_and_matches_the_api_schema(name, block):
    value = block.clean(block.get_preview_value())  # raises if the example breaks the block's own rules

    serialization = Serialization(RequestFactory().get("/api/v2/pages/"), "fa")
    with translation.override("fa"):
        data = json.loads(
            json.dumps(
                block.get_api_representation(value, {"serialization": serialization}), cls=DjangoJSONEncoder
            )
        )
    validator = jsonschema_rs.Draft202012Validator({**openapi(), **api_schema(block)})
    assert not [error.message for error in validator.iter_errors(data)], data


def test_previews_are_part_of_the_blocks_offered_to_editors():
    """Every block but the two that need a chosen image or document shows a preview."""
    assert {name for name, _block in BLOCKS} - {name for name, _block in PREVIEWABLE} == {
        "figure",
        "document_link",
    }


def test_editor_sees_block_previews_styled_as_the_portal(client):
    ensure_role_users(password="pw")
    client.force_login(get_user_model().objects.get(username="editor"))
    for name, block in PREVIEWABLE:
        response = client.get("/admin/block-preview/", {"id": block.definition_prefix})
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "css/portal.css" in html
        with translation.override(response["Content-Language"]):
            assert str(block.render(block.get_preview_value())) in html, name
