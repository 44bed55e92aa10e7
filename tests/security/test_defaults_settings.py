"""Production by default (issue 12, "Defaults"): DEBUG off unless ZHENGWU_DEBUG=1, the secret key
never a literal, the HTTPS switches of ZHENGWU_PRODUCTION=1 pass `check --deploy`, and a bad switch
is a clear error. Settings are read at import, so each mode runs in its own process."""

import os
import re
import stat
import threading

import pytest
from defaults_support import PRODUCTION, ROOT, probe, zhengwu

from zhengwu.security import hardening

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


# ---- DEBUG ---------------------------------------------------------------------------------------

def test_by_default_debug_is_off_and_a_404_shows_no_urlconf(tmp_path):
    out = probe(tmp_path / "var")
    assert out["DEBUG"] is False
    page = out["404"]
    assert page["status"] == 404
    assert "URLconf" not in page["body"] and "zhengwu.urls" not in page["body"] and "api/v1/" not in page["body"]


def test_the_development_mode_zhengwu_debug_1_shows_the_urlconf(tmp_path):
    out = probe(tmp_path / "var", ZHENGWU_DEBUG="1")
    assert out["DEBUG"] is True
    assert out["404"]["status"] == 404 and "URLconf" in out["404"]["body"]


def test_a_switch_that_is_not_0_or_1_is_refused_naming_the_variable(tmp_path):
    done = zhengwu(tmp_path / "var", "manage", "check", ZHENGWU_DEBUG="maybe")
    assert done.returncode != 0 and "ZHENGWU_DEBUG: expected 1 or 0, got 'maybe'" in done.stderr
    done = zhengwu(tmp_path / "var", "manage", "check", ZHENGWU_DEBUG="1", ZHENGWU_PRODUCTION="1")
    assert done.returncode != 0 and "cannot be set together" in done.stderr
    done = zhengwu(tmp_path / "var", "manage", "check", ZHENGWU_HSTS_SECONDS="a year")
    assert done.returncode != 0 and "ZHENGWU_HSTS_SECONDS: expected a whole number" in done.stderr


def test_settings_contain_no_literal_secret_key():
    source = (ROOT / "src" / "zhengwu" / "settings.py").read_text()
    assert not re.search(r"SECRET_KEY\s*=\s*['\"]", source)
    assert not re.search(r"ZHENGWU_SECRET_KEY['\"]\s*,\s*['\"]", source)  # no os.environ.get(..., "default")


# ---- check --deploy ------------------------------------------------------------------------------

def test_the_documented_production_environment_passes_check_deploy(tmp_path):
    # an installed instance has its audit key (`zhengwu init`; here given in the environment)
    done = zhengwu(tmp_path / "var", "manage", "check", "--deploy", "--fail-level", "WARNING", **PRODUCTION,
                   ZHENGWU_AUDIT_KEY="ab" * 32)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_without_it_check_deploy_warns_but_development_still_checks_clean(tmp_path):
    var = tmp_path / "var"
    done = zhengwu(var, "manage", "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode != 0
    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in done.stderr + done.stdout
    assert zhengwu(var, "manage", "check").returncode == 0
    assert zhengwu(var, "manage", "check", ZHENGWU_DEBUG="1").returncode == 0


def test_production_mode_redirects_to_https_sends_hsts_and_trusts_the_proxy_header(tmp_path):
    out = probe(tmp_path / "var", **PRODUCTION)
    assert out["SESSION_COOKIE_SECURE"] and out["CSRF_COOKIE_SECURE"]
    assert out["CSRF_TRUSTED_ORIGINS"] == ["https://zhengwu.example.gov.cn"]
    assert out["ALLOWED_HOSTS"][0] == "zhengwu.example.gov.cn" and "localhost" not in out["ALLOWED_HOSTS"]
    plain = out["404"]
    assert plain["status"] == 301 and plain["headers"]["Location"].startswith("https://")
    hsts = out["https_404"]["headers"]["Strict-Transport-Security"]
    assert hsts == "max-age=31536000; includeSubDomains; preload"
    proxied = out["proxied_404"]  # nginx said https: served, not redirected again
    assert proxied["status"] == 404 and "Strict-Transport-Security" in proxied["headers"]
    assert "URLconf" not in proxied["body"]


def test_individual_switches_override_the_production_set(tmp_path):
    out = probe(tmp_path / "var", ZHENGWU_PRODUCTION="1", ZHENGWU_SSL_REDIRECT="0", ZHENGWU_HSTS_SECONDS="3600",
                ZHENGWU_HSTS_PRELOAD="0", ZHENGWU_BEHIND_PROXY="0")
    assert out["SECURE_SSL_REDIRECT"] is False and out["SECURE_HSTS_SECONDS"] == 3600
    assert out["SECURE_HSTS_PRELOAD"] is False and out["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert out["SECURE_PROXY_SSL_HEADER"] is None
    assert out["404"]["status"] == 404  # no redirect
    assert out["proxied_404"]["status"] == 404 and "Strict-Transport-Security" not in out["proxied_404"]["headers"]
    assert out["https_404"]["headers"]["Strict-Transport-Security"] == "max-age=3600; includeSubDomains"


def test_development_serves_plain_http_without_secure_cookies(tmp_path):
    out = probe(tmp_path / "var")
    assert not out["SESSION_COOKIE_SECURE"] and not out["SECURE_SSL_REDIRECT"] and out["SECURE_HSTS_SECONDS"] == 0
    assert out["404"]["status"] == 404 and "Strict-Transport-Security" not in out["https_404"]["headers"]
    assert out["SESSION_COOKIE_HTTPONLY"] and out["CSRF_COOKIE_HTTPONLY"]
    assert out["SESSION_COOKIE_SAMESITE"] == out["CSRF_COOKIE_SAMESITE"] == "Lax"
    assert out["X_FRAME_OPTIONS"] == "DENY"


# ---- SECRET_KEY ----------------------------------------------------------------------------------

def test_the_secret_key_is_generated_once_per_installation_0600_and_kept(tmp_path):
    first = probe(tmp_path / "a")["SECRET_KEY"]
    key_file = tmp_path / "a" / "secret.key"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert key_file.read_text().strip() == first and len(first) >= 50
    assert probe(tmp_path / "a")["SECRET_KEY"] == first  # the next start reads it
    assert probe(tmp_path / "b")["SECRET_KEY"] != first  # another installation has its own


def test_the_environment_key_wins_and_no_file_is_written(tmp_path):
    out = probe(tmp_path / "var", ZHENGWU_SECRET_KEY="k" * 20 + "from-the-environment" + "x" * 20)
    assert out["SECRET_KEY"].startswith("kkkk") and not (tmp_path / "var" / "secret.key").exists()


def test_processes_starting_together_agree_on_one_key(tmp_path):
    path = tmp_path / "var" / "secret.key"
    keys, start = [], threading.Barrier(8)

    def make():
        start.wait()
        keys.append(hardening.read_or_create_key(path))

    threads = [threading.Thread(target=make) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(set(keys)) == 1 and path.read_text().strip() == keys[0]
    assert sorted(os.listdir(path.parent)) == ["secret.key"]  # no temporary file left behind


def test_an_empty_key_file_is_an_error_not_an_empty_key(tmp_path):
    path = tmp_path / "secret.key"
    path.write_text("")
    # never overwritten (it may be a half-restored backup): refused, naming the file
    with pytest.raises(hardening.SettingError, match="secret.key"):
        hardening.read_or_create_key(path)
