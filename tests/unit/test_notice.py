"""Reading the 国务院办公厅 holiday notice (zhengwu.rulebook.notice)."""

import datetime as dt
from pathlib import Path

import pytest

from zhengwu.rulebook.calendar import from_holidays_package, schedule_year
from zhengwu.rulebook.notice import Holiday, NoticeError, parse_notice

D = dt.date
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "notices"


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def package_exceptions(year: int) -> dict:
    src = from_holidays_package(year - 1, year + 1)
    return {d: w for d, (w, _) in src.days.items() if schedule_year(d) == year}


# --------------------------------------------------------------------- the 2026 notice ----

def test_the_2026_notice_gives_its_seven_holidays():
    n = parse_notice(fixture("2026.txt"))
    assert n.year == 2026
    assert n.holidays == [
        Holiday("元旦", D(2026, 1, 1), D(2026, 1, 3), 3),
        Holiday("春节", D(2026, 2, 15), D(2026, 2, 23), 9),
        Holiday("清明节", D(2026, 4, 4), D(2026, 4, 6), 3),
        Holiday("劳动节", D(2026, 5, 1), D(2026, 5, 5), 5),
        Holiday("端午节", D(2026, 6, 19), D(2026, 6, 21), 3),
        Holiday("中秋节", D(2026, 9, 25), D(2026, 9, 27), 3),
        Holiday("国庆节", D(2026, 10, 1), D(2026, 10, 7), 7),
    ]
    assert n.makeup_workdays == [D(2026, 1, 4), D(2026, 2, 14), D(2026, 2, 28), D(2026, 5, 9),
                                 D(2026, 9, 20), D(2026, 10, 10)]


def test_the_2026_notice_agrees_with_the_holidays_package_day_for_day():
    n = parse_notice(fixture("2026.txt"))
    assert {d: w for d, (w, _) in n.exceptions().items()} == package_exceptions(2026)
    assert n.exceptions()[D(2026, 2, 14)] == (True, "春节调休上班")
    assert n.exceptions()[D(2026, 2, 16)] == (False, "春节")


def test_the_2023_notice_with_a_cross_year_new_year_and_a_joint_mid_autumn_national_day():
    n = parse_notice(fixture("2023.txt"))
    assert n.holidays[0] == Holiday("元旦", D(2022, 12, 31), D(2023, 1, 2), 3)
    assert n.holidays[-1] == Holiday("中秋节、国庆节", D(2023, 9, 29), D(2023, 10, 6), 8)
    assert {d: w for d, (w, _) in n.exceptions().items()} == package_exceptions(2023)


def test_the_2015_notice_in_the_old_style_with_weekend_bridging_and_compensatory_days():
    n = parse_notice(fixture("2015.txt"))
    by_name = {h.name: h for h in n.holidays}
    assert by_name["清明节"] == Holiday("清明节", D(2015, 4, 4), D(2015, 4, 6), 3)  # 4-5 Sun + 4-6 补休
    assert by_name["劳动节"] == Holiday("劳动节", D(2015, 5, 1), D(2015, 5, 3), 3)  # 与周末连休
    assert by_name["中秋节"] == Holiday("中秋节", D(2015, 9, 27), D(2015, 9, 27), 1)
    expected = package_exceptions(2015)
    # the package also holds the separately announced 70th-anniversary holiday (9-3, 9-4, work 9-6)
    for d in (D(2015, 9, 3), D(2015, 9, 4), D(2015, 9, 6)):
        expected.pop(d)
    assert {d: w for d, (w, _) in n.exceptions().items()} == expected


def test_the_made_up_2027_fixture_is_well_formed():
    n = parse_notice(fixture("2027-fictional-test-fixture.txt"))
    assert n.year == 2027 and len(n.holidays) == 7
    assert n.makeup_workdays == [D(2027, 2, 20), D(2027, 5, 8), D(2027, 9, 26), D(2027, 10, 9)]


# ---------------------------------------------------------------------------- phrasings ----

