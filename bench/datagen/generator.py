"""`python -m bench.datagen N [--seed S]`: a city of N district governments, each with the demo
structure (units, positions, 分工, people) and a year of traffic, written in bulk.

Per district and working day: about ten 请示 submitted to the government (收文, art. 67–68) and a few
documents issued (发文, art. 69), each run through its rulebook route as the approval engine would
(the office's review, the 分管领导's 批示, the 区长 for major matters, 串并联 for urgent ones,
传阅), with the tasks, notifications and audit events the services would have written. Urgency
mix: 一般 80 %, 加急 14 %, 特急 5 %, 特急重要 1 %. About 4 % of requests are returned by the office,
2 % by a leader, and 6–7 % are answered late or still open past the art. 68 limit. Documents still
in flight at the end of the window (yesterday) leave open tasks: every inbox has work in it.

Deterministic for a seed: every district draws from its own random stream, so district k holds
the same traffic whatever N is (bench P3 compares the same pages at 1× and 10×). Only ids and the
audit hashes (keyed) depend on what else is in the database.

The audit chain is computed in bulk, in the order of the events' times, continuing from the
chain head: `zhengwu audit verify` passes on the result.

Rows are written with COPY on PostgreSQL (foreign-key triggers off for the load, in the same
transaction; every reference is made by construction) and executemany on SQLite.

Meetings: a 区政府常务会议 every other week per district in the 区长's chair, with the leaders as
members, the office director attending, and three agenda items decided (past meetings) or
confirmed (the next one). Minutes, opinions and 三重一大 dossiers are not generated (TODO).

It writes the engine's and the domains' rows itself, as the services would have, for speed: that is
why it lives in bench/, outside the shipped package (no product code writes engine rows but the
engine; tests/unit/test_layering.py keeps it so).
"""


from __future__ import annotations

import datetime as dt
import random
import sys
import time
import zoneinfo
from collections import defaultdict

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction

from zhengwu import rules
from zhengwu.audit import checkpoints, hashing
from zhengwu.audit.chain import audit_key
from zhengwu.audit.models import AuditEvent, ChainHead
from zhengwu.documents.models import Document, NumberCounter
from zhengwu.documents.numbering import register_key
from zhengwu.meetings.models import AgendaItem, Attendance, Meeting, Room
from zhengwu.org import demo as org_demo
from zhengwu.org.models import Appointment, Government, Person, Portfolio, Position, Term, Unit
from zhengwu.workflow.models import Approval, Notification, Task

from .writer import Table, reset_sequences

# Bump when the data written changes (bench/run.py regenerates its data sets on a new version).
VERSION = "5"

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
DAYS = 365
INCOMING_PER_DAY = (6, 14)  # uniform, per district and working day
OUTGOING_PER_DAY = (1, 4)
URGENCY_MIX = [("一般", 80), ("加急", 14), ("特急", 5), ("特急重要", 1)]
P_OFFICE_RETURN = 0.04
P_LEADER_RETURN = 0.02
P_LATE = 0.07
P_MAJOR = 0.2
P_PARALLEL = 0.5  # of urgent requests
P_CIRCULATE = 0.6  # of 批示: the office circulates them to one or two other leaders (传阅)

A = "洮镇通安岭德永兴长平和新宁康泰丰华明清嘉瑞阳春云龙凤鹤松柏"
B = "北南东西中江河山川原湖林泉桥城州陵峰谷源滨海溪田塘堡庄湾岗"

# units without a 主要负责人 among the demo people get one; every unit gets one 工作人员
EXTRA_HEADS = ["sjj", "wsb", "rsj", "zjj", "zwj", "wjj", "nyj", "yjj", "tdjd", "lnc", "mqgw", "kfq"]
# submitting units with their weight (新华、铁东街道, 教育局, 卫健局 are busy: 赵丁 is the busy 副区长)
SUBMITTERS = {"dcz": 1, "sfj": 1, "sjj": 1, "czj": 2, "fgj": 2, "wsb": 1, "rsj": 1, "zjj": 2, "zwj": 1,
              "jyj": 3, "wjj": 3, "nyj": 2, "yjj": 1, "xhjd": 3, "tdjd": 3, "dfx": 2, "lnc": 1, "mqgw": 1,
              "kfq": 1}
TOPICS = ["老旧小区改造资金", "校舍维修", "农村公路养护", "冬季供暖补贴", "高标准农田建设", "社区养老服务站建设",
          "防汛物资储备", "医疗设备采购", "中小学教师招聘", "城市排水管网改造", "秸秆综合利用", "安全生产专项整治",
          "营商环境优化", "政务服务事项调整", "乡村振兴示范村建设", "人才引进补贴", "垃圾分类试点", "食品安全抽检",
          "文化广场建设", "就业困难人员援助", "预算调整", "国有资产处置", "招商引资项目落地", "河道清淤"]
OPINIONS = ["同意", "同意，请按程序办理", "请办公室牵头研究后报我", "原则同意，请财政局审核资金", "请抓紧落实",
            "已阅，请相关部门配合"]
RETURN_REASONS = ["请补充资金测算依据（《工作规则》第六十七条）", "未经本单位主要负责人签发（《工作规则》第六十七条）",
                  "涉及其他部门职权，请先行协商会签（《工作规则》第六十七条）"]


