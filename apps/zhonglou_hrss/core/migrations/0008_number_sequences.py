from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0007_export_pii"),
    ]

    operations = [
        migrations.CreateModel(
            name="NumberSequence",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("prefix", models.CharField(max_length=10, verbose_name="前缀")),
                ("year", models.PositiveSmallIntegerField(verbose_name="年份")),
                ("last", models.PositiveIntegerField(default=0, verbose_name="已用到")),
            ],
            options={
                "verbose_name": "编号序列",
                "verbose_name_plural": "编号序列",
                "constraints": [models.UniqueConstraint(fields=("prefix", "year"), name="number_sequence_prefix_year")],
            },
        ),
    ]
