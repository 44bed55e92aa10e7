"""audit_append's contract with the services that call it, snapshot(), and the history reads."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from zhengwu.audit import hashing
from zhengwu.audit.catalogue import register_actions
from zhengwu.audit.models import AuditEvent, ChainHead
from zhengwu.audit.selectors import by_actor, history_for, history_for_object, recent, verify_chain
from zhengwu.audit.services import REDACTED, audit_append, snapshot

register_actions({"test_audit.thing.create": "测试：新建", "test_audit.thing.change": "测试：修改"})


@pytest.fixture(autouse=True)
def _own_key(settings, tmp_path, monkeypatch):
    monkeypatch.delenv(hashing.ENV_KEY, raising=False)
    settings.AUDIT_KEY_FILE = tmp_path / "audit.key"
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.log"
    settings.AUDIT_HASH_CHAIN = True
    hashing.load_key(settings.AUDIT_KEY_FILE, create=True)  # as `zhengwu init` does


class Actor:
    """Anything user-like: a pk, a display name, a username."""

    is_anonymous = False

    def __init__(self, pk, name, username):
        self.pk, self.name, self.username = pk, name, username

    def __str__(self):
        return self.name

    def get_username(self):
        return self.username


def append(**kw):
    args = {"actor": None, "action": "test_audit.thing.create", "obj_type": "test_audit.thing", "obj_id": "1"}
    args.update(kw)
    return audit_append(**args)


# --- transaction discipline -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_audit_append_outside_a_transaction_is_refused_and_writes_nothing():
    with pytest.raises(RuntimeError, match="inside the caller's transaction"):
        append()
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_rolling_back_the_change_rolls_back_its_audit_event():
    with transaction.atomic():
        append(obj_id="kept")

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        append(obj_id="dropped")
        raise Refused
    assert list(AuditEvent.objects.values_list("obj_id", flat=True)) == ["kept"]
    assert ChainHead.objects.get().last_seq == 1  # the head rolled back too
    with transaction.atomic():
        e = append(obj_id="next")
    assert e.chain_seq == 2  # so no gap, and the chain still verifies
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_committed_events_survive_and_carry_what_was_passed():
    with transaction.atomic():
        append(actor=Actor(7, "张三", "zhangsan"), action="test_audit.thing.change", obj_id="42",
               before={"title": "旧"}, after={"title": "新"}, article=60, summary="改标题")
    e = AuditEvent.objects.get()
    assert (e.actor_id, e.actor_label, e.action_label) == (7, "张三（zhangsan）", "测试：修改")
    assert (e.action, e.obj_type, e.obj_id) == ("test_audit.thing.change", "test_audit.thing", "42")
    assert (e.before, e.after, e.article, e.summary) == ({"title": "旧"}, {"title": "新"}, 60, "改标题")
    assert e.at.tzinfo is not None
    assert e.changes() == [("title", "旧", "新")]


# --- refusals write nothing -----------------------------------------------------------------


@pytest.mark.django_db
def test_an_unknown_action_is_refused_and_writes_nothing():
    with transaction.atomic():
        append()
    with pytest.raises(ValueError, match="action: 'test_audit.thing.explode' is not in the audit catalogue"):
        with transaction.atomic():
            append(action="test_audit.thing.explode")
    assert AuditEvent.objects.count() == 1
    assert ChainHead.objects.get().last_seq == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "kw, field",
    [
        ({"obj_type": ""}, "obj_type"),
        ({"obj_id": "  "}, "obj_id"),
        ({"obj_id": "x" * 101}, "obj_id"),
        ({"article": 0}, "article"),
        ({"article": "60"}, "article"),
        ({"after": ["not", "a", "dict"]}, "after"),
        ({"before": {"x": float("nan")}}, "before"),
        ({"summary": None}, "summary"),
        ({"actor": Actor(None, "未保存", "nobody")}, "actor"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(kw, field):
    with pytest.raises((ValueError, TypeError), match=f"^{field}:"):
        with transaction.atomic():
            append(**kw)
    assert AuditEvent.objects.count() == 0


@pytest.mark.django_db
def test_an_anonymous_user_is_not_an_actor():
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(ValueError, match="^actor:"), transaction.atomic():
        append(actor=AnonymousUser())


# --- actor labels -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_actor_labels_record_the_name_at_the_time():
    with transaction.atomic():
        system = append()
        same = append(actor=Actor(3, "lisi", "lisi"))
    assert (system.actor_id, system.actor_label) == (None, "system")
    assert (same.actor_id, same.actor_label) == (3, "lisi")


@pytest.mark.django_db
def test_a_real_person_can_act_and_their_password_never_enters_the_trail():
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.create_user(username="wangwu", password="s3cret-Pass")
    with transaction.atomic():
        e = append(actor=person, obj_type="org.person", obj_id=str(person.pk), after=snapshot(person))
    e = AuditEvent.objects.get(pk=e.pk)
    assert e.actor_id == person.pk and "wangwu" in e.actor_label
    assert e.after["password"] == REDACTED
    assert person.password not in str(e.after)
    assert e.after["username"] == "wangwu"
    assert verify_chain().ok


# --- snapshot -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_snapshot_records_stored_fields_as_json_values():
    from django.contrib.auth.models import Group, Permission

    perm = Permission.objects.order_by("pk").first()
    snap = snapshot(perm)
    assert snap == {"id": perm.pk, "name": perm.name, "content_type": perm.content_type_id, "codename": perm.codename}
    group = Group.objects.create(name="办公室")
    group.permissions.set(Permission.objects.order_by("-pk")[:2])
    assert snapshot(group, ["name", "permissions"]) == {
        "name": "办公室",
        "permissions": sorted(group.permissions.values_list("pk", flat=True)),
    }
    assert snapshot(perm, ["content_type_id"]) == {"content_type": perm.content_type_id}
    with pytest.raises(ValueError, match="^fields: auth.Permission has no field 'nope'"):
        snapshot(perm, ["nope"])


# --- history reads ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_history_is_newest_first_per_object_with_catalogue_labels(django_assert_num_queries):
    from django.contrib.auth.models import Group

    group = Group.objects.create(name="督查组")
    with transaction.atomic():
        append(obj_type="auth.group", obj_id=str(group.pk), summary="建")
        append(obj_type="auth.group", obj_id="999999", summary="别的")
        append(actor=Actor(5, "赵六", "zhaoliu"), action="test_audit.thing.change", obj_type="auth.group",
               obj_id=str(group.pk), summary="改")
    with django_assert_num_queries(1):
        rows = [(e.summary, e.action_label) for e in history_for_object(group)]
    assert rows == [("改", "测试：修改"), ("建", "测试：新建")]
    assert [e.summary for e in history_for("auth.group", group.pk)] == ["改", "建"]
    assert [e.summary for e in by_actor(5)] == ["改"]
    assert [e.summary for e in recent(2)] == ["改", "别的"]
    with pytest.raises(ValueError, match="^limit:"):
        recent(0)


# --- a property: whatever JSON a service records, the chain verifies after the round trip -------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=20),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(st.characters(exclude_characters="\x00", exclude_categories=("Cs",)), max_size=8),
                      children, max_size=4),
    max_leaves=12,
)


@pytest.mark.django_db
@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(after=st.dictionaries(st.text(max_size=8).filter(lambda s: "\x00" not in s), json_values, max_size=5))
def test_any_json_recorded_verifies_after_the_database_round_trip(after):
    with transaction.atomic():
        append(after=after)
    assert verify_chain().ok


# --- the admin shows the trail and offers no way to change it -------------------------------


@pytest.mark.django_db
def test_the_admin_lists_events_read_only(client):
    from django.contrib.auth import get_user_model

    from zhengwu.security.admins import admin_create

    root = get_user_model().objects.create_superuser(username="root", password="x", email="root@example.org")
    admin_user, _password = admin_create(actor=None, kind="audit", username="shenji", full_name="审计员")
    with transaction.atomic():
        e = append(summary="可查不可改")
    client.force_login(root)  # the installation superuser does not read the trail (三权分立)
    assert client.get("/admin/audit/auditevent/").status_code == 403
    client.force_login(admin_user)
    listing = client.get("/admin/audit/auditevent/")
    assert listing.status_code == 200
    assert "可查不可改" in listing.content.decode()
    assert client.get("/admin/audit/auditevent/add/").status_code == 403
    detail = client.get(f"/admin/audit/auditevent/{e.seq}/change/")
    assert detail.status_code == 200 and 'name="_save"' not in detail.content.decode()
    assert client.post(f"/admin/audit/auditevent/{e.seq}/change/", {"summary": "改"}).status_code == 403
    assert client.post(f"/admin/audit/auditevent/{e.seq}/delete/", {"post": "yes"}).status_code == 403
    assert AuditEvent.objects.get(seq=e.seq).summary == "可查不可改"
