"""Uploads judged by content (issue 13 §4): an HTML page named .pdf is refused as a document, and one
stored before the check is served as a download; a refused media upload's message names no server path.
"""

import io
import zipfile

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.models import Collection

from tests.media.test_validation import file_errors, post_upload
from tests.workflow.conftest import users  # noqa: F401  (fixture: one user per editorial role)

pytestmark = pytest.mark.django_db

HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.fixture
def editor(client, users):  # noqa: F811
    client.force_login(users["editor"])
    return client


def add_document(client, name, content):
    collection = Collection.get_first_root_node()
    return client.post(
        reverse("wagtaildocs:add"),
        {"title": name, "file": SimpleUploadedFile(name, content), "collection": collection.pk},
    )


@pytest.mark.parametrize(
    "name,content",
    [
        ("report.pdf", HTML),
        ("report.pdf", b"MZ\x90\x00" + b"\x00" * 200),
        ("table.docx", PDF),
        ("notes.txt", HTML),
        ("data.csv", b"<svg onload=alert(1)>"),
        ("notes.txt", b"\x00\x01\x02\xff" * 50),
    ],
)
def test_a_document_whose_content_is_not_its_extension_is_refused(editor, name, content):
    response = add_document(editor, name, content)
    assert response.status_code == 200
    errors = " ".join(str(error) for error in response.context["form"].errors.get("file", []))
    assert "محتوای این پرونده" in errors, errors
    assert not get_document_model().objects.filter(title=name).exists()


@pytest.mark.parametrize(
    "name,content",
    [
        ("report.pdf", PDF),
        ("table.docx", docx_bytes()),
        ("data.csv", "نام,مبلغ\nالف,۱۰\n".encode()),
        ("notes.txt", b"plain notes"),
    ],
)
def test_real_documents_are_accepted(editor, name, content):
    response = add_document(editor, name, content)
    assert response.status_code == 302, response.context["form"].errors
    assert get_document_model().objects.filter(title=name).exists()


def stored_document(name, content):
    document = get_document_model()(title=name, collection=Collection.get_first_root_node())
    document.file.save(name, ContentFile(content), save=False)
    document.save()
    return document


def test_an_html_file_stored_as_pdf_is_served_as_a_download(client):
    document = stored_document("old.pdf", HTML)
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_real_pdf_is_still_served_inline(client):
    document = stored_document("real.pdf", PDF)
    response = client.get(document.url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_a_refused_media_upload_names_no_server_path(admin_client, media_dir):
    content = (media_dir / "clip.mp4").read_bytes()[:64] + bytes(range(256)) * 40
    broken = SimpleUploadedFile("broken.mp4", content)
    response = post_upload(admin_client, "video", broken)
    message = file_errors(response)
    assert message and "/tmp" not in message and "revayat-upload-" not in message
    assert "broken.mp4" in message


@pytest.mark.parametrize(
    "media_type,name,content,code",
    [
        ("video", "report.mp4", b"%PDF-1.7\n" + b"0" * 4000, "wrong_type"),
        ("audio", "empty.mp3", b"", "empty"),
    ],
)
def test_a_refused_media_upload_gets_one_reason(admin_client, media_type, name, content, code):
    """Not also wagtailmedia's "File extension '' is not allowed" about the file it never kept."""
    response = post_upload(admin_client, media_type, SimpleUploadedFile(name, content))
    assert response.status_code == 200
    errors = response.context["form"].errors.as_data()
    assert list(errors) == ["file"], errors
    assert [error.code for error in errors["file"]] == [code]
