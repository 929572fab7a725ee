"""Petitions numbered like cases (XF2026-000024, issue 11 item 10): existing
records get numbers in the order they were entered, per year of entry, and
the year's counter continues after them. Their old "XF<id>" stays findable
(selectors.petitions)."""

from zoneinfo import ZoneInfo

from django.db import migrations, models

PREFIX = "XF"
BUREAU_TZ = ZoneInfo("Asia/Shanghai")


def number_existing(apps, schema_editor):
    Petition = apps.get_model("kuaiban", "Petition")
    NumberSequence = apps.get_model("core", "NumberSequence")
    last: dict[int, int] = {}
    for pk, created_at in Petition.objects.order_by("created_at", "id").values_list("id", "created_at").iterator():
        year = created_at.astimezone(BUREAU_TZ).year
        last[year] = last.get(year, 0) + 1
        Petition.objects.filter(pk=pk).update(number=f"{PREFIX}{year}-{last[year]:06d}")
    for year, serial in last.items():
        NumberSequence.objects.update_or_create(prefix=PREFIX, year=year, defaults={"last": serial})


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0008_number_sequences"),
        ("kuaiban", "0006_inspector_open_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="petition",
            name="number",
            field=models.CharField(max_length=20, null=True, verbose_name="信访编号"),
        ),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="petition",
            name="number",
            field=models.CharField(max_length=20, unique=True, verbose_name="信访编号"),
        ),
    ]
