"""Organisation rules: art. 10 (composition, term), 12 (区长负责制), 14 (分工), 15 (补位),
29 (五个不直接分管), 97 (scope by unit kind)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..facts import topic
from ..registry import RuleContext, declare, rule


def _en(r: RuleContext, text) -> str:
    """A name the book gives, in English (its glossary), for the messages in English."""
    return r.book.en(str(text)) or str(text)


def add_years(d: dt.date, years: int) -> dt.date:
    try:
        return d.replace(year=d.year + years)
    except ValueError:  # 29 February
        return d.replace(year=d.year + years, day=28)


# ---- facts ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class TermFacts:
    """A government term (届) and who leads it.

    The 5 years of art. 10 are nominal: a term ends when the next 人民代表大会 elects its
    successors, which may be a few days before or after the fifth anniversary. `successor_start`
    is the day the next 届 was elected, once it has been; the term then ends that day."""
    start: dt.date
    end: dt.date
    district_heads: tuple[str, ...] = ()  # people appointed 区长 in the term, overlapping in time
    successor_start: dt.date | None = None


@dataclass(frozen=True)
class MemberFacts:
    """People listed as members of the government (组成人员), with what they hold."""
    members: tuple[tuple[str, str, str], ...]  # (name, position code, unit kind or "")


@dataclass(frozen=True)
class PortfolioFacts:
    """One position's 分工: the units and domains it is in charge of."""
    holder: str  # display name for messages
    position: str  # position code
    domains: frozenset[str] = frozenset()  # domains held directly
    units: tuple[tuple[str, frozenset[str]], ...] = ()  # (unit name, that unit's domains)
    overlaps: tuple[tuple[str, str], ...] = ()  # (unit name, other leader) already in another portfolio
    in_unit: str = ""  # for a unit-level position, the unit's name
    unit_kind: str = ""  # … and that unit's kind
    dual_duties: frozenset[str] | None = None  # 一岗双责 domains recorded for his area; None = not stated


@dataclass(frozen=True)
class ForeignAffairsFacts:
    """Who represents the 区政府 in a 外事活动 (art. 14): the position code of the representative and
    whether the 区长 entrusted him (受区长委托)."""
    position: str
    representative: str = ""  # for messages
    entrusted_by_head: bool = False
    activity: str = ""  # for messages


@dataclass(frozen=True)
class AbsenceFacts:
    """A leader away (外出/休假) and who acts for the position (补位)."""
    person: str
    position: str  # the position code of the absent person
    substitute: str = ""  # "" = none named
    substitute_position: str = ""
    designated_by_position: str = ""  # the position of whoever designated the substitute


@dataclass(frozen=True)
class UnitFacts:
    name: str
    kind: str


# ---- rules ---------------------------------------------------------------------------------

@rule("R10.term_length", article=10, topic="org.term")
def term_length(f: TermFacts, r: RuleContext):
    """每届任期符合规定年限（任期至下一届选举产生为止）。

    Each term lasts the number of years the rules set (每届任期5年), nominally: it ends when its
    successors are elected, so an end on the successor's first day is lawful whether that day
    comes a little before or after the fifth anniversary."""
    years = r.param("term.years")
    expected = add_years(f.start, years)
    if f.successor_start is not None and f.successor_start <= f.start:
        yield r.violation(f"下一届的起始日期{f.successor_start.isoformat()}不能早于或等于本届起始日期"
                          f"{f.start.isoformat()}", field="successor_start",
                          en=f"The next term's start {f.successor_start.isoformat()} must be after this term's start "
                             f"{f.start.isoformat()}")
    elif f.end != expected and f.end != f.successor_start:
        yield r.violation(
            f"每届任期{years}年：自{f.start.isoformat()}起的一届应至{expected.isoformat()}届满（或至下一届选举产生之日），"
            f"不能登记为{f.end.isoformat()}", field="end",
            en=f"A term lasts {years} years: the term from {f.start.isoformat()} ends on {expected.isoformat()} (or "
               f"when the next is elected), not {f.end.isoformat()}")


@rule("R12.one_head", article=12, topic="org.term")
def one_district_head(f: TermFacts, r: RuleContext):
    """区长负责制：同一时间只有一名区长。

    The government has exactly one 区长 at a time."""
    need = r.param("government.district_heads_per_term")
    if len(f.district_heads) > need:
        yield r.violation(
            f"区政府实行区长负责制，同一届同一时间只能有{need}名区长，"
            f"现为{len(f.district_heads)}名（{'、'.join(f.district_heads)}）", field="district_head",
            en=f"The district government works under the district head's responsibility: one term has {need} district "
               f"head(s) at a time; now {len(f.district_heads)} ({', '.join(f.district_heads)})")


