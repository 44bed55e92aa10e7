"""The 2020 rulebook file (books/taobei-2020.yaml): metadata, verbatim articles, classes,
parameters and routes. Pure: no database, no Django."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from zhengwu.rulebook import library

BOOK_ID = "taobei-2020"


@pytest.fixture(scope="module")
def book():
    return library().get(BOOK_ID)


# --- metadata -------------------------------------------------------------------------------


def test_metadata_names_the_2020_rules_of_the_district_government(book):
    assert book.title == "区政府工作规则"
    assert book.short_title == "工作规则"
    assert book.issuer == "白城市洮北区人民政府"
    assert book.doc_number == ""
    assert book.issued == dt.date(2020, 8, 27)
    assert book.published == dt.date(2020, 9, 25)
    assert book.effective_from == dt.date(2020, 8, 27)
    assert book.effective_until is None


def test_the_book_repeals_the_2018_rules(book):
    assert book.repeals == (
        {"id": "taobei-2018", "title": "白城市洮北区人民政府工作规则",
         "doc_number": "白洮政发〔2018〕12号", "issued": dt.date(2018, 6, 20)},
    )


def test_basis_lists_the_laws_named_in_article_1(book):
    assert book.basis[:3] == (
        "中华人民共和国宪法",
        "中华人民共和国地方各级人民代表大会和地方各级人民政府组织法",
        "国务院工作规则",
    )
    for law in book.basis:
        assert f"《{law}》" in book.article(1).text


def test_extra_records_the_distribution_of_the_text(book):
    assert book.extra["抄送"] == ["区委办公室"]
    assert book.extra["印发机关"] == "白城市洮北区人民政府办公室"


def test_citation_ends_messages_with_the_short_title_and_chinese_article_number(book):
    assert book.cite(60) == "（《工作规则》第六十条）"
    assert book.cite(98) == "（《工作规则》第九十八条）"
    assert book.cite(10) == "（《工作规则》第十条）"


def test_the_book_is_in_force_from_its_issue_date_and_not_before():
    lib = library()
    assert lib.in_force(dt.date(2020, 8, 26)) is None
    assert lib.in_force(dt.date(2020, 8, 27)).id == BOOK_ID
    assert lib.in_force(dt.date(2026, 11, 27)).id == BOOK_ID


# --- chapters and articles ------------------------------------------------------------------

CHAPTERS = (
    (1, "总则"), (2, "坚持党的领导"), (3, "组成人员职责"), (4, "全面正确履行政府职能"),
    (5, "坚持依法行政"), (6, "实行科学民主决策"), (7, "推进政务公开"), (8, "监督制度"),
    (9, "贯彻落实"), (10, "强化督查和绩效管理"), (11, "联系服务群众"), (12, "会议制度"),
    (13, "公文审批"), (14, "议事协调机构管理"), (15, "请示报告"), (16, "外事活动"),
    (17, "印信管理"), (18, "纪律约束"), (19, "作风建设"), (20, "附则"),
)

# First article of each chapter, read off the text.
CHAPTER_STARTS = {1: 1, 2: 4, 3: 10, 4: 17, 5: 24, 6: 28, 7: 33, 8: 38, 9: 44, 10: 49,
                  11: 52, 12: 57, 13: 67, 14: 71, 15: 75, 16: 79, 17: 82, 18: 85, 19: 91, 20: 97}


def test_the_book_has_all_20_chapters_with_their_titles(book):
    assert book.chapters == CHAPTERS


def test_the_book_has_98_articles_numbered_1_to_98(book):
    assert sorted(book.articles) == list(range(1, 99))
    assert all(book.article(n).number == n for n in range(1, 99))


def test_chapters_run_contiguously_over_the_articles(book):
    chapters = [book.article(n).chapter for n in range(1, 99)]
    assert chapters[0] == 1 and chapters[-1] == 20
    assert all(b - a in (0, 1) for a, b in zip(chapters, chapters[1:]))
    for chapter, first in CHAPTER_STARTS.items():
        assert book.article(first).chapter == chapter
        if first > 1:
            assert book.article(first - 1).chapter == chapter - 1
    assert book.article(60).chapter_title == "会议制度"


def test_article_10_is_verbatim_with_the_sources_ascii_commas(book):
    assert book.article(10).text == "区政府由区长、副区长,区政府组成部门主要负责人组成,每届任期5年。"


def test_article_98_is_verbatim_and_stops_before_the_distribution_trailer(book):
    assert book.article(98).text == (
        "本规则自发布之日起施行。2018年6月20日印发的《白城市洮北区人民政府工作规则》"
        "(白洮政发〔2018〕12号)同时废止。"
    )


def test_article_67_keeps_its_three_paragraphs(book):
    text = book.article(67).text
    assert text.startswith(
        "各部门、乡(镇)政府、街道办事处报送区政府的公文,应当符合《党政机关公文处理工作条例》"
        "和区政府关于公文处理的有关规定,由主要负责人或经授权的分管负责人签发,"
    )
    assert text.endswith("依法应当主动公开的,须一并报送政策解读材料和舆情应对方案。按规定可不履行相关程序的,应说明具体理由。")
    paragraphs = text.split("\n")
    assert len(paragraphs) == 3
    assert paragraphs[1].startswith("各部门报送区政府的请示性公文,凡涉及其他部门职权的")
    assert paragraphs[2].startswith("各部门提请区政府制发规范性文件")


def test_article_58_keeps_its_list_of_tasks(book):
    lines = book.article(58).text.split("\n")
    assert lines[0].startswith("区政府全体会议一般每半年召开一次,")
    assert lines[1] == "主要任务是:"
    assert lines[2].startswith("(一)传达贯彻党中央国务院")
    assert lines[-1] == "(四)讨论通过依法需要由区政府全体会议决定的其他重大事项。"
    assert len(lines) == 6


def test_article_68_holds_the_approval_periods(book):
    text = book.article(68).text
    assert "一般事项14个工作日、加急事项7个工作日、特急事项5个工作日、特急重要事项3个工作日完成审批" in text
    assert text.endswith("特急重要事项应在1个工作日内签批。")


def test_article_76_keeps_its_numbered_items(book):
    text = book.article(76).text
    assert text.split("\n")[0] == "提交区委会议的议题及程序。"
    assert "\n7.副科级以上机构变动、设置和人员编制等重要问题;\n" in text


def test_article_90_loses_the_pages_leading_spaces(book):
    assert book.article(90).text.startswith("坚持积极健康的生活方式,")


HEADING = re.compile(r"^[一二三四五六七八九十]+、")


def test_article_texts_are_clean(book):
    for n in range(1, 99):
        text = book.article(n).text
        assert text, n
        for line in text.split("\n"):
            assert line and line == line.strip(" \t\xa0\u3000"), (n, line)
            assert "\xa0" not in line, n
            assert not HEADING.match(line), f"article {n} swallowed a heading: {line[:20]}"
            assert not line.startswith("第") or "章" not in line[:5], (n, line)
        assert "抄送" not in text and "2020年8月27日印发" not in text, n  # the trailer is no article


# --- classes (copied from ARTICLES.md) -----------------------------------------------------

ARTICLE_CLASSES = (
    ("1", "P"), ("2", "P"), ("3", "P"), ("4–5", "P"), ("6", "W"), ("7–9", "P"), ("10", "E"),
    ("11", "P"), ("12", "E"), ("13", "E"), ("14", "E"), ("15", "E"), ("16", "W"), ("17–24", "P"),
    ("25", "E"), ("26–27", "P"), ("28", "E"), ("29", "E"), ("30", "E"), ("31", "W"), ("32", "W"),
    ("33", "E"), ("34", "P"), ("35", "E"), ("36", "W"), ("37", "E"), ("38", "W"), ("39", "E"),
    ("40", "W"), ("41", "P"), ("42", "W"), ("43", "W"), ("44", "P"), ("45", "W"), ("46–47", "E"),
    ("48", "E"), ("49", "E"), ("50", "E"), ("51", "W"), ("52–56", "P"), ("57", "E"), ("58", "E"),
    ("59", "E"), ("60", "E"), ("61", "E"), ("62", "E"), ("63", "E"), ("64", "E"), ("65", "E"),
    ("66", "E"), ("67", "E"), ("68", "E"), ("69", "E"), ("70", "E"), ("71–74", "E"), ("75", "E"),
    ("76", "E"), ("77–78", "W"), ("79", "E"), ("80", "E"), ("81", "E"), ("82", "E"), ("83", "E"),
    ("84", "E"), ("85–88", "P"), ("89", "E"), ("90", "P"), ("91–92", "P"), ("93", "W"),
    ("94", "W"), ("95", "P"), ("96", "E"), ("97", "E"), ("98", "E"),
)


def _expected_classes() -> dict[int, str]:
    out: dict[int, str] = {}
    for span, cls in ARTICLE_CLASSES:
        first, _, last = span.partition("–")
        for n in range(int(first), int(last or first) + 1):
            assert n not in out
            out[n] = cls
    return out


def test_every_article_has_the_class_of_the_article_map(book):
    expected = _expected_classes()
    assert sorted(expected) == list(range(1, 99))
    assert book.classes == expected


# --- parameters ----------------------------------------------------------------------------

REQUIRED_PARAMETERS = (
    "term.years", "government.district_heads_per_term", "org.five_not_domains", "org.domain_labels",
    "org.unit_kinds", "org.rules_apply_to_kinds", "org.government_member_positions", "org.positions",
    "substitution.district_head_acting", "substitution.deputy_acting_designated_by",
    "meetings.plenary.quorum", "meetings.standing.quorum", "meetings.plenary.interval_months",
    "meetings.standing.interval_months", "meetings.document_issue_days", "approval.lead_time_days",
    "approval.limit_days", "approval.leader_sign_days",
    "foreign_affairs.invitation_lead_days", "research.min_months_per_year",
    "research.key_topics_per_year", "coordination_body.annual_goals_due",
    "letters.stub_archive_years_after", "workflow.reminder_days_before_due",
    "org.five_not_positions", "org.portfolio_leader_positions",
)


def test_the_parameters_other_code_depends_on_exist(book):
    missing = [name for name in REQUIRED_PARAMETERS if name not in book.parameters]
    assert missing == []


CJK = re.compile(r"[\u4e00-\u9fff]")


def test_every_parameter_cites_an_article_and_has_a_chinese_label_and_unit(book):
    for name, p in book.parameters.items():
        assert re.fullmatch(r"[a-z_]+(\.[a-z_]+)+", name), name
        assert 1 <= p.article <= 98, name
        assert CJK.search(p.label), name
        assert p.unit, name
        assert p.at(book.effective_from) is not None, name


def test_term_and_head_count(book):
    assert book.param("term.years") == 5
    assert book.parameters["term.years"].article == 10
    assert book.param("government.district_heads_per_term") == 1
    assert book.parameters["government.district_heads_per_term"].article == 12


def test_approval_limits_by_urgency(book):
    limits = book.param("approval.limit_days")
    assert limits == {"一般": 14, "加急": 7, "特急": 5, "特急重要": 3}
    assert set(limits) == set(book.param("approval.urgencies"))
    assert set(book.param("approval.lead_time_days")) == set(limits)
    assert book.param("approval.lead_time_days")["一般"] == 7
    assert book.param("approval.lead_time_days")["加急"] == 3
    assert book.param("approval.leader_sign_days")["特急重要"] == 1  # the one value (no duplicate parameter)
    assert "approval.leader_sign_days_very_urgent_important" not in book.parameters
    assert book.parameters["approval.limit_days"].article == 68


def test_quorums_differ_at_exactly_half(book):
    plenary = book.param("meetings.plenary.quorum")
    standing = book.param("meetings.standing.quorum")
    assert plenary == {"fraction": 0.5, "inclusive": False}  # art. 58: 超过半数
    assert standing == {"fraction": 0.5, "inclusive": True}  # art. 60: 半数以上
    assert book.parameters["meetings.plenary.quorum"].article == 58
    assert book.parameters["meetings.standing.quorum"].article == 60


def test_other_numbers_of_the_text(book):
    assert book.param("meetings.plenary.interval_months") == 6
    assert book.param("meetings.standing.interval_months") == 1
    assert book.param("meetings.document_issue_days") == 7
    assert book.param("foreign_affairs.invitation_lead_days") == 7
    assert book.param("research.min_months_per_year") == 1
    assert book.param("research.key_topics_per_year") == {"min": 1, "max": 2}
    assert book.param("coordination_body.annual_goals_due") == {"month": 12, "day": 31}
    assert book.param("letters.stub_archive_years_after") == 1
    assert book.param("workflow.reminder_days_before_due") == 1
    assert book.param("documents.normative_joint_min_departments") == 2


def test_unit_kinds_positions_and_domains_are_consistent(book):
    kinds = book.param("org.unit_kinds")
    assert kinds["component_dept"] == "组成部门" and kinds["gov_office"] == "区政府办公室"
    assert len(kinds) == 11
    applies = book.param("org.rules_apply_to_kinds")
    assert {"directly_affiliated", "working_office", "public_institution"} <= set(applies)
    assert {"component_dept", "gov_office"} <= set(applies)
    assert set(applies) <= set(kinds)

    positions = book.param("org.positions")
    assert positions["district_head"] == "区长" and positions["executive_deputy"] == "常务副区长"
    members = book.param("org.government_member_positions")
    assert members == {"positions": ["district_head", "executive_deputy", "deputy_head"],
                       "unit_heads_of_kinds": ["component_dept"]}
    assert book.param("substitution.district_head_acting") == "executive_deputy"
    assert book.param("substitution.deputy_acting_designated_by") == "district_head"
    assert book.param("substitution.district_head_acting") in positions

    five = book.param("org.five_not_domains")
    assert five == ["personnel", "finance", "procurement", "construction", "admin_approval"]
    labels = book.param("org.domain_labels")
    assert [labels[d] for d in five] == ["人事", "财务", "物资采购和资产处置", "工程建设", "行政审批"]
    assert set(book.param("org.dual_duty_domains")) <= set(labels)
    assert book.param("org.five_not_positions") == ["district_head", "unit_head"]
    assert set(book.param("org.five_not_positions")) <= set(positions)
    assert set(book.param("org.portfolio_leader_positions")) == set(members["positions"])


# --- routes --------------------------------------------------------------------------------

REQUIRED_ROUTES = (
    "doc.intake", "doc.intake_urgent", "doc.issue_government", "doc.issue_office",
    "doc.signed_by_head", "doc.normative_department", "minutes.standing", "minutes.head_office",
    "minutes.topical", "meeting.approval", "coordination_body.setup", "visit.deputy_head",
    "visit.unit_head", "visit.unit_deputy", "seal.government", "seal.department", "seal.take_out",
    "letter.ordinary", "letter.important", "letter.blank", "letter.non_staff", "leave.deputy_head",
    "supervision.government_name",
)

PLAIN_RESOLVERS = {"unit_leader", "matter_leader", "leaders_concerned", "unit_head", "unit_deputy", "section_head", "meeting_chair",
                   "countersign_units"}


def _resolver_ok(resolver: str, positions: dict) -> bool:
    if resolver in PLAIN_RESOLVERS:
        return True
    kind, _, arg = resolver.partition(":")
    if kind == "position":
        return arg in positions
    return kind == "external" and bool(arg)


def _steps(route):
    return [s for stage in route.stages for s in stage.steps]


def _chain(book, route_id):
    """The unconditional steps of a route (steps with `when:` run only in some cases, e.g. 会签)."""
    return [(s.resolver, s.action) for s in _steps(book.route(route_id)) if not s.when]


def test_the_routes_the_text_prescribes_exist(book):
    missing = [rid for rid in REQUIRED_ROUTES if rid not in book.routes]
    assert missing == []


def test_every_route_resolver_is_in_the_vocabulary(book):
    positions = book.param("org.positions")
    for route in book.routes.values():
        assert 1 <= route.article <= 98, route.id
        assert CJK.search(route.title), route.id
        for step in _steps(route):
            assert _resolver_ok(step.resolver, positions), (route.id, step.id, step.resolver)
            for target in step.circulate_to:
                assert _resolver_ok(target, positions), (route.id, step.id, target)
            assert CJK.search(step.action), (route.id, step.id)


def test_step_limits_name_existing_parameters_or_working_days(book):
    named = 0
    for route in book.routes.values():
        for step in _steps(route):
            if isinstance(step.limit, str):
                named += 1
                assert step.limit in book.parameters, (route.id, step.id, step.limit)
            elif step.limit is not None:
                assert isinstance(step.limit, int) and step.limit > 0, (route.id, step.id)
    assert named > 0


def test_intake_goes_from_the_office_director_to_the_leader_in_charge(book):
    # 按照区政府领导分工呈批: the leader in charge of the matter (its domain, else the submitting unit's)
    assert _chain(book, "doc.intake") == [("position:office_director", "审核"), ("matter_leader", "批示")]
    assert _steps(book.route("doc.intake"))[-1].resolver == "position:district_head"
    route = book.route("doc.intake")
    assert route.step("leader_instruct").limit == "approval.leader_sign_days"
    assert route.step("head_approve").when == "major"  # 重大事项 only
    assert not route.step("office_review").optional


def test_urgent_intake_sends_to_leaders_in_parallel(book):
    route = book.route("doc.intake_urgent")
    assert [st.parallel for st in route.stages] == [False, True, False]
    # the leader in charge, the 区长 for major matters, other leaders concerned where named (串并联)
    assert {s.resolver for s in route.stages[1].steps} == {"matter_leader", "position:district_head",
                                                           "leaders_concerned"}
    assert route.step("head_instruct").when == "major" and route.step("concerned_instruct").optional


def test_who_signs_which_document(book):
    assert [s.id for s in _steps(book.route("doc.issue_government")) if s.when == "countersign"] == ["countersign"]
    assert _chain(book, "doc.issue_government") == [
        ("position:office_deputy_director", "审核"), ("position:office_director", "审核"),
        ("unit_leader", "审核"), ("position:district_head", "签发"),
    ]
    assert _chain(book, "doc.issue_office") == [
        ("position:office_director", "审核"), ("unit_leader", "审核"), ("position:executive_deputy", "签发"),
    ]
    assert _steps(book.route("doc.signed_by_head"))[-1].resolver == "position:district_head"
    assert _chain(book, "doc.normative_department")[-1] == ("position:district_head", "批准")


def test_minutes_are_signed_by_the_district_head(book):
    for rid in ("minutes.standing", "minutes.head_office"):
        assert _chain(book, rid) == [("position:office_director", "审核"), ("position:district_head", "签发")]
    assert _chain(book, "minutes.topical") == [("meeting_chair", "审核"), ("position:district_head", "签发")]


def test_seal_and_visit_chains(book):
    assert [r for r, _ in _chain(book, "seal.government")] == ["unit_head", "unit_leader", "position:district_head"]
    assert [r for r, _ in _chain(book, "seal.department")] == ["section_head", "unit_deputy", "unit_head"]
    assert _chain(book, "seal.take_out") == [("position:office_director", "签字")]
    assert [r for r, _ in _chain(book, "visit.deputy_head")] == [
        "position:district_head", "external:区委书记", "external:市委市政府"]
    assert [r for r, _ in _chain(book, "visit.unit_head")] == ["unit_leader", "position:district_head"]
    assert [r for r, _ in _chain(book, "visit.unit_deputy")] == ["unit_leader", "position:executive_deputy"]
    assert [r for r, _ in _chain(book, "coordination_body.setup")] == [
        "position:office_director", "unit_leader", "position:district_head"]


def test_deputy_leave_is_approved_by_the_head_and_notified_to_the_other_leaders(book):
    route = book.route("leave.deputy_head")
    assert route.article == 89
    first, notify = _steps(route)
    assert (first.resolver, first.action) == ("position:district_head", "同意")
    assert set(notify.circulate_to) == {"position:executive_deputy", "position:deputy_head"}


def test_routes_cite_the_articles_that_prescribe_them(book):
    expected = {"doc.intake": 68, "doc.issue_government": 69, "doc.normative_department": 25,
                "minutes.standing": 60, "minutes.topical": 62, "meeting.approval": 65,
                "coordination_body.setup": 71, "visit.unit_deputy": 80, "seal.government": 83,
                "letter.blank": 84, "supervision.government_name": 50}
    assert {rid: book.route(rid).article for rid in expected} == expected
