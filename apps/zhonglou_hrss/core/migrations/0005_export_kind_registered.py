# Export kinds are registered by the apps (core.exports.registry): a checked
# string, no choice list, so a new app's kind needs no migration here.

import zhonglou_hrss.core.exports.registry
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0004_drop_captcha_store'),
    ]

    operations = [
        migrations.AlterField(
            model_name='exportjob',
            name='kind',
            field=models.CharField(max_length=30, validators=[zhonglou_hrss.core.exports.registry.validate_kind], verbose_name='导出内容'),
        ),
        migrations.AlterField(
            model_name='exporttemplate',
            name='kind',
            field=models.CharField(db_index=True, max_length=30, validators=[zhonglou_hrss.core.exports.registry.validate_kind], verbose_name='导出内容'),
        ),
    ]
