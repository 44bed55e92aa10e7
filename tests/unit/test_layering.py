"""The layers of docs/architecture.md, checked over the source with `ast` (imports anywhere in a module,
local imports inside functions included; no Django needed):

    web / api / cli                 (entry points)
    domain apps                     documents, meetings, decisions, supervision, seals, affairs, disclosure
    shared UI kit, output           zhengwu.web.present/taskobject/…, zhengwu.output (below the domains)
    platform apps                   org, workflow, audit, workcalendar
    rulebook                        pure Python

Arrows point down only. An exception is allowed only in the lists below, each with its reason.
"""

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src"
PACKAGE = SRC / "zhengwu"

PLATFORM = ("org", "workflow", "audit", "workcalendar")
DOMAINS = ("documents", "meetings", "decisions", "supervision", "seals", "affairs", "disclosure", "proposals")
# the entry points' own modules: a domain may use the shared UI kit of zhengwu.web, never these
WEB_ENTRY = ("zhengwu.web.views", "zhengwu.web.inbox", "zhengwu.web.calendar_view", "zhengwu.web.urls")
# the approval engine's tables: only the engine (zhengwu.workflow) writes them
ENGINE_MODELS = {"Approval", "Task", "Notification", "SavedPhrase"}
ENGINE_TABLES = ("workflow_approval", "workflow_task", "workflow_notification", "workflow_savedphrase")
WRITES = {"create", "bulk_create", "update", "bulk_update", "delete", "get_or_create", "update_or_create", "save"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> list[tuple[str, Path, ast.Module]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.relative_to(PACKAGE).parts:
            continue
        found.append((module_name(path), path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))))
    return found


MODULES = modules()


