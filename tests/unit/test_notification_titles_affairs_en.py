"""Notification titles of seals, foreign affairs, disclosure and public opinion in the reader's
language (issue 16): each key the senders give reads in English for an English reader and as the
sender's stored Chinese wording for a Chinese one (the catalogue's Chinese is the stored title)."""

from django.utils import translation

from zhengwu.workflow.models import Notification

KEYS = {
    "seals.card_approved": "用印审批单已批准，可用印：{title}", "seals.card_refused": "用印审批单未获批准：{title}",
    "seals.take_out_approved": "印章带出已批准：{title}", "seals.take_out_refused": "印章带出未获批准：{title}",
    "seals.letter_to_issue": "介绍信已批准，请开具：{title}", "seals.letter_approved": "介绍信已批准：{title}",
    "seals.letter_refused": "介绍信未获批准：{title}", "seals.take_out_overdue": "带出印章逾期未归还：{title}",
    "foreign.invitation": "外事活动安排：{title}", "foreign.visit_refused": "出国访问未获批准：{title}",
    "foreign.visit_approved": "出国访问已批准：{title}", "foreign.speech_approved": "讲话或文章已批准：{title}",
    "foreign.gift_overdue": "外事礼品逾期未上交：{title}", "disclosure.due_soon": "主动公开临近期限：{title}",
    "disclosure.overdue": "主动公开已逾期：{title}", "opinion.to_respond": "政务舆情待回应：{title}",
    "opinion.overdue": "舆情回应逾期：{title}",
    "proposals.sent_back": "退回建议提案：{title}", "proposals.letter_to_sign": "答复函待签发：{title}",
    "proposals.reopened": "再次办理：{title}", "proposals.reminder": "催办：{title}",
    "proposals.co_reminder": "催办会办意见：{title}", "proposals.unpublished": "办理结果未公开：{title}",
    "petitions.objected": "承办单位对转送有异议，请重新转送：{title}",
    "bodies.change_filed": "议事协调机构成员调整备案：{title}",
    "bodies.emergency": "重大情况报告：{title}",
    "bodies.emergency_late": "重大情况迟报：{title}",
    "bodies.goals_missing": "议事协调机构未报送年度工作目标：{title}",
    "bodies.head_to_adjust": "议事协调机构负责人需调整：{title}",
    "supervision.from_proposal": "建议提案列入计划，请审核交办：{title}",
    "supervision.extension_asked": "申请延期，请审批：{title}",
    "supervision.extension_approved": "延期申请已批准：{title}",
    "supervision.extension_refused": "延期申请未批准：{title}",
    "supervision.review_overturned": "复核决定：撤销核查结论：{title}",
    "supervision.review_upheld": "复核决定：维持核查结论：{title}",
    "supervision.review_overdue": "复核逾期未决定：{title}",
    "supervision.co_opinion_due": "请向牵头单位反馈协办意见：{title}",
}
# keys with other facts than a title: (key, params, Chinese, English)
OTHERS = [
    ("info_requests.overdue", {"n": 9}, "督办：依申请公开第9号已逾期未答复",
     "Supervision: request for information no. 9 is overdue without an answer"),
    ("info_requests.abandoned", {"n": 9}, "逾期未补正，视为放弃申请：依申请公开第9号",
     "Not corrected in time, deemed withdrawn: request for information no. 9"),
    ("info_requests.consultation_late", {"n": 9}, "第三方逾期未提出意见：依申请公开第9号",
     "Third party's views overdue: request for information no. 9"),
    ("leave.reported", {"person": "王丙", "start": "2026-12-08", "end": "2026-12-09"}, "外出报告：王丙2026-12-08至2026-12-09",
     "Absence reported: 王丙, 2026-12-08 to 2026-12-09"),
    ("supervision.review_asked", {"title": "某事项", "due": "2026-12-10"}, "申请复核，请在2026-12-10前作出复核决定：某事项",
     "Review asked for, please decide by 2026-12-10: 某事项"),
    ("leave.agreed", {"start": "2026-12-08", "end": "2026-12-09"}, "区长已同意外出：2026-12-08至2026-12-09",
     "The district head agreed to the absence: 2026-12-08 to 2026-12-09"),
]


def test_titles_with_other_facts_read_in_either_language():
    for key, params, chinese, english in OTHERS:
        n = Notification(title=chinese, msg=key, params=params)
        with translation.override("zh-hans"):
            assert n.display_title == chinese, key
        with translation.override("en"):
            assert n.display_title == english, key


def test_each_title_reads_in_either_language():
    for key, chinese in KEYS.items():
        n = Notification(title=chinese.format(title="某事项"), msg=key, params={"title": "某事项"})
        with translation.override("zh-hans"):
            assert n.display_title == chinese.format(title="某事项"), key
        with translation.override("en"):
            shown = n.display_title
            assert shown.endswith(": 某事项") and shown.replace("某事项", "").isascii(), (key, shown)
