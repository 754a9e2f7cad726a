"""Where attached files are kept (common/file_storage.py): a local folder by default,
a private S3-compatible bucket with ``MADOGUCHI_S3_*``; a wrong setting stops
start-up with one Japanese line. With a bucket (moto's S3 server, started here),
a file is kept, checked and served exactly as on disk, and nothing lands on disk."""

from __future__ import annotations

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile

from madoguchi.applications import files, serving
from madoguchi.common.file_storage import LOCAL, S3, env_storages
from tests.applications.conftest import pdf_bytes, png_bytes
from tests.applications.test_submission import new_draft

BUCKET = "madoguchi-test-files"
LIMITS = files.Limits(("pdf", "jpeg", "png"), 1024 * 1024, 3)


def test_nothing_set_is_the_local_folder():
    assert env_storages({})["default"] == {"BACKEND": LOCAL}


def test_a_bucket_with_its_server_and_keys():
    storages = env_storages(
        {
            "MADOGUCHI_S3_BUCKET": "midori-files",
            "MADOGUCHI_S3_ENDPOINT_URL": "https://s3.example.lg.jp",
            "MADOGUCHI_S3_ACCESS_KEY_ID": "AKIDEXAMPLE",
            "MADOGUCHI_S3_SECRET_ACCESS_KEY": "wJalr/XUtnFEMI+K7MDENG",
        }
    )
    default = storages["default"]
    assert default["BACKEND"] == S3
    options = default["OPTIONS"]
    assert options["bucket_name"] == "midori-files"
    assert options["endpoint_url"] == "https://s3.example.lg.jp"
    assert options["secret_key"] == "wJalr/XUtnFEMI+K7MDENG"  # no URL-encoding needed
    assert options["region_name"] == "ap-northeast-1"
    assert options["default_acl"] is None  # the bucket's own, private ACL
    assert options["addressing_style"] == "path"


def test_without_keys_boto3_finds_its_own_and_amazon_needs_no_endpoint():
    options = env_storages({"MADOGUCHI_S3_BUCKET": "midori-files"})["default"]["OPTIONS"]
    assert "access_key" not in options and "endpoint_url" not in options


@pytest.mark.parametrize(
    "environ, names",
    [
        ({"MADOGUCHI_S3_ENDPOINT_URL": "https://s3.example.lg.jp"}, "MADOGUCHI_S3_BUCKET"),
        (
            {"MADOGUCHI_S3_BUCKET": "midori-files", "MADOGUCHI_S3_ACCESS_KEY_ID": "AKID"},
            "MADOGUCHI_S3_SECRET_ACCESS_KEY",
        ),
        (
            {
                "MADOGUCHI_S3_BUCKET": "midori-files",
                "MADOGUCHI_S3_SECRET_ACCESS_KEY": "wJalrSECRET",
            },
            "MADOGUCHI_S3_ACCESS_KEY_ID",
        ),
        ({"MADOGUCHI_S3_BUCKET": "Midori_Files"}, "MADOGUCHI_S3_BUCKET"),
        (
            {"MADOGUCHI_S3_BUCKET": "midori-files", "MADOGUCHI_S3_ENDPOINT_URL": "s3.example"},
            "MADOGUCHI_S3_ENDPOINT_URL",
        ),
    ],
)
def test_an_incomplete_setting_stops_start_up_with_one_line(environ, names):
    with pytest.raises(ImproperlyConfigured, match=names) as caught:
        env_storages(environ)
    message = str(caught.value)
    assert "\n" not in message and "指定してください" in message
    assert "wJalrSECRET" not in message  # a secret is never repeated


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, tmp_path):
    import boto3

    settings.MADOGUCHI_FILES_DIR = tmp_path / "files"
    settings.STORAGES = env_storages(
        {
            "MADOGUCHI_S3_BUCKET": BUCKET,
            "MADOGUCHI_S3_ENDPOINT_URL": s3_server,
            "MADOGUCHI_S3_ACCESS_KEY_ID": "test",
            "MADOGUCHI_S3_SECRET_ACCESS_KEY": "test-secret",
        }
    )
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name="ap-northeast-1",
        aws_access_key_id="test",
        aws_secret_access_key="test-secret",
    )
    s3.create_bucket(
        Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-northeast-1"}
    )
    yield s3
    for found in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=found["Key"])
    s3.delete_bucket(Bucket=BUCKET)


def keys(s3) -> list[str]:
    return [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


@pytest.mark.django_db
def test_a_file_goes_to_the_bucket_private_and_comes_back_checked(
    bucket, takahashi, tmp_path, s3_server, rf
):
    app = new_draft(takahashi)
    photo = png_bytes()
    with files.atomic_with_files():
        kept = files.store(
            app, "insurance_document", SimpleUploadedFile("保険証.png", photo), LIMITS
        )
    assert keys(bucket) == [kept.storage_name]
    assert bucket.get_object(Bucket=BUCKET, Key=kept.storage_name)["Body"].read() == photo
    # Nobody reads it without the keys: no public ACL, no public URL.
    assert httpx.get(f"{s3_server}/{BUCKET}/{kept.storage_name}").status_code == 403
    assert not (tmp_path / "files").exists()

    request = rf.get("/")
    request.user = takahashi
    response = serving.serve_attachment(request, kept)
    assert b"".join(response.streaming_content) == photo
    assert response["Content-Security-Policy"] == "sandbox"

    # Changed in the bucket: a 404, not other bytes.
    bucket.put_object(Bucket=BUCKET, Key=kept.storage_name, Body=photo + b"x")
    assert not files.verify(kept)
    bucket.delete_object(Bucket=BUCKET, Key=kept.storage_name)
    assert not files.verify(kept)


@pytest.mark.django_db
def test_a_refused_or_rolled_back_file_leaves_nothing_in_the_bucket(bucket, takahashi):
    app = new_draft(takahashi)
    with pytest.raises(files.FileRefused), files.atomic_with_files():
        files.store(app, "insurance_document", SimpleUploadedFile("a.png", b"text"), LIMITS)
    with pytest.raises(RuntimeError), files.atomic_with_files():
        files.store(app, "insurance_document", SimpleUploadedFile("a.pdf", pdf_bytes()), LIMITS)
        raise RuntimeError("the database went away")
    assert keys(bucket) == []


@pytest.mark.django_db(transaction=True)
def test_removing_a_draft_file_and_sweeping_orphans_in_the_bucket(bucket, takahashi):
    app = new_draft(takahashi)
    with files.atomic_with_files():
        gone = files.store(
            app, "insurance_document", SimpleUploadedFile("a.pdf", pdf_bytes()), LIMITS
        )
        kept = files.store(
            app, "insurance_document", SimpleUploadedFile("b.pdf", pdf_bytes()), LIMITS
        )
    files.remove(gone)  # committed at once (no transaction around it)
    bucket.put_object(Bucket=BUCKET, Key="ab/left-by-a-killed-worker", Body=b"x")
    assert sorted(keys(bucket)) == sorted([kept.storage_name, "ab/left-by-a-killed-worker"])
    assert files.sweep_orphans(older_than=0) == [files.PurePosixPath("ab/left-by-a-killed-worker")]
    assert keys(bucket) == [kept.storage_name]
