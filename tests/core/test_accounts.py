"""External accounts (R-PT-03; shared with credit's R-CR-01): the one door
``core.services.accounts`` — registration, one account per USCC, decisions
per subsystem, profile changes that never touch the login or the USCC."""

from __future__ import annotations

import pytest

from tests.conftest import MODEL_BACKEND
from tests.accounts import registration, uscc
from zhonglou_hrss.core.errors import ActionForbidden, InvalidInput, StateConflict
from zhonglou_hrss.core.models import (
    AccessStatus,
    AuditLog,
    Enterprise,
    EnterpriseAccount,
    Subsystem,
    SubsystemAccess,
    User,
)
from zhonglou_hrss.core.selectors import access_refusal
from zhonglou_hrss.core.services import accounts as service
from zhonglou_hrss.core.services.accounts import (
    ProfileInput,
    decide_access,
    profile_input,
    register_account,
    resubmit,
    update_profile,
)

pytestmark = pytest.mark.django_db


def errors_of(call) -> dict:
    with pytest.raises(InvalidInput) as caught:
        call()
    return caught.value.errors


def test_registration_makes_an_enterprise_user_who_never_enters_the_desk(client):
    """R-PT-03: the login is a core.User holding only enterprise_user; pending for the portal."""
    account = register_account(data=registration(1))
    user = account.user
    assert list(user.groups.values_list("name", flat=True)) == ["企业用户"]
    assert not user.has_perm("core.access_desk") and not user.is_staff and not user.is_superuser
    assert user.check_password(registration(1).password)
    access = SubsystemAccess.objects.get(account=account)
    assert (access.subsystem, access.status) == (Subsystem.PORTAL, AccessStatus.PENDING)
    assert access_refusal(user, Subsystem.PORTAL) == "账号待审核"
    assert account.enterprise.uscc == uscc(1) and account.enterprise.name == "常州测试1号有限公司"
    assert AuditLog.objects.filter(action=AuditLog.Action.ACCOUNT_REGISTER, target_id=str(account.pk)).exists()
    # The desk refuses it.
    client.force_login(user, backend=MODEL_BACKEND)
    assert client.get("/desk/").status_code == 302


def test_registration_links_an_existing_registry_entry():
    """One registry of companies: a USCC the bureau already knows is linked, not duplicated."""
    known = Enterprise.objects.create(uscc=uscc(7), name="旧名称")
    account = register_account(data=registration(7))
    assert account.enterprise_id == known.pk
    assert Enterprise.objects.filter(uscc=uscc(7)).count() == 1


def test_every_field_is_checked_at_once_and_nothing_is_saved():
    errors = errors_of(lambda: register_account(data=registration(
        1, username="a", password="123", uscc="9132", name="", industry="nope", address="", industrial_chain="",
        contact_name="", contact_phone="1234")))
    assert set(errors) == {"username", "password", "uscc", "name", "industry", "address", "industrial_chain",
                           "contact_name", "contact_phone"}
    assert "统一社会信用代码应为18位" in errors["uscc"][0]
    assert not User.objects.filter(username="a").exists() and not EnterpriseAccount.objects.exists()


def test_one_account_per_uscc():
    """R-PT-03: a second registration of a code is refused on uscc, whatever its username."""
    register_account(data=registration(1))
    errors = errors_of(lambda: register_account(data=registration(1, username="other1")))
    assert errors == {"uscc": [service.USCC_TAKEN]}
    assert not User.objects.filter(username="other1").exists()


def test_the_database_holds_one_account_per_uscc_even_past_the_check(monkeypatch):
    """Two registrations that both passed the check (a race): the unique constraint refuses the
    second with the same message, and its user is not left behind."""
    register_account(data=registration(1))
    real = service.validate_registration

    def check_passed_earlier(data, **kwargs):
        # As if the first account did not exist yet when this request was checked.
        monkeypatch.setattr(service.EnterpriseAccount.objects, "filter",
                            lambda *a, **k: EnterpriseAccount.objects.none())
        try:
            return real(data, **kwargs)
        finally:
            monkeypatch.undo()

    monkeypatch.setattr(service, "validate_registration", check_passed_earlier)
    errors = errors_of(lambda: register_account(data=registration(1, username="racer2")))
    assert errors == {"uscc": [service.USCC_TAKEN]}
    assert not User.objects.filter(username="racer2").exists()
    assert EnterpriseAccount.objects.count() == 1


def test_usernames_are_unique_without_regard_to_case():
    register_account(data=registration(1))
    errors = errors_of(lambda: register_account(data=registration(2, username="ENT1")))
    assert errors == {"username": [service.USERNAME_TAKEN]}


