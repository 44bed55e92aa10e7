from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0003_portfolio_dual_duties'),
    ]

    operations = [
        migrations.AddField(
            model_name='government',
            name='demo',
            field=models.BooleanField(default=False, verbose_name='演示数据'),
        ),
    ]