class Chain:
    """Audit events bucketed by day, chained in time order once no later document can add to a day:
    each government's events on its own chain (`chain_seq` 1, 2, 3 … under its `ChainHead`, id = the
    government's id), as `audit.pending.flush` writes them; `seq` numbers the rows across the trail."""

    def __init__(self, table: Table):
        self.table = table
        self.buckets: dict[dt.date, list] = defaultdict(list)
        last = AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
        self.seq = last or 0
        self.heads: dict[int, tuple[int, str]] = {}  # government id: (chain_seq, hash) of its last event
        self.key = audit_key()  # AuditKeyError when missing: `zhengwu init` (bench.run passes ZHENGWU_AUDIT_KEY)
        self.algo = hashing.current_algorithm()
        self.n = 0

    def _head(self, gov: int) -> tuple[int, str]:
        if gov not in self.heads:
            head = ChainHead.objects.select_for_update().filter(id=gov).first()
            self.heads[gov] = (head.last_seq, head.last_hash) if head else (0, hashing.GENESIS)
        return self.heads[gov]

    def add(self, gov: int, at: dt.datetime, actor, action: str, obj_type: str, obj_id, *, before=None, after=None,
            article=None, summary="") -> None:
        self.buckets[at.date()].append((at, self.n, gov, actor, action, obj_type, str(obj_id), before, after,
                                        article, summary))
        self.n += 1

    def flush_before(self, day: dt.date | None) -> None:
        for d in sorted(k for k in self.buckets if day is None or k < day):
            for at, _n, gov, actor, action, obj_type, obj_id, before, after, article, summary in sorted(
                    self.buckets.pop(d), key=lambda e: (e[0], e[1])):
                pos, prev = self._head(gov)
                self.seq += 1
                actor_id, label = actor if actor else (None, "system")
                msg = hashing.event_message(seq=pos + 1, government=gov, at=at, actor_id=actor_id, actor_label=label,
                                            action=action, obj_type=obj_type, obj_id=obj_id, before=before,
                                            after=after, article=article, summary=summary, prev_hash=prev)
                h = hashing.mac_hex(self.algo, self.key, msg)
                self.table.add(seq=self.seq, government_id=gov, chain_seq=pos + 1, at=at, actor_id=actor_id,
                               actor_label=label, action=action, obj_type=obj_type, obj_id=obj_id, before=before,
                               after=after, article=article, summary=summary, algo=self.algo, prev_hash=prev, hash=h)
                self.heads[gov] = (pos + 1, h)

    def close(self) -> None:
        self.flush_before(None)
        self.table.flush()
        for gov, (pos, last) in sorted(self.heads.items()):
            if not ChainHead.objects.filter(id=gov).update(last_seq=pos, last_hash=last):
                ChainHead.objects.create(id=gov, last_seq=pos, last_hash=last, genesis=hashing.GENESIS)

    def checkpoint(self) -> None:
        """Anchor the heads, as a COMMIT would (after the load committed)."""
        if self.heads:
            checkpoints.record([(gov, pos, last) for gov, (pos, last) in sorted(self.heads.items())], self.key)


