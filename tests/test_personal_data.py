"""One door for personal data (house rule 10, ``core.pii.disclose``): no page,
form, API answer or file of the site shows a full ID number or phone to a
user who may not see personal data in full.

The test walks every named URL pattern of the site — the desk (admin lists
and record pages, case and petition pages, edit forms, figures, exports,
posters), the public pages and the API — as a user of every role whose
permissions are that role's minus ``core.view_pii``, with and without the
explicit reveal (``?pii=1``), and searches each answer (Excel files opened)
for the seeded full values: the reporter's, the petitioner's and their
companions' ID numbers and phones, and a staff user's mobile. The same walk
as the role itself (with the permission) must find them somewhere, so the
search cannot pass by finding nothing at all.
"""

from __future__ import annotations

import io
import itertools
import zipfile

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from tests.conftest import MODEL_BACKEND
from tests.kuaiban.conftest import PATHS, make_people, registration
from zhonglou_hrss.core.captcha import new_challenge
from zhonglou_hrss.core.exports import jobs
from zhonglou_hrss.core.fixtures_sync import role_group
from zhonglou_hrss.core.models import Enterprise, ExportJob, Grid, User
from zhonglou_hrss.kuaiban.exports import cases as case_exports
from zhonglou_hrss.kuaiban.models import CaseSource
from zhonglou_hrss.kuaiban.services.person_input import CompanionInput
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition
from zhonglou_hrss.kuaiban.services.registration import register_case
from zhonglou_hrss.kuaiban.services.transitions import perform

pytestmark = pytest.mark.django_db

REPORTER_ID, REPORTER_PHONE = "320404198801011235", "13905195566"
COMPANION_ID, COMPANION_PHONE = "320404199203030342", "13770001122"
PETITIONER_ID, PETITIONER_PHONE = "320404197505050518", "15850506070"
PETITION_COMPANION_ID = "320404198207070718"
STAFF_MOBILE = "18961112233"
SEEDED = [REPORTER_ID, REPORTER_PHONE, COMPANION_ID, COMPANION_PHONE, PETITIONER_ID, PETITIONER_PHONE,
          PETITION_COMPANION_ID, STAFF_MOBILE]
ROLES = ["admin", "district_clerk", "leader", "inspector", "grid_worker", "portal_staff", "credit_staff"]


def user_of(role: str, *, with_pii: bool) -> User:
    """A user holding the role's permissions, with or without core.view_pii."""
    source = role_group(role)
    group, _ = Group.objects.get_or_create(name=f"{role}-{'with' if with_pii else 'without'}-pii")
    perms = source.permissions.all()
    if not with_pii:
        perms = perms.exclude(codename="view_pii", content_type__app_label="core")
    group.permissions.set(perms)
    user = User.objects.create(username=f"walk_{role}_{with_pii}", name=f"{role}测试员")
    user.set_password("x")
    user.save()
    user.groups.set([group])
    if role == "grid_worker":
        user.grids.set(Grid.objects.filter(code="320404001"))
    return user


@pytest.fixture
def people(make_user):
    return make_people(make_user)


@pytest.fixture
def seeded(people):
    """A case (reporter + companion) visible to every kuaiban role, a petition
    (+ companion), a staff user with a mobile, an enterprise and an export job."""
    User.objects.filter(pk=people.admin.pk).update(mobile=STAFF_MOBILE)
    data = registration(reporter_id_number=REPORTER_ID, reporter_phone=REPORTER_PHONE, respondent_uscc="91350100M000100Y43",
                        companions=[{"name": "同行甲", "id_number": COMPANION_ID, "phone": COMPANION_PHONE}])
    case = register_case(actor=people.clerk, data=data, source=CaseSource.INTERNAL).case
    failed = register_case(actor=people.clerk, data=registration(), source=CaseSource.INTERNAL).case
    for action, who, body in PATHS["district_triage"]:
        perform(case_id=failed.pk, action=action, actor=getattr(people, who), data=dict(body))
    petition = save_petition(actor=people.clerk, data=PetitionInput(
        name="信访人甲", id_number=PETITIONER_ID, phone=PETITIONER_PHONE, respondent_name="常州某公司",
        reason="wage_arrears", grid="320404001", demand="要求支付工资",
        companions=[CompanionInput(name="同行乙", id_number=PETITION_COMPANION_ID, phone="")]))
    return {"case": case, "failed": failed, "petition": petition, "enterprise": Enterprise.objects.first(),
            "staff": people.admin}


def assign_to(case, people, inspector):
    """The grid failed it (still visible to the grid); the clerk sends it to the leader, who assigns it."""
    perform(case_id=case.pk, action="triage_escalate", actor=people.clerk, data={})
    perform(case_id=case.pk, action="assign", actor=people.leader, data={"inspector": inspector.username})


