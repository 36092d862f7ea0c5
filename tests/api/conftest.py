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
    from cms.api.openapi import openapi

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
    settings.REVAYAT_API_RENDITIONS = {
        "thumbnail": "fill-48x27",
        "medium": "max-96x96",
        "large": "max-160x160",
    }


@pytest.fixture
def copy_media(db):
    """copy_media(source, count, title=…, collection=…, status=…): cheap media items that share the
    processed files of `source` (a demo item): rows only, no upload and no ffmpeg."""
    from media_pipeline.models import MediaItem, MediaOutput, Subtitle

    def copy(source, count, title="copy", collection=None, status=None):
        items = MediaItem.objects.bulk_create(
            [
                MediaItem(
                    title=f"{title} {number}",
                    type=source.type,
                    file=source.file.name,
                    duration=source.duration,
                    width=source.width,
                    height=source.height,
                    file_size=source.file_size,
                    mime_type=source.mime_type,
                    collection=collection or source.collection,
                    status=status or source.status,
                    processed_at=source.processed_at,
                )
                for number in range(count)
            ]
        )
        outputs = source.outputs.exclude(kind=MediaOutput.Kind.HLS_PART)
        MediaOutput.objects.bulk_create(
            [
                MediaOutput(
                    media=item,
                    kind=output.kind,
                    file=output.file.name,
                    size=output.size,
                    mime_type=output.mime_type,
                )
                for item in items
                for output in outputs
            ]
        )
        Subtitle.objects.bulk_create(
            [
                Subtitle(
                    media=item, language=subtitle.language, label=subtitle.label, file=subtitle.file.name
                )
                for item in items
                for subtitle in source.subtitles.all()
            ]
        )
        return items

    return copy
