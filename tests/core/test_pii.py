"""Personal data (身份证号、手机号) at rest and on screen: architecture house
rule 10 — encrypted in the database, found by a keyed hash, masked for anyone
without ``core.view_pii``; a full view is written to the audit log.
Requirement: R-SYS-03 (user records carry a mobile) and R-KB-01 / R-KB-15
(ID numbers and phones of reporters and petitioners use the same field)."""

import re

import pytest
from cryptography.fernet import Fernet
from django.contrib.auth.models import Group, Permission
from django.core import serializers
from django.core.exceptions import FieldError
from django.db import connection
from django.test import Client

from tests.conftest import MODEL_BACKEND
from zhonglou_hrss.core import pii
from zhonglou_hrss.core.fields import PIIField
from zhonglou_hrss.core.models import AuditLog, User

pytestmark = pytest.mark.django_db

MOBILE = "13812345678"
MASKED_MOBILE = "138****5678"


def _raw_mobile(user) -> str:
    table = connection.ops.quote_name(User._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT mobile, mobile_hash FROM {table} WHERE id = %s", [user.pk])
        return cursor.fetchone()


@pytest.fixture
def fresh_fernet():
    pii._fernet.cache_clear()
    yield
    pii._fernet.cache_clear()


# --- storage --------------------------------------------------------------------------
def test_column_holds_ciphertext_attribute_is_plain(make_user):
    """House rule 10 / R-SYS-03: the mobile column holds Fernet ciphertext, never the number."""
    user = make_user("pii_a", mobile=MOBILE)
    raw, raw_hash = _raw_mobile(user)
    assert raw and raw != MOBILE
    assert MOBILE not in raw
    assert raw.startswith("gAAAA")  # Fernet token
    assert pii.decrypt(raw) == MOBILE
    assert User.objects.get(pk=user.pk).mobile == MOBILE
    assert raw_hash == pii.pii_hash(pii.MOBILE, MOBILE)
    assert len(raw_hash) == 64


def test_equal_values_encrypt_differently(make_user):
    """House rule 10: ciphertext is randomised, so the column cannot be compared."""
    a = make_user("pii_a", mobile=MOBILE)
    b = make_user("pii_b", mobile=MOBILE)
    assert _raw_mobile(a)[0] != _raw_mobile(b)[0]


def test_empty_value_stored_empty(make_user):
    """House rule 10: an empty mobile stores '' and an empty hash."""
    user = make_user("pii_empty")
    assert _raw_mobile(user) == ("", "")
    assert User.objects.get(pk=user.pk).mobile == ""


def test_hash_equal_for_equal_normalised_values(make_user):
    """House rule 10: "+86 138 0013 8000" and "13800138000" are the same number:
    stored normalised, with the same hash."""
    a = make_user("pii_a", mobile="+86 138 0013 8000")
    b = make_user("pii_b", mobile="13800138000")
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.mobile == "13800138000"
    assert b.mobile == "13800138000"
    assert a.mobile_hash == b.mobile_hash != ""
    c = make_user("pii_c", mobile="13900139000")
    assert c.mobile_hash != a.mobile_hash


def test_hash_is_keyed(settings):
    """House rule 10: the hash depends on the site's hash key (no rainbow table)."""
    before = pii.pii_hash(pii.MOBILE, MOBILE)
    settings.PII_HASH_KEY = "another-hash-key-that-is-long-enough-0123456789"
    assert pii.pii_hash(pii.MOBILE, MOBILE) != before
    assert pii.pii_hash(pii.MOBILE, "") == ""


def test_q_finds_by_value(make_user):
    """House rule 10: PIIField.q finds a record by its plain value, in any notation."""
    a = make_user("pii_a", mobile=MOBILE)
    make_user("pii_b", mobile="13900139000")
    assert list(User.objects.filter(PIIField.q("mobile", MOBILE, model=User))) == [a]
    assert list(User.objects.filter(PIIField.q("mobile", "+86 138-1234-5678", model=User))) == [a]
    assert list(User.objects.filter(PIIField.q("mobile", MOBILE, kind=pii.MOBILE))) == [a]
    assert not User.objects.filter(PIIField.q("mobile", "13700137000", model=User)).exists()


def test_exact_lookup_on_encrypted_column_refused(make_user):
    """House rule 10: comparing ciphertext is always wrong, so `exact` is refused."""
    make_user("pii_a", mobile=MOBILE)
    field = User._meta.get_field("mobile")
    assert field.get_lookup("exact") is None
    assert field.get_lookup("icontains") is None
    with pytest.raises(FieldError):
        list(User.objects.filter(mobile=MOBILE))
    with pytest.raises(FieldError):
        list(User.objects.filter(mobile__contains="1381"))
    # isnull stays allowed
    assert User.objects.filter(mobile__isnull=False, username="pii_a").count() == 1


def test_serialisation_never_writes_plain_value(make_user):
    """House rule 10: dumpdata-style serialisation writes the masked value only."""
    user = make_user("pii_a", mobile=MOBILE)
    text = serializers.serialize("json", User.objects.filter(pk=user.pk))
    assert MOBILE not in text
    assert MASKED_MOBILE in text


# --- masking --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "kind, value, masked",
    [
        (pii.ID_CARD, "32040419900101123X", "320404********123X"),
        (pii.ID_CARD, "11010519491231002X", "110105********002X"),
        (pii.MOBILE, "13812345678", "138****5678"),
        (pii.MOBILE, "13800138000", "138****8000"),
        (pii.MOBILE, "", ""),
        (pii.ID_CARD, None, ""),
        (pii.MOBILE, "12345", "*****"),
    ],
)
def test_mask(kind, value, masked):
    """House rule 10: masking keeps the first 6 / 3 and last 4 characters."""
    assert pii.mask(kind, value) == masked


