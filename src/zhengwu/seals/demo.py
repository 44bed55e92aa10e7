"""Demo seals, seal-use cards and introduction letters (through the services, as the office and the
财政局 would). Wired in zhengwu.demo.

- The register: the 区政府公章 kept by the office's 文书, the 财政局's seal kept by its 科室负责人.
- A card of the 区政府公章 filled in by the office itself, waiting for the 办公室主任 (its 主要负责人).
- Cards of the 区政府公章 filled in by the 财政局 in every state: waiting for the 局长 (部门主要负责人),
  for the 常务副区长 (its 分管副区长 — a real 待办), for the 区长, approved and waiting for the
  stamp, stamped, not approved, sent back; one card of the 财政局's own seal at its 科室负责人.
- A seal taken out (signed by the 办公室主任, carried by the 文书 and the office's 副主任) and one
  request waiting for the 办公室主任's signature.
- The 财政局's letter book: an ordinary letter issued, one returned unused to its stub, a blank
  letter approved by the 办公室主任 and issued, one for a retired employee waiting for the 办公室主任,
  an important one waiting for the 局长.
"""

from __future__ import annotations

import datetime as dt

from zhengwu import rules
from zhengwu.org.models import Person, Unit
from zhengwu.workflow import services as wf
from zhengwu.workflow.models import Task

from . import services


def _sign(approval_id: int, approve: bool = True, on: dt.date | None = None, opinion: str = "") -> None:
    """The open step of an approval, completed by the person it waits for."""
    task = Task.objects.filter(approval_id=approval_id, status=Task.Status.OPEN, kind=Task.Kind.STEP).order_by("id").first()
    wf.task_complete(actor=task.assignee, task_id=task.pk, decision=rules.choice_for(task.choices, approve, on),
                     opinion=opinion, on=on)


def _back(approval_id: int, opinion: str, on: dt.date) -> None:
    task = Task.objects.filter(approval_id=approval_id, status=Task.Status.OPEN, kind=Task.Kind.STEP).first()
    wf.task_return(actor=task.assignee, task_id=task.pk, opinion=opinion, on=on)


def load(on: dt.date | None = None) -> None:
    today = on or rules.today()
    p = {x.username: x for x in Person.objects.filter(username__in=(
        "bgs-zhuren", "bgs-fuzhuren", "wenshu", "czj", "czj-fu", "czj-ke"))}
    if len(p) < 6:
        return
    office, czj = Unit.objects.get(kind="gov_office"), Unit.objects.get(short_name="财政局")
    gov_seal = services.seal_register(actor=p["bgs-zhuren"], unit_id=office.pk, kind="government",
                                      name="白城市洮北区人民政府", custodian_id=p["wenshu"].pk, storage="区政府办公室机要室保险柜",
                                      cut_on=dt.date(2022, 1, 10), on=today)
    dept_seal = services.seal_register(actor=p["bgs-zhuren"], unit_id=czj.pk, kind="department",
                                       name="白城市洮北区财政局", custodian_id=p["czj-ke"].pk, storage="财政局办公室保险柜",
                                       cut_on=dt.date(2019, 3, 1), on=today)

    def card(content, copies=2, seal=gov_seal, who="czj-fu"):
        return services.card_create(actor=p[who], seal_id=seal.pk, use_date=today, content=content, copies=copies,
                                    user_id=p[who].pk, on=today)

    card("关于申请拨付2026年冬季供热补贴资金的请示（报市财政局）")  # waits for the 局长
    c = card("洮北区2026年政府采购意向公开说明（报市政府）", copies=3)
    _sign(c.approval_id, on=today)  # waits for the 常务副区长: his 待办
    c = card("洮北区与白城市农商银行财政资金存放协议", copies=4)
    _sign(c.approval_id, on=today)
    _sign(c.approval_id, on=today)  # waits for the 区长
    for content in ("洮北区2026年预算执行情况报告（报区人大常委会）", "洮北区财政局关于政府债务情况的说明"):
        c = card(content, copies=5)
        for _ in range(3):
            _sign(c.approval_id, on=today)
    services.card_stamp(actor=p["wenshu"], card_id=c.pk, on=today)  # stamped; the first one waits for the 文书
    c = card("以区政府名义出具的担保函（未经集体研究）", copies=1)
    _sign(c.approval_id, on=today)
    _sign(c.approval_id, on=today)
    _sign(c.approval_id, approve=False, on=today, opinion="担保事项未经区政府常务会议研究，不同意")  # not approved
    c = card("关于调整部分专项资金用途的函", copies=2)
    _sign(c.approval_id, on=today)
    _back(c.approval_id, "请附资金调整明细后重新报批", today)  # sent back by the 常务副区长
    card("财政局2026年度部门决算报表（报区审计局）", copies=3, seal=dept_seal, who="czj-fu")  # at the 科室负责人
    card("区政府办公室关于报送2026年政务公开工作总结的函（报市政府办公室）", copies=2, who="wenshu")  # the 办公室主任's

    t = services.take_out_request(actor=p["bgs-fuzhuren"], seal_id=gov_seal.pk, user_id=p["bgs-fuzhuren"].pk,
                                  purpose="赴市政务服务中心办理区政府统一社会信用代码证书年度变更，需现场加盖公章", on=today)
    _sign(t.approval_id, on=today)
    services.take_out_check_out(actor=p["wenshu"], take_out_id=t.pk, on=today)  # out, carried by two
    services.take_out_request(actor=p["bgs-fuzhuren"], seal_id=dept_seal.pk, user_id=p["czj-fu"].pk,
                              purpose="赴白城市农商银行办理财政专户预留印鉴变更", on=today)  # the 办公室主任's 待办

    book = services.letter_book_create(actor=p["bgs-zhuren"], unit_id=czj.pk, custodian_id=p["czj-ke"].pk, on=today)
    until = today + dt.timedelta(days=15)

    def letter(**kw):
        kw.setdefault("bearer_id", p["czj-fu"].pk)
        return services.letter_request(actor=p["czj-ke"], book_id=book.pk, valid_until=until, on=today, **kw)

    x = letter(addressee="白城市财政局", matter="前往联系2026年转移支付资金清算事宜")
    _sign(x.approval_id, on=today)
    services.letter_issue(actor=p["czj-ke"], letter_id=x.pk, on=today)  # issued
    x = letter(addressee="吉林省财政厅", matter="前往报送政府债务统计报表")
    _sign(x.approval_id, on=today)
    services.letter_issue(actor=p["czj-ke"], letter_id=x.pk, on=today)
    services.letter_return(actor=p["czj-ke"], letter_id=x.pk, note="报表改为网上报送，介绍信未使用", on=today)
    x = letter(blank=True, reason="赴省里多个厅局对接，接洽单位临行前确定")
    _sign(x.approval_id, on=today)  # the 办公室主任 approves the blank letter
    _sign(x.approval_id, on=today)  # then the 分管领导
    services.letter_issue(actor=p["czj-ke"], letter_id=x.pk, on=today)
    letter(bearer_id=None, bearer_name="刘某（财政局退休职工）", addressee="白城市社会保险事业管理局",
           matter="办理退休人员养老保险关系转移", reason="本人行动不便，原单位出具介绍信代为联系")  # the 办公室主任's 待办
    letter(addressee="白城市审计局", matter="前往协商政府投资项目审计结果运用", important=True)  # the 局长's 待办