def test_ascii_brackets_and_colons_full_width_digits_and_one_line():
    text = ("国务院办公厅关于２０２６年部分节假日安排的通知 一、元旦:１月１日(周四)至３日(周六)放假调休,共３天。"
            "１月４日(周日)上班。二、清明节：4月4日（周六）至6日（周一）放假，共3天。")
    n = parse_notice(text)
    assert [h.name for h in n.holidays] == ["元旦", "清明节"]
    assert n.makeup_workdays == [D(2026, 1, 4)]


def test_xingqi_and_tian_for_sunday_and_chinese_numerals_for_the_day_count():
    text = "关于2026年部分节假日安排的通知\n元旦：1月1日（星期四）至3日（星期六）放假调休，共三天。1月4日（星期天）上班。"
    n = parse_notice(text)
    assert n.holidays == [Holiday("元旦", D(2026, 1, 1), D(2026, 1, 3), 3)]


def test_explicit_years_in_a_new_year_that_starts_in_december():
    text = ("国务院办公厅关于2019年部分节假日安排的通知\n"
            "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。2018年12月29日（星期六）上班。\n"
            "二、清明节：4月5日放假，与周末连休。")
    n = parse_notice(text)
    assert n.holidays[0] == Holiday("元旦", D(2018, 12, 30), D(2019, 1, 1), 3)
    assert n.makeup_workdays == [D(2018, 12, 29)]
    assert n.holidays[1] == Holiday("清明节", D(2019, 4, 5), D(2019, 4, 7), 3)
    assert n.exceptions()[D(2018, 12, 31)] == (False, "元旦")


def test_a_december_make_up_day_without_year_follows_the_december_start():
    text = ("国务院办公厅关于2019年部分节假日安排的通知\n"
            "一、元旦：2018年12月30日至2019年1月1日放假调休，共3天。12月29日（星期六）上班。")
    assert parse_notice(text).makeup_workdays == [D(2018, 12, 29)]


def test_a_range_across_months():
    text = "国务院办公厅关于2023年部分节假日安排的通知\n六、中秋节、国庆节：9月29日至10月6日放假调休，共8天。"
    assert parse_notice(text).holidays == [Holiday("中秋节、国庆节", D(2023, 9, 29), D(2023, 10, 6), 8)]


def test_a_line_wrapped_in_the_middle_of_an_item():
    text = ("国务院办公厅关于2026年部分节假日安排的通知\n"
            "二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、\n周一）放假调休，共9天。\n"
            "2月14日（周六）、2月28日（周六）上班。")
    n = parse_notice(text)
    assert n.holidays == [Holiday("春节", D(2026, 2, 15), D(2026, 2, 23), 9)]
    assert n.makeup_workdays == [D(2026, 2, 14), D(2026, 2, 28)]


def test_sentences_it_does_not_understand_are_kept_as_notes():
    text = "国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。其中1月1日为法定节假日。"
    assert parse_notice(text).notes == ["元旦：其中1月1日为法定节假日"]


# ------------------------------------------------------------------------------ refusals ----

def test_a_wrong_weekday_is_refused_naming_the_date():
    with pytest.raises(NoticeError) as e:
        parse_notice(fixture("malformed-wrong-weekday.txt"))
    assert str(e.value) == "2026-01-03 不是周五（实际为周六）"


def test_a_wrong_weekday_in_the_old_style_is_refused_in_the_old_style():
    text = "关于2015年部分节假日安排的通知\n三、清明节：4月5日放假，4月6日（星期二）补休。"
    with pytest.raises(NoticeError, match="2015-04-06 不是星期二（实际为星期一）"):
        parse_notice(text)


def test_a_wrong_day_count_is_refused_naming_the_dates():
    with pytest.raises(NoticeError, match="春节：2026-02-15 至 2026-02-23 实为 9 天，与“共8天”不符"):
        parse_notice(fixture("malformed-wrong-count.txt"))


def test_no_year_is_refused():
    with pytest.raises(NoticeError, match="未找到通知年份"):
        parse_notice(fixture("malformed-no-year.txt"))