@rule("R10.members", article=10, topic="org.members")
def member_positions(f: MemberFacts, r: RuleContext):
    """区政府组成人员为区长、副区长和组成部门主要负责人。"""
    spec = r.param("org.government_member_positions")
    positions = set(spec["positions"])
    head_kinds = set(spec["unit_heads_of_kinds"])
    for name, position, kind in f.members:
        if position in positions or (position == "unit_head" and kind in head_kinds):
            continue
        yield r.violation(f"{name}不是区政府组成人员（区政府由区长、副区长和组成部门主要负责人组成）",
                          field="members",
                          en=f"{name} is not a member of the district government (the district head, the deputy "
                             f"district heads and the heads of its component departments)")


@rule("R14.portfolio_holder", article=14, topic="org.portfolio")
def portfolio_holder(f: PortfolioFacts, r: RuleContext):
    """分工：副区长按分工负责处理分管工作，单位由区长、副区长分管；本系统按一个单位登记一名分管区领导。

    Units are put in the charge (分工) of the 区长 or a 副区长 only (art. 14). That a unit has one
    分管领导 is the system's rule for routing (art. 68: 按分工呈批 needs one leader), not art. 14's
    words, and the message says so."""
    leaders = set(r.param("org.portfolio_leader_positions"))
    if f.units and f.position not in leaders:
        yield r.violation(f"{f.holder}的职务不能分管单位：分管单位由区长、副区长按分工负责", field="units",
                          en=f"{f.holder}'s post cannot oversee units: units are overseen by the district head and "
                             f"deputy district heads by portfolio")
    for unit, other in f.overlaps:
        yield r.violation(f"{unit}已由{other}分管：本系统按分工呈批，一个单位只登记一名分管区领导，请先调整{other}的分工",
                          field="units",
                          en=f"{unit} is already overseen by {other}: submissions follow the portfolios, one leader "
                             f"per unit; change {other}'s portfolio first")


@rule("R14.dual_duty", article=14, topic="org.portfolio", severity="warn")
def dual_duty(f: PortfolioFacts, r: RuleContext):
    """一岗双责：副区长对分管领域的应急管理、安全生产、廉政建设、信访等工作实行“一岗双责”责任制。

    Read as: a 副区长 with a 分工 (units or domains) answers, in that area, for each of
    org.dual_duty_domains besides its business; a 分工 that records fewer of them is warned."""
    if f.position not in set(r.param("org.deputy_positions")) or not (f.units or f.domains) or f.dual_duties is None:
        return
    labels = r.param("org.domain_labels")
    missing = [d for d in r.param("org.dual_duty_domains") if d not in f.dual_duties]
    if missing:
        yield r.violation(f"{f.holder}对分管领域的{'、'.join(labels.get(d, d) for d in missing)}等工作实行“一岗双责”，"
                          f"分工中未登记", field="dual_duties",
                          en=f"{f.holder} answers for {', '.join(_en(r, labels.get(d, d)) for d in missing)} in the "
                             f"portfolio too (one post, two duties); the portfolio does not record it")


@rule("R14.foreign_affairs", article=14, topic="org.foreign_affairs")
def foreign_affairs(f: ForeignAffairsFacts, r: RuleContext):
    """副区长受区长委托，可代表区政府进行外事活动。

    Read as: the 区长 represents the 区政府; a 副区长 does so only when entrusted by the 区长 (and
    while org.deputy_may_represent_in_foreign_affairs holds); nobody else does."""
    if f.position == "district_head":
        return
    who = f.representative or "该人员"
    what = f"“{f.activity}”" if f.activity else "外事活动"
    what_en = f"“{f.activity}”" if f.activity else "a foreign-affairs event"
    if f.position not in set(r.param("org.deputy_positions")) \
            or not r.param("org.deputy_may_represent_in_foreign_affairs"):
        yield r.violation(f"{who}不能代表区政府参加{what}：由区长或受区长委托的副区长代表区政府进行外事活动",
                          field="position",
                          en=f"{f.representative or 'This person'} cannot represent the district government at "
                             f"{what_en}: the district head, or a deputy district head entrusted by the district head, "
                             f"does")
    elif not f.entrusted_by_head:
        yield r.violation(f"{who}代表区政府参加{what}须受区长委托", field="entrusted_by_head",
                          en=f"{f.representative or 'This person'} represents the district government at {what_en} only "
                             f"when entrusted by the district head")


