"""The demo government (`zhengwu demo load`): a fictional 洮北区人民政府 with one login per role.

Every name of a person is a placeholder (family name + 甲乙丙丁…), not a real official.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from . import services
from .models import Government

PASSWORD = "Zhengwu@2026"

# (key, name, short name, kind, domains)
UNITS = [
    ("office", "区政府办公室", "区政府办", "gov_office", []),
    ("dcz", "区督查指挥中心", "督查指挥中心", "working_office", []),
    ("sfj", "区司法局", "司法局", "component_dept", ["legal"]),
    ("sjj", "区审计局", "审计局", "component_dept", ["audit"]),
    ("czj", "区财政局", "财政局", "component_dept", ["finance"]),
    ("fgj", "区发展和改革局", "发改局", "component_dept", ["economy"]),
    ("wsb", "区外事办公室", "外事办", "working_office", ["foreign_affairs"]),
    ("rsj", "区人力资源和社会保障局", "人社局", "component_dept", ["personnel"]),
    ("zjj", "区住房和城乡建设局", "住建局", "component_dept", ["construction"]),
    ("zwj", "区政务服务和数字化建设管理局", "政数局", "directly_affiliated", ["admin_approval"]),
    ("jyj", "区教育局", "教育局", "component_dept", ["education"]),
    ("wjj", "区卫生健康局", "卫健局", "component_dept", ["health"]),
    ("nyj", "区农业农村局", "农业农村局", "component_dept", ["agriculture"]),
    ("yjj", "区应急管理局", "应急局", "component_dept", ["emergency", "safety"]),
    ("xhjd", "新华街道办事处", "新华街道", "subdistrict", []),
    ("tdjd", "铁东街道办事处", "铁东街道", "subdistrict", []),
    ("dfx", "东风乡人民政府", "东风乡", "town", []),
    ("lnc", "岭下农场", "岭下农场", "farm", []),
    ("mqgw", "科尔沁精品牧业发展区管委会", "牧业区管委会", "pastoral_zone", ["agriculture"]),
    ("kfq", "洮北经济开发区管委会", "经开区管委会", "dev_zone", ["economy"]),
    ("aw", "区安全生产委员会", "区安委会", "coordination_body", ["safety"]),
]

# (username, full name, position code, title, unit key or None, rank)
PEOPLE = [
    ("quzhang", "张甲", "district_head", "区长", None, 1),
    ("changwu", "李乙", "executive_deputy", "常务副区长", None, 2),
    ("fuqu1", "王丙", "deputy_head", "副区长（城建、应急）", None, 3),
    ("fuqu2", "赵丁", "deputy_head", "副区长（教育、卫生）", None, 4),
    ("fuqu3", "钱戊", "deputy_head", "副区长（农业农村）", None, 5),
    ("fuqu4", "孙己", "deputy_head", "副区长（法治、外事、开发区）", None, 6),
    ("bgs-zhuren", "周庚", "office_director", "区政府办公室主任", "office", 10),
    ("bgs-fuzhuren", "吴辛", "office_deputy_director", "区政府办公室副主任", "office", 11),
    ("wenshu", "郑壬", "clerk", "区政府办公室文书", "office", 12),
    ("dcz", "冯癸", "supervision_director", "督查指挥中心主任", "dcz", 13),
    ("czj", "陈子", "unit_head", "财政局局长", "czj", 20),
    ("czj-fu", "褚丑", "unit_deputy", "财政局副局长", "czj", 21),
    ("czj-ke", "何亥", "section_head", "财政局办公室主任（科室负责人）", "czj", 27),
    ("sfj", "卫寅", "unit_head", "司法局局长", "sfj", 22),
    ("fgj", "蒋卯", "unit_head", "发改局局长", "fgj", 23),
    ("jyj", "沈辰", "unit_head", "教育局局长", "jyj", 24),
    ("xhjd", "韩巳", "unit_head", "新华街道党工委书记、主任", "xhjd", 25),
    ("dfx", "杨午", "unit_head", "东风乡乡长", "dfx", 26),
]

# The separated administrators (三权分立, zhengwu.security): (username, full name, kind). They hold no
# post and act in no business; the demo has no superuser.
ADMINISTRATORS = [
    ("sysadmin", "朱未", "system"),  # 系统管理员
    ("secadmin", "秦申", "security"),  # 安全管理员
    ("auditadmin", "尤酉", "audit"),  # 审计管理员
]

# position username -> (unit keys in charge, domains held directly)
PORTFOLIOS = {
    "quzhang": (["sjj", "fgj"], ["economy"]),
    "changwu": (["office", "dcz", "czj", "rsj", "zwj"], ["finance", "personnel", "admin_approval"]),
    "fuqu1": (["zjj", "yjj", "aw"], ["construction", "emergency", "safety"]),
    "fuqu2": (["jyj", "wjj", "xhjd", "tdjd"], ["education", "health"]),
    "fuqu3": (["nyj", "dfx", "lnc", "mqgw"], ["agriculture"]),
    "fuqu4": (["sfj", "wsb", "kfq"], ["legal", "foreign_affairs"]),
    "czj": ([], ["economy"]),  # the 局长 keeps none of the five; 副局长 holds finance
    "czj-fu": ([], ["finance", "procurement"]),
}

TERM_START = dt.date(2022, 1, 10)


def load() -> Government:
    """Create the demo government through the services (so every row is audited)."""
    from zhengwu.workcalendar.services import calendar_seed

    with transaction.atomic():
        gov = services.government_create(actor=None, name="白城市洮北区人民政府", short_name="洮北区",
                                          doc_prefix="白洮政", demo=True)
        term = services.term_create(actor=None, government=gov, number=1, start=TERM_START)
        units = {key: services.unit_create(actor=None, government=gov, name=name, short_name=short, kind=kind,
                                           domains=domains, order=i)
                 for i, (key, name, short, kind, domains) in enumerate(UNITS)}
        positions = {}
        for username, full_name, code, title, unit_key, rank in PEOPLE:
            person = services.person_create(actor=None, government=gov, username=username, full_name=full_name,
                                            password=PASSWORD, email=f"{username}@taobei.example")
            pos = services.position_create(actor=None, government=gov, code=code, title=title,
                                           unit=units[unit_key] if unit_key else None, rank=rank)
            services.appointment_create(actor=None, position=pos, person=person, start=TERM_START, term=term)
            positions[username] = pos
        for username, (unit_keys, domains) in PORTFOLIOS.items():
            services.portfolio_set(actor=None, position=positions[username], units=[units[k] for k in unit_keys],
                                   domains=domains, on=TERM_START)
        for username in ("bgs-zhuren", "bgs-fuzhuren", "wenshu"):
            services.office_admin_grant(actor=None, person=positions[username].appointments.get().person)
        from zhengwu.security.admins import admin_create

        for username, full_name, kind in ADMINISTRATORS:  # 三权分立: three accounts, no superuser
            admin_create(actor=None, kind=kind, username=username, full_name=full_name, password=PASSWORD,
                         government=gov, email=f"{username}@taobei.example", check_policy=False)
        calendar_seed(actor=None)
        from zhengwu.security import demo_identity

        demo_identity.load()  # the published password stays usable; 2FA secrets for those who need it
    return gov


def accounts_text() -> str:
    lines = ["演示账号 Demo accounts (password / 密码: %s)" % PASSWORD, ""]
    for username, full_name, _code, title, _unit, _rank in PEOPLE:
        lines.append(f"  {username:<14} {title}（{full_name}）")
    from zhengwu.security.roles import LABELS

    for username, full_name, kind in ADMINISTRATORS:
        lines.append(f"  {username:<14} {LABELS[kind]}（{full_name}）")
    lines.append("")
    lines.append("Open http://127.0.0.1:8000 and log in.")
    return "\n".join(lines)
