"""One audit chain per government (issue 17).

Existing events are not re-chained (that would need the audit key, which migrations never read):
they stay where they are as the first events of the platform's chain (government_id NULL), their
chain position set to their seq (under which they were hashed, so they verify unchanged), and the
old single head (id 1) becomes the platform's head (id 0). Each government that exists now gets its
own chain head whose genesis is the hash the old chain ended with: its first event links to the
single chain of before. Chains of governments created later start from the all-zero genesis.
"""

from django.db import migrations, models

from zhengwu.audit.triggers import run_install, run_uninstall

GENESIS = "0" * 64


def split_chains(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    ChainHead = apps.get_model("audit", "ChainHead")
    Government = apps.get_model("org", "Government")
    db = schema_editor.connection.alias
    run_uninstall(apps, schema_editor)  # the append-only triggers refuse the one UPDATE below
    try:
        AuditEvent.objects.using(db).exclude(hash="").update(chain_seq=models.F("seq"))
    finally:
        run_install(apps, schema_editor)
    old = ChainHead.objects.using(db).filter(id=1).first()
    if old is not None:
        ChainHead.objects.using(db).filter(id=1).delete()
        ChainHead.objects.using(db).create(id=0, last_seq=old.last_seq, last_hash=old.last_hash, genesis=GENESIS)
        last = old.last_hash
    else:
        found = AuditEvent.objects.using(db).exclude(hash="").order_by("-seq").values_list("hash", flat=True).first()
        last = found or GENESIS
    if last != GENESIS:
        ChainHead.objects.using(db).bulk_create(
            [ChainHead(id=g, last_seq=0, last_hash=last, genesis=last)
             for g in Government.objects.using(db).order_by("id").values_list("id", flat=True)])


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_triggers'),
        ('org', '0001_initial'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='chainhead',
            name='audit_chainhead_single_row',
        ),
        migrations.AddField(
            model_name='auditevent',
            name='chain_seq',
            field=models.BigIntegerField(blank=True, null=True, verbose_name='链内序号'),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='government_id',
            field=models.BigIntegerField(blank=True, null=True, verbose_name='区政府ID'),
        ),
        migrations.AddField(
            model_name='chainhead',
            name='genesis',
            field=models.CharField(default='0000000000000000000000000000000000000000000000000000000000000000', max_length=64),
        ),
        migrations.AlterField(
            model_name='chainhead',
            name='id',
            field=models.BigIntegerField(default=0, primary_key=True, serialize=False),
        ),
        migrations.RunPython(split_chains, migrations.RunPython.noop, elidable=False),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(condition=models.Q(('government_id__isnull', False)), fields=('government_id', 'chain_seq'), name='audit_gov_chain_seq_uniq'),
        ),
        migrations.AddConstraint(
            model_name='auditevent',
            constraint=models.UniqueConstraint(condition=models.Q(('government_id__isnull', True)), fields=('chain_seq',), name='audit_platform_chain_seq_uniq'),
        ),
        migrations.AddConstraint(
            model_name='chainhead',
            constraint=models.CheckConstraint(condition=models.Q(('id__gte', 0)), name='audit_chainhead_id_gte_0'),
        ),
    ]
