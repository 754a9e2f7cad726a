"""Where attached files are kept: Django's ``STORAGES["default"]``.

On one server (the embedded default) they are files under ``MADOGUCHI_FILES_DIR``.
With several app servers behind a load balancer every server must reach the same
files, so they go to an S3-compatible bucket instead (Amazon S3, MinIO, a cloud's
object storage), set by these variables:

    MADOGUCHI_S3_BUCKET             the bucket (setting it turns S3 on)
    MADOGUCHI_S3_ENDPOINT_URL       the server, e.g. https://s3.example.lg.jp (unset: Amazon S3)
    MADOGUCHI_S3_REGION             the region (default ap-northeast-1, 東京)
    MADOGUCHI_S3_ACCESS_KEY_ID      the key and its secret; both or neither (neither:
    MADOGUCHI_S3_SECRET_ACCESS_KEY  boto3's own chain, e.g. the server's IAM role)

Separate variables rather than one URL: an S3 secret often holds ``/`` and ``+``,
which a URL would need percent-encoded, a common mistake when a town's IT person
copies it from the console.

Nothing in the bucket is public: objects are written without an ACL (the bucket's
own, private, applies) and the application never hands out a bucket URL. Files are
read through the bucket by the app's own views, after the same permission check,
checksum and audit entry as on local disk (applications/serving.py).
A wrong or incomplete setting stops start-up with one Japanese line
(``common/env.py``'s way)."""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage

LOCAL = "madoguchi.common.file_storage.LocalFiles"
S3 = "storages.backends.s3.S3Storage"
DEFAULT_REGION = "ap-northeast-1"
# A file larger than this is spooled to the request's own temporary file while it
# is read back (never kept past the request).
READ_MEMORY_BYTES = 2_621_440


class LocalFiles(FileSystemStorage):
    """Files under ``settings.MADOGUCHI_FILES_DIR``, read each time (tests point it
    at a temporary folder), each synced to disk before its row is saved."""

    @property
    def base_location(self) -> str:
        return str(settings.MADOGUCHI_FILES_DIR)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    @property
    def file_permissions_mode(self):
        return None  # the server's umask decides, as for the files written before

    def _save(self, name, content):
        name = super()._save(name, content)
        fd = os.open(self.path(name), os.O_RDONLY)
        try:
            os.fsync(fd)  # on disk before the row that names it commits
        finally:
            os.close(fd)
        return name


def env_storages(environ=None) -> dict:
    """Django's ``STORAGES`` for the environment (``os.environ`` by default)."""
    env = os.environ if environ is None else environ
    bucket = (env.get("MADOGUCHI_S3_BUCKET") or "").strip()
    others = [
        n
        for n in (
            "MADOGUCHI_S3_ENDPOINT_URL",
            "MADOGUCHI_S3_ACCESS_KEY_ID",
            "MADOGUCHI_S3_SECRET_ACCESS_KEY",
        )
        if (env.get(n) or "").strip()
    ]
    static = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    if not bucket:
        if others:
            raise ImproperlyConfigured(
                f"MADOGUCHI_S3_BUCKET: {others[0]} を使うときは、ファイルを置くバケット名も指定してください"
            )
        return {"default": {"BACKEND": LOCAL}, "staticfiles": static}
    return {"default": {"BACKEND": S3, "OPTIONS": s3_options(bucket, env)}, "staticfiles": static}


def s3_options(bucket: str, env) -> dict:
    if not _bucket_name_ok(bucket):
        raise ImproperlyConfigured(
            f"MADOGUCHI_S3_BUCKET={bucket!r}: バケット名は英小文字・数字・ハイフン・ピリオドの3〜63文字で指定してください"
        )
    key = (env.get("MADOGUCHI_S3_ACCESS_KEY_ID") or "").strip()
    secret = (env.get("MADOGUCHI_S3_SECRET_ACCESS_KEY") or "").strip()
    if bool(key) != bool(secret):
        missing = "MADOGUCHI_S3_SECRET_ACCESS_KEY" if key else "MADOGUCHI_S3_ACCESS_KEY_ID"
        raise ImproperlyConfigured(
            f"{missing}: アクセスキーIDとシークレットアクセスキーは両方指定してください"
            "(どちらも指定しなければ、サーバーの IAM ロールなどを使います)"
        )
    endpoint = (env.get("MADOGUCHI_S3_ENDPOINT_URL") or "").strip()
    if endpoint:
        parts = urlsplit(endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
            raise ImproperlyConfigured(
                f"MADOGUCHI_S3_ENDPOINT_URL={endpoint!r}: https://s3.example.lg.jp のように"
                "オブジェクトストレージのアドレスを指定してください"
            )
    options = {
        "bucket_name": bucket,
        "region_name": (env.get("MADOGUCHI_S3_REGION") or "").strip() or DEFAULT_REGION,
        # No ACL sent: the bucket's own (private) applies. Never a public URL:
        # files are streamed by the app's views only (applications/serving.py).
        "default_acl": None,
        "querystring_auth": True,
        # Names are random (applications/files.py): no HEAD to look for a free one.
        "file_overwrite": True,
        "max_memory_size": READ_MEMORY_BYTES,
    }
    if endpoint:
        options["endpoint_url"] = endpoint
        # Every S3-compatible server takes path-style addresses; a virtual-host one
        # would need a DNS name per bucket.
        options["addressing_style"] = "path"
    if key:
        options["access_key"] = key
        options["secret_key"] = secret
    return options


def _bucket_name_ok(name: str) -> bool:
    return bool(re.fullmatch(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]", name)) and ".." not in name