# --- the URL patterns, made concrete ------------------------------------------------------------
def named_patterns(patterns=None, namespace="") -> list[tuple[str, list[str]]]:
    """(name with namespace, parameter names) of every named pattern of the site."""
    found = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            prefix = list(entry.pattern.regex.groupindex)
            found += [(name, prefix + list(params)) for name, params in named_patterns(entry.url_patterns, ns)]
        elif isinstance(entry, URLPattern) and entry.name:
            found.append((namespace + entry.name, list(entry.pattern.regex.groupindex)))
    return list(dict.fromkeys((name, tuple(params)) for name, params in found))


def candidates(name: str, param: str, objects: dict, job) -> list[str]:
    ids = {"case": [objects["case"].pk, objects["failed"].pk], "petition": [objects["petition"].pk],
           "enterprise": [objects["enterprise"].pk], "user": [objects["staff"].pk]}
    if param in ("case_id", "petition_id", "job_id", "pk", "object_id", "id"):
        for model, values in ids.items():
            if model in name:
                return [str(v) for v in values]
        if "export" in name:
            return [str(job.pk)]
        return [str(v) for values in ids.values() for v in values][:6]
    return {
        # Actions are POSTs: a GET of any one of them shows what a GET of each does.
        "action": ["grid_accept", "nope"],
        "kind": ["user", "enterprise", "case_reasons", "grids"],
        "key": ["general", "320404001", new_challenge().key],
        "fmt": ["png"],
        "table": ["map", "overdue"],
        "app_label": ["core", "kuaiban"],
    }.get(param, ["1"])


def urls(objects: dict, job) -> list[str]:
    out = []
    for name, params in named_patterns():
        if name.endswith(("logout", "password_change", "password_change_done")) or "delete" in name:
            continue  # leaving the desk or deleting is not reading
        options = [candidates(name, p, objects, job) for p in params]
        for values in itertools.product(*options):
            try:
                out.append(reverse(name, kwargs=dict(zip(params, values))))
            except NoReverseMatch:
                continue
    return list(dict.fromkeys(out))


def text_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK"):  # an Excel file: its sheets' XML
        with zipfile.ZipFile(io.BytesIO(content)) as book:
            return "".join(book.read(n).decode("utf-8", "replace") for n in book.namelist() if n.endswith(".xml"))
    return content.decode("utf-8", "replace")


def walk(user, addresses) -> dict[str, list[str]]:
    """Every address GET as ``user`` (and with ``?pii=1``): seeded values found, by address."""
    client = Client()
    client.force_login(user, backend=MODEL_BACKEND)
    found = {}
    for address in addresses:
        # The explicit reveal (?pii=1) matters on a record's page, which has an id in its address.
        reveal = any(ch.isdigit() for ch in address)
        for url in (address, address + ("&" if "?" in address else "?") + "pii=1")[: 2 if reveal else 1]:
            try:
                response = client.get(url)
            except Exception as exc:  # a page that breaks is a finding of its own
                raise AssertionError(f"{url}: {exc!r}") from exc
            if response.status_code >= 500:
                raise AssertionError(f"{url}: {response.status_code}")
            if response.status_code != 200:
                continue
            body = text_of(response)
            hits = [value for value in SEEDED if value in body]
            if hits:
                found[url] = hits
    return found


@pytest.mark.parametrize("role", ROLES)
def test_no_page_shows_full_personal_data_without_the_permission(seeded, people, role):
    """House rule 10 / the one door: every URL, as every role without core.view_pii → no full value."""
    user = user_of(role, with_pii=False)
    if role == "inspector":
        assign_to(seeded["failed"], people, user)
    # Their own finished export when they may export; else someone else's (which they must not get).
    exporter = user if user.has_perm(case_exports.exporter.permission) else people.clerk
    job = jobs.start_export(user=exporter, kind=case_exports.KIND, filters={})
    assert ExportJob.objects.get(pk=job.pk).status == ExportJob.Status.DONE
    addresses = urls(seeded, job)
    assert len(addresses) > 100  # the walk covers the site
    assert walk(user, addresses) == {}


def test_the_walk_finds_the_values_where_they_may_be_seen(seeded, people):
    """The same walk as the clerk and the admin with the permission finds the full values (on the
    revealed case and petition pages, the edit form, the user's page): the search is real."""
    clerk = user_of("district_clerk", with_pii=True)
    job = jobs.start_export(user=clerk, kind=case_exports.KIND, filters={})
    found = walk(clerk, urls(seeded, job))
    seen = {value for hits in found.values() for value in hits}
    assert {REPORTER_ID, REPORTER_PHONE, COMPANION_ID, PETITIONER_ID, PETITION_COMPANION_ID} <= seen
    case_page = reverse("admin:kuaiban_case_change", kwargs={"case_id": seeded["case"].pk})
    assert REPORTER_ID in found[case_page + "?pii=1"] and case_page not in found  # only when revealed
    admin = user_of("admin", with_pii=True)
    found = walk(admin, [reverse("admin:core_user_change", args=[people.admin.pk])])
    assert any(STAFF_MOBILE in hits for hits in found.values())
