"""Reading JSON strictly (``common.json_input``), as the API and the CLI do."""

import pytest

from madoguchi.common.json_input import JsonInputError, load_json


def errors(raw):
    with pytest.raises(JsonInputError) as caught:
        load_json(raw)
    return [(e["type"], e["loc"]) for e in caught.value.errors]


def test_plain_json_is_read_as_plain_python():
    value = load_json(b'{"event": "birth", "members": [{"role": "self"}]}')
    assert value == {"event": "birth", "members": [{"role": "self"}]}
    assert type(value) is dict and type(value["members"][0]) is dict


def test_every_key_written_twice_is_reported_where_it_is():
    raw = '{"a": 1, "a": 2, "members": [{}, {"role": "x", "role": "y", "role": "z"}]}'
    assert errors(raw) == [
        ("duplicate_key", ("a",)),
        ("duplicate_key", ("members", 1, "role")),
    ]


def test_a_byte_order_mark_is_skipped_in_bytes_and_text():
    assert load_json(b"\xef\xbb\xbf[1]") == [1]
    assert load_json("\ufeff[1]") == [1]


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ('"x"'.encode("utf-16"), "not_utf8"),
        ("{}".encode("shift_jis") + "世帯".encode("shift_jis"), "not_utf8"),
        (b"", "body_missing"),
        (b"  \n", "body_missing"),
        ('{"w": NaN}', "json_constant"),
        ("[Infinity]", "json_constant"),
        ('{"event": "birth",', "json_invalid"),
        ("[" * 100_000 + "]" * 100_000, "json_too_deep"),
    ],
)
def test_what_is_not_json_we_can_read(raw, kind):
    assert errors(raw) == [(kind, ())]
