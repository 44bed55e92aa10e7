"""Organisation (art. 10–16, 29, 97): government, term, units, positions, people, 分工, absences.

Writes go through services.py only.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class Government(models.Model):
    """The tenant: one 区人民政府 with its rulebook, units and people."""

    name = models.CharField("名称", max_length=100, unique=True)  # 白城市洮北区人民政府
    short_name = models.CharField("简称", max_length=40)  # 洮北区
    doc_prefix = models.CharField("发文代字", max_length=20, blank=True)  # 白洮政
    rulebook_id = models.CharField("工作规则", max_length=60, default="taobei-2020")
    # loaded by `zhengwu demo load` (fictional people with a published password): the login page
    # then says how to log in to the demo; a real installation never sets it
    demo = models.BooleanField("演示数据", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "区人民政府"

    def __str__(self) -> str:
        return self.name


class Term(models.Model):
    """A 5-year term (届) of the government (art. 10)."""

    government = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="terms")
    number = models.PositiveSmallIntegerField("届次")
    start = models.DateField("起始日期")
    end = models.DateField("届满日期")

    class Meta:
        verbose_name = verbose_name_plural = "届"
        ordering = ["-start"]
        constraints = [models.UniqueConstraint(fields=["government", "number"], name="org_term_unique_number")]

    def __str__(self) -> str:
        return f"第{self.number}届（{self.start:%Y}—{self.end:%Y}）"

    def covers(self, day) -> bool:
        return self.start <= day < self.end


class Unit(models.Model):
    """Any organisation: department, office, town, street, 议事协调机构 … (art. 97)."""

    government = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="units")
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField("简称", max_length=40, blank=True)
    kind = models.CharField("单位类型", max_length=30)  # a code of the rulebook parameter org.unit_kinds
    domains = models.JSONField("承担事项", default=list, blank=True)  # domain codes the unit embodies
    order = models.PositiveIntegerField("排序", default=100)
    active = models.BooleanField("在用", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "单位"
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["government", "name"], name="org_unit_unique_name")]

    def __str__(self) -> str:
        return self.name


class Person(AbstractUser):
    """A user who holds positions (人员)."""

    full_name = models.CharField("姓名", max_length=40, blank=True)
    phone = models.CharField("电话", max_length=30, blank=True)
    government = models.ForeignKey(Government, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="people")

    class Meta:
        verbose_name = verbose_name_plural = "人员"

    def __str__(self) -> str:
        return self.full_name or self.username


class Position(models.Model):
    """A post (职务) one person holds at a time: 区长, 副区长, a unit's 主要负责人 …"""

    government = models.ForeignKey(Government, on_delete=models.PROTECT, related_name="positions")
    code = models.CharField("职务类别", max_length=30)  # a code of the rulebook parameter org.positions
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="positions")
    title = models.CharField("职务名称", max_length=60)
    rank = models.PositiveSmallIntegerField("排序", default=100)  # order of precedence (批示 order)

    class Meta:
        verbose_name = verbose_name_plural = "职务"
        ordering = ["rank", "id"]
        indexes = [models.Index(fields=["government", "code"])]

    def __str__(self) -> str:
        return self.title


class Appointment(models.Model):
    """Who holds a position, from when to when (任职)."""

    position = models.ForeignKey(Position, on_delete=models.PROTECT, related_name="appointments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="appointments")
    term = models.ForeignKey(Term, on_delete=models.PROTECT, null=True, blank=True, related_name="appointments")
    start = models.DateField("任职日期")
    end = models.DateField("免职日期", null=True, blank=True)  # exclusive; null = current

    class Meta:
        verbose_name = verbose_name_plural = "任职"
        ordering = ["position__rank", "start"]
        indexes = [models.Index(fields=["person", "start"]), models.Index(fields=["position", "start"])]

    def __str__(self) -> str:
        return f"{self.person}任{self.position}"


class Portfolio(models.Model):
    """The 分工 of one position: the units and domains it is in charge of (art. 14, 29)."""

    position = models.OneToOneField(Position, on_delete=models.PROTECT, related_name="portfolio")
    units = models.ManyToManyField(Unit, blank=True, related_name="leaders")
    domains = models.JSONField("分管事项", default=list, blank=True)
    dual_duties = models.JSONField("一岗双责", default=list, blank=True)  # art. 14: org.dual_duty_domains codes
    note = models.TextField("分工说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "分工"

    def __str__(self) -> str:
        return f"{self.position}分工"


class Absence(models.Model):
    """A leader away (外出/休假); drives substitution (补位, art. 15)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="absences")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期")  # inclusive
    reason = models.CharField("事由", max_length=200)
    substitute = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="substitutions", verbose_name="补位人")
    # who arranged the substitution: the 区长 for a 副区长 (按照区长安排); for the 区长 himself, the 区长
    # — his 委托 to the 常务副区长 (受区长委托, art. 15), without which nobody acts for him
    designated_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="designations", verbose_name="安排（委托）人",
                                      help_text="副区长外出：由区长安排补位；区长外出：填区长本人，即委托常务副区长主持工作（第十五条）")
    cancelled = models.BooleanField("已撤销", default=False)

    class Meta:
        verbose_name = verbose_name_plural = "外出/休假"
        ordering = ["-start"]
        indexes = [models.Index(fields=["person", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.person}{self.start}至{self.end}{self.reason}"
