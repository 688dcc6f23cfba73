"""Redact personal data before text is stored for display or shown to anyone.

Covers names before an honorific (王先生, 李小红女士, Mr. Smith), phone numbers (mainland
China mobiles, Hong Kong, Taiwan, US/international formats),
e-mail addresses, mainland resident ID numbers (18 digits, check digit verified) and bank
card numbers (Luhn verified). Order numbers, flight numbers, prices and dates survive,
because only digit runs that pass the format or checksum are replaced.
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
_CN_ID = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_CARD = re.compile(r"(?<![\d+])(?:\d[ -]?){12,18}\d(?!\d)")
_PHONES = (
    re.compile(r"(?<!\d)(?:\+?86[ -]?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4}(?!\d)"),  # mainland mobile
    re.compile(r"(?<!\d)(?:\+?852[ -]?)[569]\d{3}[ -]?\d{4}(?!\d)"),  # Hong Kong
    re.compile(r"(?<!\d)(?:\+?886[ -]?|0)9\d{2}[ -]?\d{3}[ -]?\d{3}(?!\d)"),  # Taiwan mobile
    re.compile(r"(?<!\d)0\d{2,3}-\d{7,8}(?!\d)"),  # mainland landline 010-12345678
    re.compile(r"(?<![\w\d])(?:\+1[ -]?)?\(?\d{3}\)?[ -.]\d{3}[ -.]\d{4}(?!\d)"),  # US
)
# Names before an honorific: a common surname, up to two given-name characters, then the title.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏"
    "韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤張劉陳楊黃趙吳孫馬鄭謝韓馮鄧蕭葉蘇呂鍾譚陸範賈"
)
_ZH_HONORIFIC = re.compile("先生|女士|小姐|太太|经理|經理|老师|老師|师傅|師傅")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Job words that stand before a title but are not names: 大堂经理, 值班经理, 送餐师傅.
_NOT_NAMES = (
    "大堂",
    "值班",
    "前台",
    "客服",
    "餐厅",
    "酒店",
    "区域",
    "部门",
    "门店",
    "店",
    "总",
    "副",
    "老",
    "送餐",
    "外卖",
)
_EN_HONORIFIC = re.compile(r"\b(Mr|Mrs|Ms|Miss|Dr|Prof)\.?\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _valid_cn_id(number: str) -> bool:
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == number[17].upper()


def _luhn(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _redact_zh_names(text: str) -> str:
    """Replace the shortest surname-led run of 1-3 Han characters right before an honorific."""
    pieces, last = [], 0
    for match in _ZH_HONORIFIC.finditer(text):
        end = match.start()
        if text[:end].endswith(_NOT_NAMES):
            continue
        for size in (1, 2, 3):
            start = end - size
            if start < last or not _HAN.match(text[start]):
                break
            if text[start] in _SURNAMES:
                pieces += [text[last:start], "[NAME]"]
                last = end
                break
    return "".join([*pieces, text[last:]])


_LONG_DIGITS = re.compile(r"\d(?:[ \-.()]{0,2}\d){6,}")  # the shortest number redacted has 8 digits
_TITLE_HINT = re.compile(r"先生|女士|小姐|太太|经理|經理|老师|老師|师傅|師傅|\b(?:Mr|Ms|Mrs|Miss|Dr|Prof)\b")


def redact(text: str) -> str:
    """``text`` with personal data replaced by [EMAIL], [ID], [CARD], [PHONE] or [NAME].

    Cheap checks first: most feedback holds no long number, no @ and no title, and is returned as is.
    """
    if "@" in text:
        text = _EMAIL.sub("[EMAIL]", text)
    if _LONG_DIGITS.search(text):
        text = _redact_numbers(text)
    if _TITLE_HINT.search(text):
        text = _EN_HONORIFIC.sub(lambda m: f"{m.group(1)}. [NAME]", _redact_zh_names(text))
    return text


def _redact_numbers(text: str) -> str:
    text = _CN_ID.sub(lambda m: "[ID]" if _valid_cn_id(m.group()) else m.group(), text)

    def card(match: re.Match[str]) -> str:
        digits = re.sub(r"\D", "", match.group())
        return "[CARD]" if 13 <= len(digits) <= 19 and _luhn(digits) else match.group()

    text = _CARD.sub(card, text)
    for pattern in _PHONES:
        text = pattern.sub("[PHONE]", text)
    return text