# --- key rotation -----------------------------------------------------------------------
def test_key_rotation_old_values_still_decrypt(make_user, settings, fresh_fernet):
    """House rule 10: a value encrypted with an old key still decrypts after a new
    key is put first; new writes use the new key."""
    old_keys = list(settings.PII_ENCRYPTION_KEYS)
    user = make_user("pii_rot", mobile=MOBILE)
    old_token = _raw_mobile(user)[0]

    new_key = Fernet.generate_key().decode()
    settings.PII_ENCRYPTION_KEYS = [new_key, *old_keys]
    pii._fernet.cache_clear()
    assert User.objects.get(pk=user.pk).mobile == MOBILE
    assert pii.decrypt(old_token) == MOBILE

    other = make_user("pii_rot2", mobile="13900139000")
    new_token = _raw_mobile(other)[0]
    assert Fernet(new_key.encode()).decrypt(new_token.encode()).decode() == "13900139000"

    # Without the old key the old value can no longer be read: never shown as data.
    settings.PII_ENCRYPTION_KEYS = [new_key]
    pii._fernet.cache_clear()
    with pytest.raises(ValueError, match="无法解密"):
        User.objects.get(pk=user.pk)
    assert User.objects.get(pk=other.pk).mobile == "13900139000"


# --- the desk ----------------------------------------------------------------------------
def test_user_list_shows_masked_mobile(client_as, make_user):
    """House rule 10 / R-SYS-03: the user list shows 138****5678, never the number."""
    make_user("pii_listed", name="张三", mobile=MOBILE)
    html = client_as("admin").get("/desk/core/user/").content.decode()
    assert "pii_listed" in html
    assert MASKED_MOBILE in html
    assert MOBILE not in html


def test_admin_change_page_shows_full_mobile_and_audits(client_as, make_user):
    """House rule 10 / R-SYS-03: an admin (core.view_pii) sees the full mobile on the
    change page and the view is written to the audit log as pii_view."""
    target = make_user("pii_target", name="李四", mobile=MOBILE)
    client = client_as("admin")
    before = AuditLog.objects.filter(action="pii_view").count()
    response = client.get(f"/desk/core/user/{target.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    # One text input holding the whole number (not a textarea: it is one short value).
    assert re.search(r'<input type="text" name="mobile" value="13812345678"', html)
    assert '<textarea name="mobile"' not in html
    rows = AuditLog.objects.filter(action="pii_view")
    assert rows.count() == before + 1
    row = rows.first()
    assert row.actor.username == "u_admin"
    assert row.target_type == "core.User"
    assert row.target_id == str(target.pk)
    assert row.detail == {"fields": ["mobile"]}


def test_admin_change_page_without_mobile_writes_no_audit(client_as, make_user):
    """House rule 10: nothing personal shown, nothing audited."""
    target = make_user("pii_nomobile", name="王五")
    client = client_as("admin")
    assert client.get(f"/desk/core/user/{target.pk}/change/").status_code == 200
    assert not AuditLog.objects.filter(action="pii_view").exists()


@pytest.fixture
def user_viewer(make_user):
    """A role with core.view_user but WITHOUT core.view_pii."""
    group = Group.objects.create(name="用户查阅员")
    group.permissions.set(
        Permission.objects.filter(content_type__app_label="core", codename__in=["access_desk", "view_user"])
    )
    user = make_user("viewer")
    user.groups.set([group])
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    return user, client


def test_role_without_view_pii_sees_masked_mobile_only(user_viewer, make_user):
    """House rule 10: without core.view_pii the change page shows only the masked
    value and no pii_view audit row is written."""
    user, client = user_viewer
    assert not user.has_perm("core.view_pii")
    target = make_user("pii_target", name="赵六", mobile=MOBILE)
    response = client.get(f"/desk/core/user/{target.pk}/change/")
    assert response.status_code == 200
    html = response.content.decode()
    assert MASKED_MOBILE in html
    assert MOBILE not in html
    assert not AuditLog.objects.filter(action="pii_view").exists()
    # The list, too.
    html = client.get("/desk/core/user/").content.decode()
    assert MASKED_MOBILE in html and MOBILE not in html


def test_may_see():
    """House rule 10: only authenticated users holding core.view_pii see full values."""
    from django.contrib.auth.models import AnonymousUser

    assert pii.may_see(AnonymousUser()) is False
    assert pii.may_see(None) is False
