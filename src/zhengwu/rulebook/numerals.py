"""Chinese article numbers: 60 -> 六十, 98 -> 九十八, 101 -> 一百零一."""

_DIGITS = "零一二三四五六七八九"


def to_chinese(n: int) -> str:
    if not 0 < n < 1000:
        raise ValueError(f"article number out of range: {n}")
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = ""
    if hundreds:
        out += _DIGITS[hundreds] + "百"
        if rest and tens == 0:
            return out + "零" + _DIGITS[ones]
    if tens:
        out += ("" if (tens == 1 and not hundreds) else _DIGITS[tens]) + "十"
    if ones:
        out += _DIGITS[ones]
    return out


def from_chinese(s: str) -> int:
    """Parse 一 … 九百九十九 (as used for article headings: 十、 二十五、 九十八、)."""
    s = s.strip()
    if not s:
        raise ValueError("empty numeral")
    total, current = 0, 0
    for ch in s:
        if ch in _DIGITS:
            current = _DIGITS.index(ch)
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += current * 100
            current = 0
        else:
            raise ValueError(f"not a Chinese numeral: {s!r}")
    return total + current