@rule("R29.five_not", article=29, topic="org.portfolio")
def five_not_directly(f: PortfolioFacts, r: RuleContext):
    """“一把手”五个不直接分管：人事、财务、物资采购和资产处置、工程建设、行政审批。

    The 区长 and the heads of 组成部门 hold none of the five domains, directly or through a unit;
    by art. 97 so do the heads of the 直属机构, 办事机构 and 直属事业单位 (org.rules_apply_to_kinds)."""
    if f.position not in set(r.param("org.five_not_positions")):
        return
    if f.in_unit and f.unit_kind not in set(r.param("org.rules_apply_to_kinds")):
        return  # towns, streets and the like: bound only where an article names them
    five = r.param("org.five_not_domains")
    labels = r.param("org.domain_labels")
    held = set(f.domains) & set(five)
    where = f"（{f.in_unit}）" if f.in_unit else ""
    for d in sorted(held, key=list(five).index):
        yield r.violation(f"“一把手”{f.holder}{where}不得直接分管{labels.get(d, d)}工作（五个不直接分管）",
                          field="domains",
                          en=f"The top leader {f.holder}{f' ({f.in_unit})' if f.in_unit else ''} may not directly "
                             f"oversee {_en(r, labels.get(d, d))} (the five matters not overseen directly)")
    for unit, domains in f.units:
        for d in sorted(set(domains) & set(five), key=list(five).index):
            yield r.violation(f"“一把手”{f.holder}不得直接分管{unit}：该单位承担{labels.get(d, d)}工作"
                              f"（五个不直接分管）", field="units",
                              en=f"The top leader {f.holder} may not directly oversee {unit}: it carries "
                                 f"{_en(r, labels.get(d, d))} (the five matters not overseen directly)")


@rule("R15.substitute", article=15, topic="org.absence")
def substitution(f: AbsenceFacts, r: RuleContext):
    """补位：区长外出由常务副区长主持工作；副区长外出由区长安排的副区长补位。"""
    labels = r.param("org.positions")
    head = "district_head"
    acting = r.param("substitution.district_head_acting")
    designator = r.param("substitution.deputy_acting_designated_by")
    if f.position == head:
        if f.designated_by_position != head:
            yield r.warn("区长外出未记录委托：常务副区长受区长委托方主持区政府工作，未委托期间区长的待办仍由其本人办理",
                         field="designated_by",
                         en="The district head's absence records no entrustment: the executive deputy runs the "
                            "government's work only when entrusted; until then the district head's tasks stay with "
                            "the district head")
        if f.substitute and f.substitute_position != acting:
            yield r.violation(f"区长外出期间由{labels[acting]}受委托主持工作，不能由{f.substitute}补位",
                              field="substitute",
                              en=f"While the district head is away the {_en(r, labels[acting])} runs the work when "
                                 f"entrusted; {f.substitute} cannot act")
        return
    if f.position not in set(r.param("org.portfolio_leader_positions")):
        return
    if not f.substitute:
        yield r.warn(f"{f.person}外出期间尚未由{labels[designator]}安排补位的副区长", field="substitute",
                     en=f"The {_en(r, labels[designator])} has not named a deputy district head to act while "
                        f"{f.person} is away")
        return
    if f.substitute_position not in {"deputy_head", acting}:
        yield r.violation(f"补位人{f.substitute}不是副区长：副区长外出由补位的副区长代为处理工作",
                          field="substitute",
                          en=f"{f.substitute} is not a deputy district head: a deputy district head's work is done by "
                             f"another deputy district head during an absence")
    if f.designated_by_position != designator:
        yield r.violation(f"副区长的补位人须由{labels[designator]}安排", field="designated_by",
                          en=f"Who acts for a deputy district head is named by the {_en(r, labels[designator])}")


@rule("R97.unit_kind", article=97, topic="org.unit")
def unit_kind(f: UnitFacts, r: RuleContext):
    """单位类型须为系统登记的单位类型之一；区政府直属机构、办事机构、直属事业单位适用本规则。

    The list of kinds (org.unit_kinds) is the system's register, not the article's: art. 97 names
    only the 直属机构, 办事机构 and 直属事业单位 (org.rules_apply_to_kinds adds the units the text
    binds throughout)."""
    kinds = r.param("org.unit_kinds")
    if f.kind not in kinds:
        bound = "、".join(kinds.get(k, k) for k in r.param("org.rules_apply_to_kinds") if k in kinds)
        yield r.violation(f"单位“{f.name}”的类型“{f.kind}”不是登记的单位类型，请选择相应类型"
                          f"（适用本规则的有{bound}）", field="kind",
                          en=f"The kind “{f.kind}” of the unit “{f.name}” is not a registered kind; choose the right one "
                             f"(the rules apply to: "
                             f"{', '.join(_en(r, kinds.get(k, k)) for k in r.param('org.rules_apply_to_kinds') if k in kinds)})")


topic("org.term", TermFacts)
topic("org.members", MemberFacts)
topic("org.portfolio", PortfolioFacts)
topic("org.absence", AbsenceFacts)
topic("org.unit", UnitFacts)
topic("org.foreign_affairs", ForeignAffairsFacts)

# Art. 16: the 区政府办公室 handles the government's daily work; the grant that lets its clerks keep
# the organisation and the calendar (org.services.office_admin_grant) is cited under it.
declare("W16.office_admin", article=16, kind="permission", summary="区政府办公室维护组织机构和工作日历的管理权限")