def test_no_holiday_lines_is_refused():
    with pytest.raises(NoticeError, match="未找到放假安排"):
        parse_notice(fixture("malformed-no-holidays.txt"))
    with pytest.raises(NoticeError, match="为空"):
        parse_notice("   ")


@pytest.mark.parametrize("line, message", [
    ("一、元旦：2月30日放假。", "2026年2月30日不是有效日期"),
    ("一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月5日（周一）上班。", "2026-01-05 是周一，本来就是工作日"),
    ("一、端午节：6月17日放假，与周末连休。", "2026-06-17 是周三，不与周末相连"),
    ("一、清明节：4月5日放假，4月11日（周六）补休。", "补休日 2026-04-11 是周六"),
    ("一、元旦：1月1日至3日放假。二、春节：1月3日至5日放假。", "重叠"),
    ("一、国庆节：10月1日至7日放假调休，共7天。10月3日（周六）上班。", "在国庆节假期"),
    ("一、元旦：2024年1月1日放假。", "不属于 2026 年的放假安排"),
    ("一、国庆节：10月7日至10月1日放假。", "早于开始日"),
    ("一、春节：在2月放假，共7天。", "无法识别放假日期"),
    ("一、春节：2月16日至18日放假。2月14日（周六）、下周上班。", "无法识别上班日期"),
])
def test_malformed_lines_are_refused_with_the_reason(line, message):
    with pytest.raises(NoticeError, match=message):
        parse_notice("国务院办公厅关于2026年部分节假日安排的通知\n" + line)


def test_two_different_years_in_the_title_are_refused():
    with pytest.raises(NoticeError, match="通知年份不一致"):
        parse_notice("关于2026年部分节假日安排的通知\n关于2027年部分节假日安排的通知\n元旦：1月1日放假。")


# ------------------------------------------------------------------------------ fuzzing ----

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

FRAGMENTS = ["国务院办公厅关于2026年部分节假日安排的通知\n", "一、", "二、", "元旦", "春节", "：", ":", "（", "）",
             "(", ")", "周六", "星期日", "农历正月初一、", "1月", "2月", "12月", "2025年", "3日", "15日", "31日",
             "至", "放假", "调休", "，", "共", "3", "9", "天", "。", "上班", "与周末连休", "补休", "、", "\n"]


@settings(max_examples=300)
@given(st.lists(st.sampled_from(FRAGMENTS), max_size=40))
def test_any_jumble_of_notice_words_is_either_read_or_refused_with_a_notice_error(parts):
    try:
        n = parse_notice("".join(parts))
    except NoticeError:
        return
    # whatever it accepted is self-consistent
    for h in n.holidays:
        assert h.days == (h.end - h.start).days + 1
    for d in n.makeup_workdays:
        assert d.weekday() >= 5 and not any(h.start <= d <= h.end for h in n.holidays)


@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes_the_parser(text):
    try:
        parse_notice(text)
    except NoticeError:
        pass


def test_working_days_in_the_same_sentence_as_the_holiday_or_each_other():
    text = ("国务院办公厅关于2026年部分节假日安排的通知\n"
            "七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天，9月20日（周日）上班，10月10日（周六）上班。")
    n = parse_notice(text)
    assert n.holidays == [Holiday("国庆节", D(2026, 10, 1), D(2026, 10, 7), 7)]
    assert n.makeup_workdays == [D(2026, 9, 20), D(2026, 10, 10)]


def test_a_holiday_hidden_behind_a_lead_in_is_refused_rather_than_dropped():
    with pytest.raises(NoticeError, match="无法识别放假日期"):
        parse_notice("国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：经研究，1月1日至3日放假。")


def test_a_wrong_weekday_in_an_explanatory_sentence_is_refused_too():
    with pytest.raises(NoticeError, match="2026-01-01 不是周五"):
        parse_notice("国务院办公厅关于2026年部分节假日安排的通知\n一、元旦：1月1日至3日放假调休，共3天。其中1月1日（周五）为法定节假日。")
