"""Upgrades (issue 9, "Upgrades and scale"): a database at the previous
release's migration state, with data, migrated to the current one without
loss — every row of every table that existed before is still there with the
same values in the columns it had (new rows may be added: django_migrations). On the test site's database: SQLite on
``make test``, MariaDB in CI's MariaDB run.

The previous release is the state before the portal's migrations and the
enterprise accounts (core 0009): core at 0008, kuaiban at 0008, no portal.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from tests.kuaiban.conftest import make_people, registration
from zhonglou_hrss.kuaiban.models import Case, CaseSource
from zhonglou_hrss.kuaiban.services.petitions import PetitionInput, save_petition
from zhonglou_hrss.kuaiban.services.registration import register_case

PREVIOUS_RELEASE = [("core", "0008_number_sequences"), ("kuaiban", "0008_district_figures_permission"),
                    ("portal", None)]
OLD_ID, OLD_PHONE = "320404199001011012", "13905195566"


def columns_of(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


def rows_of(table: str, columns: list[str]) -> list[tuple]:
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {names} FROM {connection.ops.quote_name(table)}")
        return sorted((tuple(r) for r in cursor.fetchall()), key=repr)


def every_table() -> dict[str, tuple[list[str], list[tuple]]]:
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    return {t: (cols, rows_of(t, cols)) for t in sorted(tables) for cols in [columns_of(t)]}


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor


@pytest.mark.django_db(transaction=True)
def test_issue_9_upgrade_from_the_previous_release_keeps_every_row(make_user):
    """issue 9 upgrade test: cases, petitions (with their events, numbers and
    counts), users, an enterprise and audit rows written; the schema taken
    back to the previous release (core 0008, no portal); rows added there
    with the historical models; then migrated to the latest — every table of
    the old state keeps every row, value for value, and the personal data
    still decrypts."""
    people = make_people(make_user)
    case = register_case(actor=people.clerk, source=CaseSource.INTERNAL, data=registration(
        reporter_id_number=OLD_ID, reporter_phone=OLD_PHONE)).case
    register_case(actor=people.clerk, source=CaseSource.INTERNAL, data=registration())
    save_petition(actor=people.clerk, data=PetitionInput(
        name="赵六", id_number=OLD_ID, phone=OLD_PHONE, respondent_name="常州某公司",
        reason="wage_arrears", grid="320404001", demand="讨薪"))
    latest = MigrationExecutor(connection).loader.graph.leaf_nodes()

    try:
        executor = _migrate(PREVIOUS_RELEASE)
        with connection.cursor() as cursor:
            tables = set(connection.introspection.table_names(cursor))
        assert not {t for t in tables if t.startswith("portal_")}, "portal tables at the previous release"
        assert "core_enterpriseaccount" not in tables and "core_taskrun" not in tables

        # Rows written by the previous release itself: its historical models.
        old = executor.loader.project_state([t for t in PREVIOUS_RELEASE if t[1]]).apps
        OldUser, OldEnterprise = old.get_model("core", "User"), old.get_model("core", "Enterprise")
        OldAudit, OldSequence = old.get_model("core", "AuditLog"), old.get_model("core", "NumberSequence")
        old_user = OldUser.objects.create(username="old_release_user", name="旧版用户", mobile=OLD_PHONE)
        OldEnterprise.objects.create(name="常州旧版机械有限公司", uscc="91320404MA1MXXXX0X", uscc_checksum_ok=False)
        OldAudit.objects.create(action="login", actor=old_user, target_repr="旧版登录")
        OldSequence.objects.create(prefix="ZZ", year=2025, last=7)

        before = every_table()
        assert sum(len(rows) for _, rows in before.values()) > 100
    finally:
        _migrate(latest)

    after = every_table()
    for table, (columns, rows) in before.items():
        assert table in after, f"{table} disappeared in the upgrade"
        missing = set(columns) - set(after[table][0])
        assert not missing, f"{table} lost columns {missing}"
        lost = Counter(rows) - Counter(rows_of(table, columns))  # a newer migration may add rows, never lose one
        assert not lost, f"{table} lost or changed {sum(lost.values())} rows in the upgrade: {list(lost)[:3]}"
    assert MigrationExecutor(connection).migration_plan(latest) == []

    again = Case.objects.get(pk=case.pk)
    assert (again.reporter_id_number, again.reporter_phone) == (OLD_ID, OLD_PHONE)
    from zhonglou_hrss.core.models import User

    assert User.objects.get(username="old_release_user").mobile == OLD_PHONE
