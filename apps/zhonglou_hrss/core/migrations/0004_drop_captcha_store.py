"""django-simple-captcha kept one row per captcha shown; core.captcha keeps
none. Its table goes with it (sites created before the change have it)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("core", "0003_export_kind_petition")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS captcha_captchastore", reverse_sql=migrations.RunSQL.noop),
    ]
