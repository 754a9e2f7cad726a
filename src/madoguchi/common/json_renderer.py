"""JSON for the API as UTF-8 text: Japanese stays readable (``"出生届"``, not
``"\\u51fa\\u751f\\u5c4a"``) in curl, logs and the files other systems save."""

from ninja.renderers import JSONRenderer


class UnicodeJSONRenderer(JSONRenderer):
    json_dumps_params = {"ensure_ascii": False}