def test_a_checksum_mismatch_needs_confirmation_and_is_flagged():
    bad = uscc(5, valid=False)
    errors = errors_of(lambda: register_account(data=registration(5, uscc=bad)))
    assert "校验位不符" in errors["uscc"][0]
    account = register_account(data=registration(5, uscc=bad, confirm_uscc=True))
    assert account.uscc_checksum_confirmed is True
    assert account.enterprise.uscc_checksum_ok is False
    assert AuditLog.objects.get(action=AuditLog.Action.ACCOUNT_REGISTER).detail["uscc_checksum_confirmed"] is True


def test_the_password_rules_are_the_sites():
    errors = errors_of(lambda: register_account(data=registration(1, password="12345678")))
    assert errors["password"]  # numeric, common: Chinese messages from the site's validators
    assert not User.objects.exists() or not User.objects.filter(username="ent1").exists()


def test_portal_staff_approve_and_the_registry_follows(make_user):
    staff = make_user("ps", roles=["portal_staff"])
    account = register_account(data=registration(1))
    account.enterprise.name = "库里的旧名"
    account.enterprise.save()
    access = decide_access(actor=staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=True)
    assert (access.status, access.decided_by, access.reason) == (AccessStatus.APPROVED, staff, "")
    assert access_refusal(User.objects.get(pk=account.user_id), Subsystem.PORTAL) is None
    assert Enterprise.objects.get(pk=account.enterprise_id).name == "常州测试1号有限公司"
    with pytest.raises(StateConflict):
        decide_access(actor=staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=False, reason="晚了")


def test_rejecting_needs_a_reason_and_the_account_sees_it(make_user):
    staff = make_user("ps", roles=["portal_staff"])
    account = register_account(data=registration(1))
    assert errors_of(lambda: decide_access(actor=staff, account_id=account.pk, subsystem=Subsystem.PORTAL,
                                           approve=False, reason=" ")) == {"reason": ["请填写未通过的原因"]}
    decide_access(actor=staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=False, reason="名称不符")
    assert access_refusal(User.objects.get(pk=account.user_id), Subsystem.PORTAL) == "账号未通过审核：名称不符"


@pytest.mark.parametrize("role", ["credit_staff", "district_clerk", "leader", "admin", "enterprise_user"])
def test_only_the_subsystems_staff_decide(make_user, role):
    """Portal access by 就业后台 only (core.approve_portal_access); credit staff decide credit later."""
    other = make_user("x", roles=[role])
    account = register_account(data=registration(1))
    with pytest.raises(ActionForbidden):
        decide_access(actor=other, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=True)
    assert SubsystemAccess.objects.get(account=account).status == AccessStatus.PENDING


def test_the_profile_changes_but_never_the_login_or_the_uscc(make_user):
    account = register_account(data=registration(1))
    user = account.user
    changed = ProfileInput(**{**profile_input(account).__dict__, "name": "新名称有限公司", "contact_phone": "13700000001"})
    errors = errors_of(lambda: update_profile(actor=user, data=changed, username="someone", uscc=uscc(2)))
    assert errors == {"username": [service.USERNAME_FIXED], "uscc": [service.USCC_FIXED]}
    assert EnterpriseAccount.objects.get(pk=account.pk).company_name == "常州测试1号有限公司"
    update_profile(actor=user, data=changed, username="ent1", uscc=uscc(1).lower())  # the same ones: fine
    stored = EnterpriseAccount.objects.get(pk=account.pk)
    assert (stored.company_name, stored.contact_phone) == ("新名称有限公司", "13700000001")


def test_a_rejected_account_corrects_and_goes_back_to_review(make_user):
    staff = make_user("ps", roles=["portal_staff"])
    account = register_account(data=registration(1))
    decide_access(actor=staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=False, reason="名称不符")
    data = ProfileInput(**{**profile_input(account).__dict__, "name": "改正后的名称有限公司"})
    update_profile(actor=account.user, data=data)
    access = SubsystemAccess.objects.get(account=account)
    assert (access.status, access.decided_by) == (AccessStatus.PENDING, None)
    decide_access(actor=staff, account_id=account.pk, subsystem=Subsystem.PORTAL, approve=False, reason="仍不符")
    assert resubmit(actor=User.objects.get(pk=account.user_id)) == ["portal"]
    assert SubsystemAccess.objects.get(account=account).status == AccessStatus.PENDING


def test_staff_have_no_account_to_change(make_user):
    from zhonglou_hrss.core.errors import NotVisible

    with pytest.raises(NotVisible):
        update_profile(actor=make_user("ps", roles=["portal_staff"]), data=ProfileInput())


def test_names_follow_the_sites_typed_text_rule():
    errors = errors_of(lambda: register_account(data=registration(1, name="常州\u200b测试有限公司", contact_name="周\x07")))
    assert set(errors) == {"name", "contact_name"}
    account = register_account(data=registration(1, name="常州测试（ＡＢＣ）有限公司"))
    assert account.company_name == "常州测试(ABC)有限公司"
