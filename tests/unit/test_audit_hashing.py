"""The audit chain's hash and key, without a database."""

import datetime as dt
import hashlib
import hmac
import os
import stat

import pytest

from zhengwu.audit import hashing

NEEDS_SM3 = pytest.mark.skipif("sm3" not in hashlib.algorithms_available, reason="this OpenSSL has no SM3")


@NEEDS_SM3
def test_sm3_gives_the_gb_t_32905_test_vector():
    assert hashing.digest_hex("sm3", b"abc") == "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"


@NEEDS_SM3
def test_sm3_is_used_where_openssl_has_it():
    assert hashing.current_algorithm() == "sm3"
    assert hashing.mac_hex("sm3", b"k" * 32, b"msg") == hmac.new(b"k" * 32, b"msg", "sm3").hexdigest()


def test_hmac_falls_back_to_sha256_when_sm3_is_missing(monkeypatch):
    monkeypatch.setattr(hashlib, "algorithms_available", hashlib.algorithms_available - {"sm3"})
    assert hashing.current_algorithm() == "sha256"
    assert not hashing.available("sm3")
    assert hashing.mac_hex("sha256", b"k" * 32, b"msg") == hmac.new(b"k" * 32, b"msg", hashlib.sha256).hexdigest()
    with pytest.raises(hashing.AuditKeyError, match="sm3 is not available"):
        hashing.mac_hex("sm3", b"k" * 32, b"msg")


def test_an_unknown_algorithm_is_refused():
    with pytest.raises(ValueError, match="^algo:"):
        hashing.mac_hex("md5", b"k" * 32, b"msg")


def _message(**over):
    fields = dict(
        seq=1, at=dt.datetime(2026, 9, 24, 1, 2, 3, 4, tzinfo=dt.UTC), actor_id=None, actor_label="system",
        action="org.unit.create", obj_type="org.unit", obj_id="1", before=None, after={"名称": "财政局", "n": 1},
        article=97, summary="新增单位", prev_hash=hashing.GENESIS,
    )
    fields.update(over)
    return hashing.event_message(**fields)


def test_the_message_is_canonical_json_of_every_field():
    assert _message() == (
        '{"action":"org.unit.create","actor_id":null,"actor_label":"system","after":{"n":1,"名称":"财政局"},'
        '"article":97,"at":"2026-09-24T01:02:03.000004+00:00","before":null,"obj_id":"1","obj_type":"org.unit",'
        '"prev_hash":"' + "0" * 64 + '","seq":1,"summary":"新增单位"}'
    ).encode()


def test_the_message_does_not_depend_on_the_time_zone_the_time_is_given_in():
    shanghai = dt.timezone(dt.timedelta(hours=8))
    assert _message(at=dt.datetime(2026, 9, 24, 9, 2, 3, 4, tzinfo=shanghai)) == _message()


def test_the_message_changes_with_the_position_in_the_chain():
    assert _message(seq=2) != _message()
    assert _message(prev_hash="1" * 64) != _message()


def test_an_integral_float_hashes_as_the_integer_postgresql_returns():
    assert _message(after={"x": 1.5e300}) == _message(after={"x": 15 * 10**299})
    assert _message(after={"x": 3.0}) == _message(after={"x": 3})
    assert _message(after={"x": 0.1}) != _message(after={"x": 0})


def test_a_naive_time_is_refused():
    with pytest.raises(ValueError, match="^at:"):
        _message(at=dt.datetime(2026, 9, 24))


def test_values_are_normalised_as_json_returns_them():
    from decimal import Decimal

    assert hashing.to_json_value({"d": dt.date(2026, 1, 4), "m": Decimal("1.10"), 3: (1, 2)}, "after") == {
        "d": "2026-01-04", "m": "1.10", "3": [1, 2],
    }
    with pytest.raises(ValueError, match="^after: not storable as JSON"):
        hashing.to_json_value({"x": float("inf")}, "after")


# --- the key --------------------------------------------------------------------------------


def test_the_key_file_is_created_once_with_32_private_random_bytes(tmp_path):
    path = tmp_path / "sub" / "audit.key"
    key = hashing.load_key(path, create=True, env={})
    assert len(key) == 32
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert hashing.load_key(path, create=True, env={}) == key
    assert list(path.parent.iterdir()) == [path]  # no temporary file left behind
    assert hashing.load_key(tmp_path / "other.key", create=True, env={}) != key


def test_a_missing_key_file_is_not_created_when_only_checking(tmp_path):
    assert hashing.load_key(tmp_path / "audit.key", create=False, env={}) is None
    assert not (tmp_path / "audit.key").exists()


def test_the_environment_key_overrides_the_file(tmp_path):
    path = tmp_path / "audit.key"
    hashing.load_key(path, create=True, env={})
    assert hashing.load_key(path, create=True, env={hashing.ENV_KEY: "ab" * 32}) == bytes.fromhex("ab" * 32)


@pytest.mark.parametrize("value, message", [("xyz", "not a hex string"), ("ab" * 8 + "a", "not a hex string"),
                                            ("ab" * 4, "too short")])
def test_a_bad_environment_key_is_refused(tmp_path, value, message):
    with pytest.raises(hashing.AuditKeyError, match=message):
        hashing.load_key(tmp_path / "audit.key", create=True, env={hashing.ENV_KEY: value})


def test_a_truncated_key_file_is_refused(tmp_path):
    path = tmp_path / "audit.key"
    path.write_bytes(b"short")
    with pytest.raises(hashing.AuditKeyError, match="too short"):
        hashing.load_key(path, create=True, env={})