def imports(module: str, path: Path, tree: ast.Module) -> list[tuple[str, int]]:
    """(absolute module imported, line) for every import in the module, relative ones resolved;
    `from a import b` yields both a and a.b (b may be a submodule)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    out = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out += [(a.name, node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            out.append((target, node.lineno))
            out += [(f"{target}.{a.name}", node.lineno) for a in node.names]
    return out


def app_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def is_under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def offending(select, forbidden, allowed: dict[tuple[str, str], str] = {}) -> list[str]:
    """file:line of each import by a selected module of a forbidden target (forbidden(target), or
    forbidden(target, module) when it takes two arguments), unless (module, target) is allowed."""
    two = forbidden.__code__.co_argcount == 2
    bad = []
    for module, path, tree in MODULES:
        if not select(module):
            continue
        for target, line in imports(module, path, tree):
            hit = forbidden(target, module) if two else forbidden(target)
            if hit and not any(is_under(module, m) and is_under(target, t) for m, t in allowed):
                bad.append(f"{path.relative_to(SRC.parent)}:{line} imports {target}")
    return sorted(set(bad))


def test_the_rulebook_imports_no_django_and_nothing_of_zhengwu_outside_itself():
    bad = offending(lambda m: is_under(m, "zhengwu.rulebook"),
                    lambda t: is_under(t, "django") or (is_under(t, "zhengwu") and not is_under(t, "zhengwu.rulebook")))
    assert bad == []


def test_the_shared_output_package_is_pure():
    bad = offending(lambda m: is_under(m, "zhengwu.output"),
                    lambda t: is_under(t, "django") or (is_under(t, "zhengwu") and not is_under(t, "zhengwu.output")))
    assert bad == []


# Platform → domain imports allowed, and why. (None today: domains register with the platform —
# workflow's subject contract, audit's catalogue — instead of the platform importing them.)
PLATFORM_ALLOWED: dict[tuple[str, str], str] = {}


def test_platform_apps_import_no_domain_app():
    bad = offending(lambda m: app_of(m) in PLATFORM,
                    lambda t: is_under(t, "zhengwu") and app_of(t) in DOMAINS, PLATFORM_ALLOWED)
    assert bad == []


def test_domain_apps_import_neither_the_api_nor_the_web_pages_nor_the_benchmark():
    bad = offending(lambda m: app_of(m) in DOMAINS,
                    lambda t: is_under(t, "zhengwu.api") or any(is_under(t, w) for w in WEB_ENTRY)
                    or is_under(t, "zhengwu.demo_scale") or is_under(t, "bench") or is_under(t, "zhengwu.cli"))
    assert bad == []


def test_the_gbt9704_renderer_is_shared_not_a_domains():
    assert (PACKAGE / "output" / "gbt9704.py").is_file() and not (PACKAGE / "documents" / "gbt9704.py").exists()
    bad = offending(lambda m: app_of(m) in DOMAINS,
                    lambda t: any(is_under(t, f"zhengwu.{d}.gbt9704") for d in DOMAINS))
    assert bad == []


def test_no_domain_imports_another_domain_except_where_the_text_joins_them():
    allowed = {
        # art. 28-30: a 三重一大 dossier is decided at a meeting; meetings/dossiers.py is the one
        # module through which meetings calls the decisions app (architecture.md)
        ("zhengwu.meetings", "zhengwu.decisions"): "dossiers on the agenda",
        # art. 63: a meeting's decision is followed by the documents it orders (FollowUp)
        ("zhengwu.meetings", "zhengwu.documents"): "follow-up documents",
        ("zhengwu.decisions", "zhengwu.meetings"): "the deciding meeting of a dossier",
        ("zhengwu.decisions", "zhengwu.documents"): "documents a decision orders",
        # art. 49-50: the supervision ledger takes its items from meetings' decisions, leaders' 批示
        # on documents and 三重一大 decisions (supervision/services.py item_from_*)
        ("zhengwu.supervision", "zhengwu.meetings"): "ledger items from meeting decisions",
        ("zhengwu.supervision", "zhengwu.documents"): "ledger items from leaders' 批示 on documents",
        # art. 39: a "列入计划" answer to a 建议提案 becomes a ledger item (proposal_answer calls
        # supervision.services.item_from_proposal_answer in its transaction)
        ("zhengwu.proposals", "zhengwu.supervision"): "'列入计划' answers become ledger items",
        # art. 39: the answer is a 答复函, a document in the lead unit's own name that goes through the
        # documents flow (proposals.services.reply_draft drafts it; its head signs it as the unit)
        ("zhengwu.proposals", "zhengwu.documents"): "the answer is a 答复函 signed in the documents flow",
        # art. 43 (督促解决重大信访问题): the 督查指挥中心 puts a hard 信访 case on its ledger through
        # supervision.services.item_create (source "petition"; disclosure/petitions/services.py)
        ("zhengwu.disclosure", "zhengwu.supervision"): "a hard petition case goes onto the supervision ledger",
        # art. 76(三): a topic for the 区委 names the 常务会议 or 区长办公会议 decision (meetings.AgendaItem)
        # that agreed to it in principle (affairs/bodies: Submission.prior_item)
        ("zhengwu.affairs", "zhengwu.meetings"): "a 区委 topic's prior meeting decision",
        # art. 83: a 公文 is stamped only once signed and numbered, bound to that version's hash; a
        # seal's impression is stored like a document attachment (seals/services.py)
        ("zhengwu.seals", "zhengwu.documents"): "stamping a signed, numbered document; the attachment store",
        # art. 33, 35: an issued document and the decisions of signed-off minutes enter the disclosure
        # queue (disclosure/apps.py listens to documents' document_issued and meetings' minutes_signed
        # signals); at release the source is read again so nothing classified is ever published
        ("zhengwu.disclosure", "zhengwu.documents"): "issued documents enter the disclosure queue",
        ("zhengwu.disclosure", "zhengwu.meetings"): "signed-off meeting decisions enter the disclosure queue",
    }
    bad = offending(lambda m: app_of(m) in DOMAINS,
                    lambda t, m: is_under(t, "zhengwu") and app_of(t) in DOMAINS and app_of(t) != app_of(m), allowed)
    assert bad == []


def test_the_data_generator_is_not_in_the_package():
    assert not (PACKAGE / "demo_scale").exists()
    assert (SRC.parent / "bench" / "datagen" / "generator.py").is_file()


def engine_writes(tree: ast.Module) -> list[int]:
    """Lines that write an engine model outside the engine: Model.objects….<write>(…), raw SQL on
    its tables, or COPY into them."""
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITES:
            root = node.func.value
            while isinstance(root, (ast.Attribute, ast.Call, ast.Subscript)):
                root = root.func if isinstance(root, ast.Call) else root.value
            if isinstance(root, ast.Name) and root.id in ENGINE_MODELS:
                lines.append(node.lineno)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and any(
                t in node.value for t in ENGINE_TABLES) and any(
                k in node.value.upper() for k in ("INSERT", "UPDATE ", "DELETE", "COPY ")):
            lines.append(node.lineno)
    return lines


# Modules outside zhengwu.workflow allowed to write engine rows, and why. Keep it empty: domains ask
# the engine (approval_start, approval_cancel, task_complete …); the benchmark's generator writes
# them in bulk from bench/, outside the package.
ENGINE_WRITERS_ALLOWED: dict[str, str] = {}


def test_only_the_engine_writes_engine_rows_in_the_package():
    bad = []
    for module, path, tree in MODULES:
        if is_under(module, "zhengwu.workflow") or module in ENGINE_WRITERS_ALLOWED:
            continue
        bad += [f"{path.relative_to(SRC.parent)}:{line}" for line in engine_writes(tree)]
    assert bad == []


def test_the_engine_write_check_sees_a_write():
    tree = ast.parse("Task.objects.filter(approval=a).update(status='cancelled')\n"
                     "cur.execute('UPDATE workflow_task SET status = %s')\n"
                     "Approval.objects.filter(pk=1).exists()\n")
    assert engine_writes(tree) == [1, 2]


@pytest.mark.parametrize("module", ["zhengwu.meetings.views", "zhengwu.meetings.minutes_docx"])
def test_meetings_import_their_output_from_the_shared_package(module):
    [(name, path, tree)] = [m for m in MODULES if m[0] == module]
    targets = {t for t, _ in imports(name, path, tree)}
    assert not any(is_under(t, "zhengwu.api") for t in targets)
    assert any(is_under(t, "zhengwu.output") for t in targets)