class District:
    """One generated government: its ids, people and random stream."""

    def __init__(self, k: int, seed: int, gen: "Generator"):
        self.k = k
        self.rng = random.Random(f"zhengwu-scale/{seed}/{k}")
        i, j = divmod(k - 1, len(B))
        self.short = f"{A[i % len(A)]}{B[j]}区" + (str(i // len(A) + 1) if i >= len(A) else "")
        self.name = f"示范市{self.short}人民政府"
        self.prefix = f"示{self.short[:2]}政"
        self.gen = gen
        self.people: dict[str, tuple[int, str, str]] = {}  # key -> (person id, label, full name)
        self.positions: dict[str, int] = {}  # person key -> position id
        self.units: dict[str, int] = {}
        self.unit_names: dict[str, str] = {}
        self.leader_of: dict[str, str] = {}  # unit key -> leader person key
        self.head_of: dict[str, str] = {}  # unit key -> unit head person key
        self.numbers: dict[str, int] = defaultdict(int)  # "series/year" -> last number


class Generator:
    def __init__(self, scale: int, seed: int, *, out=sys.stdout, today: dt.date | None = None, backlog: int = 0):
        self.backlog_per_district = backlog
        if scale < 1:
            raise ValueError("scale: must be at least 1")
        self.scale, self.seed, self.out = scale, seed, out
        self.today = today or rules.today()
        from zhengwu.workcalendar.selectors import work_calendar

        self.cal = work_calendar()
        self.book = rules.book(self.today)
        self.limit_days = rules.param("approval.limit_days", self.today)
        self.sign_days = rules.param("approval.leader_sign_days", self.today)
        self.password = make_password(org_demo.PASSWORD)
        self.stats = defaultdict(int)
        self._due_cache: dict = {}

    # ---- time helpers ----------------------------------------------------------------------
    def wd(self, d: dt.date, n: int) -> dt.date:
        key = (d, n)
        r = self._due_cache.get(key)
        if r is None:
            r = self._due_cache[key] = self.cal.add_workdays(d, n) if n else d
        return r

    @staticmethod
    def at(day: dt.date, minutes: int) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(8, 30), TZ) + dt.timedelta(minutes=min(minutes, 600))

    def say(self, msg: str) -> None:
        print(f"datagen {self.scale}: {msg}", file=self.out, flush=True)

    # ---- the run ------------------------------------------------------------------------------
    def run(self) -> dict:
        t0 = time.monotonic()
        if Government.objects.exists():
            raise ValueError("a government already exists; the scale generator loads into an empty database")
        from zhengwu.workcalendar.models import CalendarYear
        from zhengwu.workcalendar.services import calendar_seed

        if not CalendarYear.objects.exists():
            calendar_seed(actor=None)
            from zhengwu.workcalendar.selectors import work_calendar

            self.cal = work_calendar()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cur:
                    cur.execute("SET LOCAL session_replication_role = replica")  # no FK triggers for the load
                    cur.execute("SET LOCAL synchronous_commit = off")
            self.t = {m: Table(m) for m in (Government, Term, Unit, Person, Position, Appointment, Portfolio,
                                            Portfolio.units.through, Document, NumberCounter, Approval, Task,
                                            Notification, Room, Meeting, Attendance, AgendaItem)}
            self.chain = Chain(Table(AuditEvent))
            districts = [District(k, self.seed, self) for k in range(1, self.scale + 1)]
            for d in districts:
                self.structure(d)
            for m in (Government, Term, Unit, Person, Position, Appointment, Portfolio, Portfolio.units.through):
                self.t[m].flush()
            self.say(f"{len(districts)} governments, {self.t[Person].count} people ({time.monotonic() - t0:.1f}s)")
            self.traffic(districts, t0)
            upcoming = self.today + dt.timedelta(days=(3 - self.today.weekday()) % 7 or 7)  # next Thursday
            for d in districts:
                self.meeting(d, upcoming, upcoming=True)
            if self.backlog_per_district:
                self.backlog(districts)
            for d in districts:
                for key, last in d.numbers.items():
                    series, year = key.rsplit("/", 1)
                    self.t[NumberCounter].add(id=self.t[NumberCounter].next_id(), government_id=d.gov_id,
                                              series=series, year=int(year), last=last)
            for table in self.t.values():
                table.flush()
            self.chain.close()
            reset_sequences([Government, Term, Unit, Person, Position, Appointment, Portfolio,
                             Portfolio.units.through, Document, NumberCounter, Approval, Task, Notification,
                             AuditEvent, Room, Meeting, Attendance, AgendaItem])
        if not connection.in_atomic_block:  # committed
            self.chain.checkpoint()
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                for m in (Document, Approval, Task, Notification, AuditEvent, Person):
                    cur.execute(f"ANALYZE {m._meta.db_table}")
        counts = {"governments": self.scale, "people": self.t[Person].count, "documents": self.t[Document].count,
                  "approvals": self.t[Approval].count, "tasks": self.t[Task].count,
                  "notifications": self.t[Notification].count, "audit_events": self.chain.table.count,
                  "meetings": self.t[Meeting].count,
                  "returned": self.stats["returned"], "overdue": self.stats["overdue"],
                  "incoming": self.stats["incoming"], "seconds": round(time.monotonic() - t0, 1)}
        rate = (counts["returned"] + counts["overdue"]) / max(1, counts["incoming"])
        counts["returned_or_overdue_share"] = round(rate, 3)
        self.say("done: " + ", ".join(f"{k}={v}" for k, v in counts.items()))
        return counts

    # ---- structure ------------------------------------------------------------------------------
    def structure(self, d: District) -> None:
        t = self.t
        d.gov_id = t[Government].next_id()
        t[Government].add(id=d.gov_id, name=d.name, short_name=d.short, doc_prefix=d.prefix, rulebook_id=self.book.id)
        term_start = org_demo.TERM_START
        d.term_id = t[Term].next_id()
        t[Term].add(id=d.term_id, government_id=d.gov_id, number=1, start=term_start,
                    end=term_start.replace(year=term_start.year + 5))
        for i, (key, name, short, kind, domains) in enumerate(org_demo.UNITS):
            uid = t[Unit].next_id()
            d.units[key] = uid
            d.unit_names[key] = short
            t[Unit].add(id=uid, government_id=d.gov_id, name=name, short_name=short, kind=kind, domains=domains,
                        order=i, active=True)
        people = [(u, n, c, ti, uk, r) for u, n, c, ti, uk, r in org_demo.PEOPLE]
        names = dict((k, s) for k, _n, s, _k, _d in org_demo.UNITS)
        for i, key in enumerate(EXTRA_HEADS):
            people.append((f"{key}-head", f"{'周吴郑王冯陈褚卫蒋沈韩杨'[i]}{'一二三四五六七八九十'[i % 10]}",
                           "unit_head", f"{names[key]}主要负责人", key, 30 + i))
        for i, (key, *_rest) in enumerate(org_demo.UNITS):
            people.append((f"{key}-staff", f"{'朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦'[i]}科",
                           "staff", f"{names[key]}工作人员", key, 60 + i))
        joined = dt.datetime.combine(term_start, dt.time(9), TZ)
        for username, full_name, code, title, unit_key, rank in people:
            pid = t[Person].next_id()
            login = f"d{d.k:03d}-{username}"
            office = username in ("bgs-zhuren", "bgs-fuzhuren", "wenshu")
            t[Person].add(id=pid, password=self.password, last_login=None, is_superuser=False, username=login,
                          first_name="", last_name="", email=f"{login}@scale.example", is_staff=office,
                          is_active=True, date_joined=joined, full_name=full_name, phone="", government_id=d.gov_id)
            d.people[username] = (pid, f"{full_name}（{login}）", full_name)
            pos = t[Position].next_id()
            t[Position].add(id=pos, government_id=d.gov_id, code=code, unit_id=d.units[unit_key] if unit_key else None,
                            title=title, rank=rank)
            d.positions[username] = pos
            t[Appointment].add(id=t[Appointment].next_id(), position_id=pos, person_id=pid, term_id=d.term_id,
                               start=term_start, end=None)
            if code == "unit_head":
                d.head_of.setdefault(unit_key, username)
        d.head_of.setdefault("dcz", "dcz")  # the 督查指挥中心's director signs its submissions
        for username, (unit_keys, domains) in org_demo.PORTFOLIOS.items():
            pf = t[Portfolio].next_id()
            t[Portfolio].add(id=pf, position_id=d.positions[username], domains=domains, note="")
            for uk in unit_keys:
                t[Portfolio.units.through].add(id=t[Portfolio.units.through].next_id(), portfolio_id=pf,
                                               unit_id=d.units[uk])
                d.leader_of[uk] = username
        d.submitters = [k for k, w in SUBMITTERS.items() for _ in range(w)]
        d.code_holder = {"office_director": "bgs-zhuren", "office_deputy_director": "bgs-fuzhuren",
                         "district_head": "quzhang", "executive_deputy": "changwu", "clerk": "wenshu"}

    # ---- traffic -----------------------------------------------------------------------------------
    def traffic(self, districts: list[District], t0: float) -> None:
        start = self.today - dt.timedelta(days=DAYS)
        days = [start + dt.timedelta(days=i) for i in range(DAYS)]
        workdays = [x for x in days if self.cal.is_workday(x)]
        step = max(1, len(workdays) // 10)
        for i, day in enumerate(workdays):
            self.chain.flush_before(day)
            for d in districts:
                if day.weekday() == 3 and day.isocalendar()[1] % 2 == 0:  # Thursdays of even weeks
                    self.meeting(d, day)
                for _ in range(d.rng.randint(*INCOMING_PER_DAY)):
                    self.incoming(d, day)
                for _ in range(d.rng.randint(*OUTGOING_PER_DAY)):
                    self.outgoing(d, day)
            if (i + 1) % step == 0 or i + 1 == len(workdays):
                self.say(f"{day} ({100 * (i + 1) // len(workdays)}%): documents={self.t[Document].count + len(self.t[Document].rows)}"
                         f" tasks={self.t[Task].count + len(self.t[Task].rows)}"
                         f" audit={self.chain.table.count + len(self.chain.table.rows)} ({time.monotonic() - t0:.0f}s)")

    def _person(self, d: District, key: str):
        pid, label, _name = d.people[key]
        return pid, label

    def _notify(self, person_id: int, kind: str, title: str, at: dt.datetime, *, body: str = "", link: str = "",
                task_id: int | None = None, key: str | None = None, read: bool = True) -> None:
        t = self.t[Notification]
        t.add(id=t.next_id(), person_id=person_id, kind=kind, title=title[:200], body=body, link=link, task_id=task_id,
              key=key, created_at=at, read_at=at + dt.timedelta(hours=2) if read else None)

    def _run_route(self, d: District, route_id: str, *, aid: int, title: str, urgency: str, unit_key: str,
                   context: dict, opened: dt.date, clock: list, actor_key: str, doc_id: int | None,
                   cap: dt.date | None, late: bool, leader_returns: bool) -> tuple[str, dt.date | None, list, int]:
        """Simulate the engine over a route: open each stage's tasks, complete them until yesterday.
        Returns (approval status, finished day, done step tasks as (task id, person key, opinion, at),
        the index of the last stage opened)."""
        rng = d.rng
        route = self.book.route(route_id)
        T = self.t[Task]
        on = opened
        done_steps = []
        last_stage = 0
        for index, stage in enumerate(route.stages):
            stage_tasks = []
            for step in stage.steps:
                if step.when and not context.get(step.when):
                    continue
                res = step.resolver
                if res.startswith("position:"):
                    who = d.code_holder.get(res.split(":", 1)[1])
                elif res == "unit_leader":
                    who = d.leader_of.get(unit_key, "changwu")
                else:
                    who = None
                if who is None:
                    continue
                due = None
                if step.limit is not None:
                    n = step.limit if isinstance(step.limit, int) else self.sign_days[urgency]
                    due = self.wd(on, n)
                if cap:
                    due = min(due, cap) if due else cap
                stage_tasks.append((step, who, due))
            if not stage_tasks:
                continue
            ends = []
            for step, who, due in stage_tasks:
                tid = T.next_id()
                pid, label = self._person(d, who)
                leader = step.action in ("批示", "审批", "签发", "审定", "批准", "签署")
                delay = rng.choice((0, 1, 1, 2, 2, 3, 4)) if leader else rng.choice((0, 0, 1, 1, 2))
                if late and leader and due is not None:
                    delay = max(delay, self.cal.count_workdays(on, due) + rng.randint(1, 4))
                finish = self.wd(on, delay)
                clock[0] += rng.randint(5, 40)
                opened_at = self.at(on, clock[0])
                is_done = finish < self.today
                ret = leader_returns and leader and is_done
                status = ("returned" if ret else "done") if is_done else "open"
                opinion = (rng.choice(RETURN_REASONS) if ret else rng.choice(OPINIONS)) if is_done else ""
                decision = ("退回" if ret else (step.choices[0] if step.choices else "")) if is_done else ""
                done_at = self.at(finish, clock[0] + rng.randint(30, 200)) if is_done else None
                T.add(id=tid, approval_id=aid, kind="step", step_id=step.id, stage=index, action=step.action,
                      position_id=d.positions[who], assignee_id=pid, sender_id=None, note="", status=status,
                      choices=list(step.choices), decision=decision, opinion=opinion, due_on=due, opened_on=on,
                      done_on=finish if is_done else None, created_at=opened_at, completed_at=done_at,
                      completed_by_id=pid if is_done else None, version=1 if is_done else 0)
                self._notify(pid, "task", f"新待办（{step.action}）：{title}", opened_at,
                             body=f"请于{due.isoformat()}前办理" if due else "", link=f"/tasks/{tid}/", task_id=tid,
                             read=is_done or rng.random() < 0.5)
                if not is_done:
                    ends.append(None)
                    if due is not None and due < self.today:
                        self.stats["open_overdue"] += 1
                    continue
                actor = (pid, label)
                if ret:
                    self.chain.add(d.gov_id, done_at, actor, "workflow.task.return", "workflow.approval", aid,
                                   before={"task": tid, "status": "open"}, after={"task": tid, "opinion": opinion},
                                   summary=f"{d.people[who][2]}退回：{opinion[:40]}")
                    return "returned", finish, done_steps + [(tid, who, opinion, done_at)], index
                self.chain.add(d.gov_id, done_at, actor, "workflow.task.complete", "workflow.approval", aid,
                               before={"task": tid, "status": "open"},
                               after={"task": tid, "step": step.id, "decision": decision, "opinion": opinion,
                                      "for": pid},
                               summary=f"{d.people[who][2]}{step.action}：{decision or opinion[:40]}")
                done_steps.append((tid, who, opinion, done_at))
                ends.append(finish)
                if step.action == "批示" and doc_id is not None and rng.random() < P_CIRCULATE:
                    self._circulate(d, aid, title, who, index, finish, done_at)
            last_stage = index
            if any(e is None for e in ends):
                return "running", None, done_steps, index
            on = max(ends)
        return "approved", on, done_steps, last_stage

    def _circulate(self, d: District, aid: int, title: str, sender: str, stage: int, day: dt.date,
                   at: dt.datetime) -> None:
        rng = d.rng
        readers = [k for k in ("fuqu1", "fuqu2", "fuqu3", "fuqu4", "changwu") if k != sender]
        for reader in rng.sample(readers, rng.choice((1, 1, 2))):
            self._circulate_one(d, aid, title, sender, reader, stage, day, at)

    def _circulate_one(self, d: District, aid: int, title: str, sender: str, reader: str, stage: int, day: dt.date,
                       at: dt.datetime) -> None:
        rng = d.rng
        T = self.t[Task]
        tid = T.next_id()
        pid, label = self._person(d, reader)
        read_day = self.wd(day, rng.choice((0, 1, 2, 5)))
        read = read_day < self.today
        T.add(id=tid, approval_id=aid, kind="circulation", step_id="circulation", stage=stage, action="阅知",
              position_id=None, assignee_id=pid, sender_id=d.people[sender][0], note="请阅知", status="done" if read else "open",
              choices=[], decision="", opinion="", due_on=None, opened_on=day, done_on=read_day if read else None,
              created_at=at, completed_at=self.at(read_day, 300) if read else None,
              completed_by_id=pid if read else None, version=1 if read else 0)
        self._notify(pid, "circulation", f"（传阅）{title}", at, body="请阅知", link=f"/tasks/{tid}/", task_id=tid,
                     read=read)
        self.chain.add(d.gov_id, at + dt.timedelta(seconds=1), self._person(d, sender), "workflow.circulation.send",
                       "workflow.approval", aid, after={"to": [pid], "note": "请阅知"},
                       summary=f"{d.people[sender][2]}传阅给{d.people[reader][2]}")
        if read:
            self.chain.add(d.gov_id, self.at(read_day, 300), (pid, label), "workflow.circulation.ack", "workflow.approval", aid,
                           after={"task": tid}, summary=f"{d.people[reader][2]}已阅")

    def _urgency(self, rng: random.Random) -> str:
        x = rng.randrange(100)
        for value, weight in URGENCY_MIX:
            if x < weight:
                return value
            x -= weight
        return "一般"

    def incoming(self, d: District, day: dt.date) -> None:
        """A 请示 from a unit: drafted, submitted, registered and routed (or returned), then through
        doc.intake / doc.intake_urgent until yesterday."""
        rng = d.rng
        self.stats["incoming"] += 1
        unit_key = rng.choice(d.submitters)
        head = d.head_of.get(unit_key, f"{unit_key}-head")
        head_pid, head_label = self._person(d, head)
        urgency = self._urgency(rng)
        topic = rng.choice(TOPICS)
        title = f"关于{d.unit_names[unit_key]}{topic}的请示"
        doc_id = self.t[Document].next_id()
        clock = [rng.randint(0, 240)]
        created = self.at(day, clock[0])
        submitted_on = self.wd(day, rng.choice((0, 0, 1)))
        register_on = self.wd(submitted_on, rng.choice((0, 0, 1)))
        needed = self.wd(day, self.limit_days[urgency] + 5)
        head_actor = (head_pid, head_label)
        clerk_pid, clerk_label = self._person(d, "wenshu")
        director_pid, _ = self._person(d, "bgs-zhuren")
        self.chain.add(d.gov_id, created, head_actor, "documents.document.draft", "documents.document", doc_id,
                       after={"direction": "incoming", "kind": "请示", "title": title, "unit": d.units[unit_key],
                              "urgency": urgency, "classification": "", "is_normative": False, "public": True},
                       summary=f"拟稿：{title}")
        doc = dict(id=doc_id, government_id=d.gov_id, direction="incoming", kind="请示", title=title,
                   unit_id=d.units[unit_key], issuing_as="", main_recipients=["区人民政府"], cc=[], urgency=urgency,
                   urgency_reason="时限紧迫" if urgency != "一般" else "", classification="", secrecy_period="",
                   body=f"{topic}有关情况如下……妥否，请批示。", note="", is_normative=False, important=True,
                   collective_ref=f"{d.unit_names[unit_key]}党组会议纪要〔{day.year}〕{rng.randint(1, 40)}号",
                   facts={"decision_needed_by": needed.isoformat()}, public=True, non_disclosure_reason="",
                   status="draft", intake_number="", doc_number="", signer_id=None, signed_on=None, submitted_on=None,
                   decision_needed_by=None, answer="", answered_on=None, approval_id=None, created_by_id=head_pid,
                   created_at=created, updated_at=created, version=0)
        if submitted_on >= self.today:  # drafted yesterday, not submitted yet
            self.t[Document].add(**doc)
            return
        clock[0] += rng.randint(10, 60)
        sub_at = self.at(submitted_on, clock[0])
        doc.update(status="submitted", submitted_on=submitted_on, signer_id=head_pid, signed_on=submitted_on,
                   updated_at=sub_at, version=1)
        self.chain.add(d.gov_id, sub_at, head_actor, "documents.document.submit", "documents.document", doc_id,
                       after={"status": "submitted", "signer": head_pid, "warnings": []}, article=67,
                       summary=f"{d.people[head][2]}签发报送：{title}")
        self._notify(clerk_pid, "info", f"新收文：{title}", sub_at, link=f"/documents/{doc_id}/")
        if register_on >= self.today:  # waiting in the office's intake queue
            self.t[Document].add(**doc)
            return
        clock[0] += rng.randint(10, 90)
        reg_at = self.at(register_on, clock[0])
        clerk = (clerk_pid, clerk_label)
        if rng.random() < P_OFFICE_RETURN:
            reasons = rng.choice(RETURN_REASONS)
            doc.update(status="returned", updated_at=reg_at, version=2)
            self.t[Document].add(**doc)
            self.stats["returned"] += 1
            self.chain.add(d.gov_id, reg_at, clerk, "documents.document.return", "documents.document", doc_id,
                           after={"reasons": reasons}, article=67, summary=f"退回：{reasons[:60]}")
            self._notify(head_pid, "info", f"公文被退回：{title}", reg_at, body=reasons, link=f"/documents/{doc_id}/")
            return
        series = f"{d.prefix}收"
        d.numbers[f"{series}/{register_on.year}"] += 1
        number = f"{series}〔{register_on.year}〕{d.numbers[f'{series}/{register_on.year}']}号"
        doc.update(status="registered", intake_number=number, registered_on=register_on, updated_at=reg_at, version=2,
                   intake_key=register_key(register_on.year, d.numbers[f"{series}/{register_on.year}"]))
        self.chain.add(d.gov_id, reg_at, clerk, "documents.document.register", "documents.document", doc_id,
                       after={"intake_number": number}, article=67, summary=f"收文登记{number}")
        if rng.random() < 0.5 and self.wd(register_on, 1) >= self.today:  # registered, not yet routed
            self.t[Document].add(**doc)
            return
        parallel = urgency != "一般" and rng.random() < P_PARALLEL
        major = rng.random() < P_MAJOR
        route_id = "doc.intake_urgent" if parallel else "doc.intake"
        due = self.wd(register_on, self.limit_days[urgency])
        aid = self.t[Approval].next_id()
        clock[0] += rng.randint(5, 30)
        route_at = self.at(register_on, clock[0])
        late = rng.random() < P_LATE
        leader_returns = rng.random() < P_LEADER_RETURN
        status, finished, done_steps, stage = self._run_route(
            d, route_id, aid=aid, title=title, urgency=urgency, unit_key=unit_key,
            context={"major": major, "due_on": due.isoformat()}, opened=register_on, clock=clock, actor_key="wenshu",
            doc_id=doc_id, cap=due, late=late, leader_returns=leader_returns)
        route = self.book.route(route_id)
        self.chain.add(d.gov_id, route_at, clerk, "workflow.approval.start", "workflow.approval", aid,
                       after={"route": route_id, "title": title, "urgency": urgency,
                              "object": f"documents.document:{doc_id}", "tasks": [director_pid]},
                       article=route.article, summary=f"发起{route.title}：{title}")
        self.chain.add(d.gov_id, route_at + dt.timedelta(milliseconds=1), clerk, "documents.document.route", "documents.document",
                       doc_id, after={"route": route_id, "major": major, "due_on": due.isoformat()}, article=68,
                       summary=f"呈批（{'串并联' if parallel else '按分工'}{'，报区长' if major else ''}），{due}前办结")
        fin_at = None
        if status == "approved":
            fin_at = max(x[3] for x in done_steps) + dt.timedelta(seconds=1)
            text = "\n".join(f"{d.people[who][2]}：{op}" for _tid, who, op, _at in done_steps[1:])
            doc.update(status="answered", answer=text, answered_on=finished)
            if finished > due:
                self.stats["overdue"] += 1
            last_actor = self._person(d, done_steps[-1][1])
            self.chain.add(d.gov_id, fin_at, last_actor, "workflow.approval.finish", "workflow.approval", aid,
                           after={"status": "approved"}, article=route.article, summary=f"办结：{title}")
            self.chain.add(d.gov_id, fin_at + dt.timedelta(milliseconds=1), last_actor, "documents.document.answer",
                           "documents.document", doc_id, after={"answer": text}, article=68,
                           summary=f"答复{d.unit_names[unit_key]}")
            self._notify(head_pid, "info", f"区政府已答复：{title}", fin_at, body=text, link=f"/documents/{doc_id}/")
        elif status == "returned":
            fin_at = done_steps[-1][3] + dt.timedelta(seconds=1)
            self.stats["returned"] += 1
            doc.update(status="returned")
            self.chain.add(d.gov_id, fin_at, self._person(d, done_steps[-1][1]), "documents.document.return",
                           "documents.document", doc_id, after={"reasons": done_steps[-1][2]}, article=68,
                           summary=f"退回：{done_steps[-1][2][:60]}")
            self._notify(head_pid, "info", f"已退回：{title}", fin_at, body=done_steps[-1][2])
        else:
            doc.update(status="in_approval")
            if due < self.today:
                self.stats["overdue"] += 1
        doc.update(approval_id=aid, decision_needed_by=due, updated_at=fin_at or route_at, version=4)
        self.t[Approval].add(id=aid, route_id=route_id, rulebook_id=self.book.id, obj_type="documents.document",
                             obj_id=str(doc_id), title=title, urgency=urgency, originator_id=clerk_pid,
                             applicant_unit_id=d.units[unit_key], context={"major": major, "due_on": due.isoformat()},
                             status=status, stage=stage,
                             started_on=register_on, started_at=route_at,
                             finished_at=fin_at, finished_on=finished if status != "running" else None, version=2)
        self.t[Document].add(**doc)

    def meeting(self, d: District, day: dt.date, *, upcoming: bool = False) -> None:
        """A 区政府常务会议 chaired by the 区长: held and closed (its items decided), or upcoming."""
        rng = d.rng
        t = self.t
        if not hasattr(d, "room_id"):
            d.room_id = t[Room].next_id()
            t[Room].add(id=d.room_id, government_id=d.gov_id, name="区政府第一会议室", capacity=40, active=True)
            d.meetings_held = 0
        d.meetings_held += 1
        mid = t[Meeting].next_id()
        start = dt.datetime.combine(day, dt.time(9), TZ)
        held = not upcoming
        head_pid, head_label = self._person(d, "quzhang")
        director_pid, _ = self._person(d, "bgs-zhuren")
        t[Meeting].add(id=mid, government_id=d.gov_id, meeting_type="standing",
                       title=f"区政府{day.year}年第{d.meetings_held}次常务会议", number=f"{day.year}年第{d.meetings_held}次",
                       starts_at=start, ends_at=start + dt.timedelta(hours=3), room_id=d.room_id, place="",
                       chair_id=head_pid, chair_position="district_head", chair_position_ref_id=d.positions["quzhang"],
                       delegated=False, organizing_unit_id=d.units["office"], is_department_meeting=False,
                       held_in_government_name=True, held_in_office_name=False, important=False,
                       approved_on=day - dt.timedelta(days=3), status="closed" if held else "approved",
                       opened_at=start if held else None, closed_at=start + dt.timedelta(hours=3) if held else None,
                       publish=held, created_by_id=director_pid, created_at=start - dt.timedelta(days=7), version=1)
        for order, key in enumerate(("quzhang", "changwu", "fuqu1", "fuqu2", "fuqu3", "fuqu4", "bgs-zhuren")):
            pid, _ = self._person(d, key)
            on_leave = held and key.startswith("fuqu") and rng.random() < 0.1
            t[Attendance].add(id=t[Attendance].next_id(), meeting_id=mid, person_id=pid,
                              role="attendee" if key == "bgs-zhuren" else "member", position_code="",
                              position_title="", order=order,
                              status=("on_leave" if on_leave else "present") if held else "expected",
                              leave_reason="赴省城参加培训" if on_leave else "",
                              leave_decision="同意" if on_leave else "",
                              signed_in_at=start - dt.timedelta(minutes=5) if held and not on_leave else None)
        for order in range(1, 4):
            unit_key = rng.choice(d.submitters)
            leader = d.leader_of.get(unit_key, "changwu")
            lpid, _ = self._person(d, leader)
            topic = rng.choice(TOPICS)
            t[AgendaItem].add(
                id=t[AgendaItem].next_id(), meeting_id=mid, order=order, title=f"研究{topic}有关事项",
                summary=f"{d.unit_names[unit_key]}汇报{topic}有关情况", materials=[f"{d.unit_names[unit_key]}汇报材料"],
                lead_unit_id=d.units[unit_key], proposer_id=lpid, proposer_position="deputy_head",
                proposed_at=start - dt.timedelta(days=10), confirmer_id=head_pid, confirmer_position="district_head",
                confirmed_at=start - dt.timedelta(days=6), has_substantive_content=True, has_clear_proposal=True,
                prior_procedure_complete=True, consensus_reached=True,
                status="decided" if held else "confirmed", outcome=rng.choice(("通过", "通过", "原则通过")) if held else "",
                decided_at=start + dt.timedelta(hours=1, minutes=order * 20) if held else None,
                decided_by_id=head_pid if held else None, publish=held)
        if held:
            self.chain.add(d.gov_id, start + dt.timedelta(hours=3), (head_pid, head_label), "meetings.meeting.close",
                           "meetings.meeting", mid, after={"status": "closed", "items": 3}, article=60,
                           summary=f"区政府{day.year}年第{d.meetings_held}次常务会议结束")

    def backlog(self, districts: list[District]) -> None:
        """Extra 请示 registered and routed on the last working day, each waiting for the office
        director's review (benchmark P1 completes them through the services)."""
        day = self.cal.add_workdays(self.today, -1)
        for d in districts:
            rng = d.rng
            clerk_pid, clerk_label = self._person(d, "wenshu")
            director_pid, _ = self._person(d, "bgs-zhuren")
            route = self.book.route("doc.intake")
            for i in range(self.backlog_per_district):
                unit_key = rng.choice(d.submitters)
                head_pid, head_label = self._person(d, d.head_of.get(unit_key, f"{unit_key}-head"))
                urgency = self._urgency(rng)
                title = f"关于{d.unit_names[unit_key]}{rng.choice(TOPICS)}的请示"
                doc_id, aid, tid = self.t[Document].next_id(), self.t[Approval].next_id(), self.t[Task].next_id()
                at = self.at(day, 60 + i % 400)
                due = self.wd(day, self.limit_days[urgency])
                series = f"{d.prefix}收"
                d.numbers[f"{series}/{day.year}"] += 1
                number = f"{series}〔{day.year}〕{d.numbers[f'{series}/{day.year}']}号"
                major = rng.random() < P_MAJOR
                self.t[Document].add(
                    id=doc_id, government_id=d.gov_id, direction="incoming", kind="请示", title=title,
                    unit_id=d.units[unit_key], main_recipients=["区人民政府"], cc=[], urgency=urgency, body="妥否，请批示。",
                    important=True, facts={"decision_needed_by": due.isoformat()}, public=True, status="in_approval",
                    intake_number=number, intake_key=register_key(day.year, d.numbers[f"{series}/{day.year}"]),
                    registered_on=day, signer_id=head_pid, signed_on=day, submitted_on=day,
                    decision_needed_by=due, approval_id=aid, created_by_id=head_pid, created_at=at, updated_at=at,
                    version=3)
                self.t[Approval].add(id=aid, route_id=route.id, rulebook_id=self.book.id, obj_type="documents.document",
                                     obj_id=str(doc_id), title=title, urgency=urgency, originator_id=clerk_pid,
                                     applicant_unit_id=d.units[unit_key],
                                     context={"major": major, "due_on": due.isoformat()}, status="running", stage=0,
                                     started_on=day, started_at=at, version=0)
                self.t[Task].add(id=tid, approval_id=aid, kind="step", step_id="office_review", stage=0, action="审核",
                                 position_id=d.positions["bgs-zhuren"], assignee_id=director_pid, status="open",
                                 choices=[], due_on=due, opened_on=day, created_at=at, version=0)
                self.chain.add(d.gov_id, at, (clerk_pid, clerk_label), "workflow.approval.start", "workflow.approval", aid,
                               after={"route": route.id, "title": title, "urgency": urgency,
                                      "object": f"documents.document:{doc_id}", "tasks": [director_pid]},
                               article=route.article, summary=f"发起{route.title}：{title}")
        self.say(f"backlog: {self.backlog_per_district} routed requests per district await the office's review")

    def outgoing(self, d: District, day: dt.date) -> None:
        """A notice drafted by the office (or a department on the government's behalf), through
        doc.issue_office / doc.issue_government, numbered and issued."""
        rng = d.rng
        by_office = rng.random() < 0.6
        unit_key = "office" if by_office else rng.choice(d.submitters)
        drafter = "wenshu" if by_office else d.head_of.get(unit_key, f"{unit_key}-head")
        dpid, dlabel = self._person(d, drafter)
        issuing_as = "office" if by_office else "government"
        route_id = "doc.issue_office" if by_office else "doc.issue_government"
        topic = rng.choice(TOPICS)
        title = f"关于做好{topic}工作的通知"
        doc_id = self.t[Document].next_id()
        aid = self.t[Approval].next_id()
        clock = [rng.randint(0, 200)]
        created = self.at(day, clock[0])
        self.chain.add(d.gov_id, created, (dpid, dlabel), "documents.document.draft", "documents.document", doc_id,
                       after={"direction": "outgoing", "kind": "通知", "title": title, "unit": d.units[unit_key],
                              "urgency": "一般", "classification": "", "is_normative": False, "public": True},
                       summary=f"拟稿：{title}")
        start_at = self.at(day, clock[0] + 20)
        status, finished, done_steps, stage = self._run_route(
            d, route_id, aid=aid, title=title, urgency="一般", unit_key=unit_key, context={}, opened=day, clock=clock,
            actor_key=drafter, doc_id=None, cap=None, late=False, leader_returns=False)
        route = self.book.route(route_id)
        self.chain.add(d.gov_id, start_at, (dpid, dlabel), "workflow.approval.start", "workflow.approval", aid,
                       after={"route": route_id, "title": title, "urgency": "一般",
                              "object": f"documents.document:{doc_id}", "tasks": []},
                       article=route.article, summary=f"发起{route.title}：{title}")
        doc = dict(id=doc_id, government_id=d.gov_id, direction="outgoing", kind="通知", title=title,
                   unit_id=d.units[unit_key], issuing_as=issuing_as, main_recipients=["各乡镇人民政府、各街道办事处，区政府各部门"],
                   cc=[], urgency="一般", body=f"为做好{topic}工作，现将有关事项通知如下……", facts={"in_annual_plan": True},
                   public=True, status="in_approval", approval_id=aid, created_by_id=dpid, created_at=created,
                   updated_at=start_at, version=1)
        fin_at = None
        if status == "approved":
            signer = done_steps[-1][1]
            fin_at = done_steps[-1][3] + dt.timedelta(seconds=1)
            series = f"{d.prefix}{'办发' if by_office else '发'}"
            d.numbers[f"{series}/{finished.year}"] += 1
            number = f"{series}〔{finished.year}〕{d.numbers[f'{series}/{finished.year}']}号"
            issued = self.wd(finished, 1) < self.today
            doc.update(status="issued" if issued else "signed", signer_id=self._person(d, signer)[0],
                       signed_on=finished, doc_number=number, updated_at=fin_at, version=4)
            clerk = self._person(d, "wenshu")
            signer_actor = self._person(d, signer)
            self.chain.add(d.gov_id, fin_at, signer_actor, "workflow.approval.finish", "workflow.approval", aid,
                           after={"status": "approved"}, article=route.article, summary=f"办结：{title}")
            self.chain.add(d.gov_id, fin_at + dt.timedelta(milliseconds=1), signer_actor, "documents.document.issue",
                           "documents.document", doc_id, after={"status": "signed", "signer": signer_actor[0]},
                           article=69, summary=f"{d.people[signer][2]}签发")
            self.chain.add(d.gov_id, fin_at + dt.timedelta(minutes=30), clerk, "documents.document.number", "documents.document",
                           doc_id, before={"doc_number": ""}, after={"doc_number": number}, article=69,
                           summary=f"编号{number}")
            if issued:
                self.chain.add(d.gov_id, self.at(self.wd(finished, 1), 60), clerk, "documents.document.issue",
                               "documents.document", doc_id,
                               after={"status": "issued", "doc_number": number, "public": True}, article=70,
                               summary=f"印发{number}")
                if rng.random() < 0.5:
                    self._circulate(d, aid, title, signer, len(route.stages) - 1, self.wd(finished, 1),
                                    self.at(self.wd(finished, 1), 90))
        self.t[Approval].add(id=aid, route_id=route_id, rulebook_id=self.book.id, obj_type="documents.document",
                             obj_id=str(doc_id), title=title, urgency="一般", originator_id=dpid,
                             applicant_unit_id=d.units[unit_key], context={}, status=status,
                             stage=stage, started_on=day,
                             started_at=start_at, finished_at=fin_at,
                             finished_on=finished if status == "approved" else None, version=2)
        self.t[Document].add(**doc)


def generate(scale: int, seed: int = 1, *, out=sys.stdout, today: dt.date | None = None, backlog: int = 0) -> dict:
    """Generate `scale` district governments with a year of traffic into the (empty) database;
    `backlog` extra routed requests per district wait for the office's review (benchmark P1)."""
    return Generator(scale, seed, out=out, today=today, backlog=backlog).run()
