"""Find and replace personal data in free text, before it is stored or shown.

What is replaced, as ``[KIND]``: e-mail addresses (also ``＠``, Chinese domains and the spelled
"name at qq dot com"), phone numbers (mainland mobiles and landlines in any spacing or dotting,
Hong Kong, Taiwan, US and ``+CC`` international forms, full-width digits too), mainland ID
numbers (18 digits with a valid check digit, 15-digit old ones, both with a real birth date and
province), bank cards (Luhn), any number after a label that names it (电话, 身份证, 卡号, phone …),
WeChat and QQ ids where they are labelled, passports, licence
plates, IP addresses, street addresses, and names: before a title (王先生, 欧阳女士, MR. JOHN
SMITH) or after a label (姓名：, 我叫).

What is kept: order, booking, ticket and tracking numbers after their label (订单号, order no.)
even when the digits look like a phone or pass Luhn; service numbers (400-820-8820, 800-…);
flight numbers, prices, dates.

Why spans and not chained ``re.sub``: every detector reads the same text (full-width forms
folded to ASCII, position for position), protected spans are found first, and overlaps are
settled once, so one detector's placeholder can never feed another's pattern.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import NamedTuple

from carlzon.privacy.checks import card, digits, ipv6, valid_cn_id, valid_old_id

KINDS = ("EMAIL", "PHONE", "ID", "CARD", "NAME", "IM", "ADDRESS", "PASSPORT", "PLATE", "IP")


class Span(NamedTuple):
    """A piece of personal data at text[start:end]."""

    start: int
    end: int
    kind: str


# Full-width digits, letters and marks folded to ASCII, one character for one, so positions hold.
_FOLD = str.maketrans(
    {
        **{chr(0xFF10 + i): str(i) for i in range(10)},
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
        "＠": "@",
        "．": ".",
        "。": ".",
        "（": "(",
        "）": ")",
        "－": "-",
        "—": "-",
        "＋": "+",
        "：": ":",
        "\u3000": " ",
        "＃": "#",
    }
)
_FOLDABLE = re.compile("[\uff01-\uff5e\u3000。—]")

# -- kept: labelled reference numbers and service numbers --------------------------------------
_REFERENCE = re.compile(
    r"(?<![A-Za-z])(?:订单编号|订单号|訂單編號|訂單號|订单|訂單|运单号|運單號|快递单号|快遞單號|工单号|工單號|流水号|流水號"
    r"|交易号|交易號|单号|單號|编号|編號|票号|票號|发票号|發票號"
    r"|order\s*(?:no\.?|number|num|id|#)?|booking\s*(?:ref(?:erence)?|no\.?|number|code)?|confirmation\s*(?:no\.?|number|code|#)?"
    r"|tracking\s*(?:no\.?|number|#)?|ticket\s*(?:no\.?|number|#)|invoice\s*(?:no\.?|number|#)?|ref(?:erence)?\s*(?:no\.?|#)?)"
    r"\s*(?:是|為|为|is|:|#|=)?\s*#?\s*([A-Za-z0-9][A-Za-z0-9-]{5,39})",
    re.IGNORECASE,
)
_SERVICE_NUMBER = re.compile(r"(?<![\d+])(?:[48]00[ -.]?\d{3}[ -.]?\d{4}|1[- ]?[48]00[ -.]?\d{3}[ -.]?\d{4})(?!\d)")

# -- numbers ------------------------------------------------------------------------------------
_EMAIL = re.compile(
    r"(?:[A-Za-z0-9._%+-]+|[\u4e00-\u9fff]{1,4})@[A-Za-z0-9\u4e00-\u9fff-]+(?:\.[A-Za-z0-9\u4e00-\u9fff-]+)*"
    r"\.(?:[A-Za-z]{2,}|中国|中國|公司|网络|網絡)"
)
_TLDS = r"(?:com|net|org|cn|edu|gov|io|co|hk|tw|uk|us|info|biz|me)"
_SPELLED_EMAIL = re.compile(
    rf"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+\s*(?:\(at\)|\[at\]|\{{at\}}|\s+at\s+)\s*[A-Za-z0-9-]+"
    rf"(?:\s*(?:\(dot\)|\[dot\]|\{{dot\}}|\s+dot\s+|\.)\s*[A-Za-z0-9-]+)*\s*(?:\(dot\)|\[dot\]|\{{dot\}}|\s+dot\s+|\.)\s*{_TLDS}\b",
    re.IGNORECASE,
)
_ID_18 = re.compile(r"(?<![\dA-Za-z])\d{17}[\dXx](?![\dA-Za-z])")
_ID_15 = re.compile(r"(?<![\dA-Za-z])\d{15}(?![\dA-Za-z])")
_CARD = re.compile(r"(?<![\d+])\d(?:[ -]?\d){12,18}(?!\d)")
_PHONES = (
    re.compile(r"(?<![\d+])(?:(?:\+|00)86[ -]?)?1[3-9]\d(?:[ -.]?\d{4}){2}(?!\d)"),  # mainland mobile
    re.compile(r"(?<![\d+])(?:(?:\+|00)86[ -]?)?\(?0\d{2,3}\)?[ -.]?\d{3,4}[ -.]?\d{4}(?!\d)"),  # landline
    re.compile(r"(?<![\d+])(?:\+|00)852[ -]?[235679]\d{3}[ -]?\d{4}(?!\d)"),  # Hong Kong
    re.compile(r"(?<![\d+])(?:(?:\+|00)886[ -]?|0)9\d{2}[ -]?\d{3}[ -]?\d{3}(?!\d)"),  # Taiwan mobile
    re.compile(r"(?<![\w+])(?:\+?1[ -.]?)?\(?[2-9]\d{2}\)?[ -.]\d{3}[ -.]\d{4}(?!\d)"),  # US / Canada
    re.compile(r"(?<![\d+])\+\d{1,3}[ -]?\d{1,4}(?:[ -]?\d{2,4}){2,3}(?!\d)"),  # any +CC number
)
# A number after the label that says what it is: redacted as that kind whatever its digits (a made-up
# or mistyped ID fails the check digit, a card the Luhn sum, a local number every phone pattern).
_LABELLED_NUMBER = re.compile(
    r"(?P<label>电话|電話|手机号?|手機號?|联系电话|聯繫電話|联系方式|聯繫方式|(?<![A-Za-z])(?:tel|phone|mobile|cell)(?![A-Za-z])"
    r"|call me on|身份证号?|身份證號?|证件号|證件號|id card(?: no\.?| number)?"
    r"|卡号|卡號|银行卡号?|銀行卡號?|信用卡号?|信用卡號?|card (?:no\.?|number))"
    r"\s*(?:号码|號碼|号|號|码|碼|no\.?|number)?\s*(?:是|为|為|is|:|：)?\s*"
    r"(?P<number>\+?\d(?:[ \-.]?\d){6,22}[Xx]?)(?![\d])",
    re.IGNORECASE,
)
_HK_LOCAL = re.compile(r"(?<![\w+])[235689]\d{3} \d{4}(?![\w])")  # Hong Kong as written there: 9123 4567


def _labelled_numbers(view: str) -> Iterator[Span]:
    for match in _LABELLED_NUMBER.finditer(view):
        label = match.group("label").lower()
        kind = (
            "ID"
            if label.startswith(("身份", "证件", "證件", "id"))
            else "CARD"
            if "卡" in label or "card" in label
            else "PHONE"
        )
        yield Span(match.start("number"), match.end("number"), kind)


# -- accounts, documents, places ----------------------------------------------------------------
_IM = re.compile(
    r"wxid_[A-Za-z0-9_-]{4,30}"
    r"|(?:微信|微信号|微信號|(?<![A-Za-z])(?:wechat|weixin|vx)(?![A-Za-z])|v信|威信)\s*(?:号|號|id)?\s*[:是为為]?\s*([A-Za-z][A-Za-z0-9_-]{5,19})"
    r"|(?<![A-Za-z])(?:QQ|qq|扣扣)\s*(?:号|號|号码|號碼)?\s*[:是为為]?\s*([1-9]\d{4,10})(?!\d)",
    re.IGNORECASE,
)
_PASSPORT = re.compile(
    r"(?:护照|護照|passport)\s*(?:号码|號碼|号|號|no\.?|number|#)?\s*[:是为為]?\s*([A-Za-z]{1,2}\d{6,8})(?!\d)"
    r"|(?<![A-Za-z0-9])[EG]\d{8}(?!\d)",
    re.IGNORECASE,
)
_PLATE = re.compile(
    r"[京津沪滬渝冀豫云雲辽遼黑湘皖鲁魯新苏蘇浙赣贛鄂桂甘晋晉蒙陕陝吉闽閩贵貴粤粵青藏川宁寧琼瓊]"
    r"[A-HJ-NP-Z][·•・ ]?(?=[A-HJ-NP-Z0-9]{0,5}\d)[A-HJ-NP-Z0-9]{5,6}(?![A-Za-z0-9])"
)
_IPV4 = re.compile(r"(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.]*\d)")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])")
_NOT_STREET = "在住于於到是的了我你他她送把给給去从從还還有和与與及"
_ZH_ADDRESS = re.compile(
    rf"(?:[^\W\d_{_NOT_STREET}a-zA-Z]{{2,7}}?(?:省|自治区|自治區|市|区|區|县|縣|镇|鎮))*"
    rf"[^\W\d_{_NOT_STREET}a-zA-Z]{{1,8}}?(?:路|街|大道|大街|巷|弄|胡同)\d+(?:-\d+)?号(?:院)?"
    r"(?:[A-Za-z]?\d+(?:号楼|號樓|栋|棟|幢|座|单元|單元|楼|樓|层|層|室))*(?:\d+室)?"
)
_EN_ADDRESS = re.compile(
    r"\b\d{1,5}\s+(?:[A-Z][a-z]+\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl)\b\.?"
)

# -- names --------------------------------------------------------------------------------------
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏"
    "韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤張劉陳楊黃趙吳孫馬鄭謝韓馮鄧蕭葉蘇呂鍾譚陸範賈"
    "常康施牛洪季俞殷温温庞樊兰聂章鲁葛柳易祝纪包左岳齐安欧伍阎盛龐藍聶魯歐閻"
)
COMPOUND_SURNAMES = (
    "欧阳", "歐陽", "司马", "司馬", "诸葛", "諸葛", "上官", "东方", "東方", "皇甫", "尉迟", "尉遲", "公孙", "公孫",
    "慕容", "长孙", "長孫", "宇文", "司徒", "夏侯", "令狐", "轩辕", "軒轅", "端木", "独孤", "獨孤", "南宫", "南宮",
    "西门", "西門", "百里", "呼延", "申屠", "澹台", "太史", "闻人", "聞人", "万俟", "萬俟", "钟离", "鍾離",
)  # fmt: skip
_ZH_TITLE = re.compile("先生|女士|小姐|太太|经理|經理|老师|老師|师傅|師傅|阿姨|总监|總監|主管|律师|律師|医生|醫生")
_HAN = re.compile(r"[\u4e00-\u9fff]")
# Job and place words that stand before a title but are not names: 大堂经理, 值班经理, 送餐师傅.
_NOT_NAMES = (
    "大堂", "值班", "前台", "客服", "餐厅", "餐廳", "酒店", "区域", "區域", "部门", "部門", "门店", "門店", "店",
    "总", "總", "副", "老", "送餐", "外卖", "外賣", "保洁", "保潔", "快递", "快遞", "司机", "司機", "服务", "服務",
    "销售", "銷售", "产品", "產品", "项目", "項目", "厨", "廚", "的", "位", "个", "個", "这", "這", "那", "各", "好",
    "基金", "适合", "適合", "欢迎", "歡迎", "行", "大", "小", "女", "男",
)  # fmt: skip
_NAME_LABELS = "姓名|联系人|聯繫人|收货人|收貨人|我叫|本人|预订人|預訂人"
_NAME_HINT = re.compile(f"{_ZH_TITLE.pattern}|{_NAME_LABELS}")
_ZH_LABELLED_NAME = re.compile(rf"(?:{_NAME_LABELS})\s*[:是为為]?\s*([\u4e00-\u9fff]{{2,4}})")
_EN_TITLE_NAME = re.compile(
    r"\b(?:(?i:mrs|mr|ms|dr|prof)|Miss|MISS)\b\.?\s+((?:[A-Z][a-z]+|[A-Z]{2,})(?:[ -](?:[A-Z][a-z]+|[A-Z]{2,}))?)\b"
)
_EN_LABELLED_NAME = re.compile(r"\b(?i:my name is|name:)\s+([A-Z][a-z]+(?:\s+[A-Z][a-z]+)?)\b")


def _whole(pattern: re.Pattern[str], kind: str, check: Callable[[str], bool] | None = None) -> Callable:
    def find(view: str) -> Iterator[Span]:
        for match in pattern.finditer(view):
            if check is None or check(match.group()):
                yield Span(match.start(), match.end(), kind)

    return find


def _group(pattern: re.Pattern[str], kind: str) -> Callable:
    """Spans of the first group that matched (the value after its label), or the whole match."""

    def find(view: str) -> Iterator[Span]:
        for match in pattern.finditer(view):
            index = next((i for i in range(1, (pattern.groups or 0) + 1) if match.group(i)), 0)
            yield Span(match.start(index), match.end(index), kind)

    return find


def _phones(view: str) -> Iterator[Span]:
    for pattern in _PHONES:
        for match in pattern.finditer(view):
            if len(digits(match.group())) >= 8:
                yield Span(match.start(), match.end(), "PHONE")


def _zh_titled_names(view: str) -> Iterator[Span]:
    """The surname-led run of 1-3 Han characters right before a title (王先生, 欧阳女士, 李小红经理)."""
    for match in _ZH_TITLE.finditer(view):
        end = match.start()
        if view[:end].endswith(_NOT_NAMES):
            continue
        for size in (1, 2, 3, 4):
            start = end - size
            if start < 0 or not _HAN.match(view[start]):
                break
            if view[start:end][:2] in COMPOUND_SURNAMES and size >= 2:
                yield Span(start, end, "NAME")
                break
            if view[start] in SURNAMES and size <= 3:
                # 欧阳 ends in a surname-like character too: prefer the compound when it is there.
                if start >= 1 and view[start - 1 : start + 1] in COMPOUND_SURNAMES:
                    yield Span(start - 1, end, "NAME")
                else:
                    yield Span(start, end, "NAME")
                break


def _zh_labelled_names(view: str) -> Iterator[Span]:
    for match in _ZH_LABELLED_NAME.finditer(view):
        name = match.group(1)
        if name[:2] in COMPOUND_SURNAMES or name[0] in SURNAMES:
            size = 4 if name[:2] in COMPOUND_SURNAMES else 3
            yield Span(match.start(1), match.start(1) + min(len(name), size), "NAME")


def _ip(view: str) -> Iterator[Span]:
    for match in _IPV4.finditer(view):
        if not _VERSION_BEFORE.search(view[max(0, match.start() - 9) : match.start()]):
            yield Span(match.start(), match.end(), "IP")
    if "::" in view or view.count(":") >= 2:
        for match in _IPV6.finditer(view):
            if ipv6(match.group()):
                yield Span(match.start(), match.end(), "IP")


_VERSION_BEFORE = re.compile(r"(?:version|ver\.?|v|版本|版本号)\s*$", re.IGNORECASE)
_PROVINCE_CHARS = "京津沪滬渝冀豫云雲辽遼黑湘皖鲁魯新苏蘇浙赣贛鄂桂甘晋晉蒙陕陝吉闽閩贵貴粤粵青藏川宁寧琼瓊"

# What a text must hold for each detector to find anything: each is tested once per text, and a
# detector runs only where its gate opens, so the usual review costs a dozen quick searches.
_GATES: dict[str, Callable[[str, str], bool]] = {  # (text folded to ASCII forms, the same lower-cased)
    "at": lambda v, low: "@" in v and _EMAIL_HINT.search(v) is not None,
    "spelled": lambda v, low: " at " in low or "(at)" in low or "[at]" in low or "{at}" in low,
    "long digits": lambda v, low: _LONG_DIGITS.search(v) is not None,  # phones, IDs and cards: 8 digits or more
    "im": lambda v, low: _IM_HINT.search(low) is not None,
    "passport": lambda v, low: "护照" in v or "護照" in v or "passport" in low or _BARE_PASSPORT.search(v) is not None,
    "ip": lambda v, low: "::" in v or _IP_HINT.search(v) is not None,
    "plate": lambda v, low: _PLATE_HINT.search(v) is not None,
    "zh address": lambda v, low: ("号" in v or "號" in v) and _ZH_ADDRESS_HINT.search(v) is not None,
    "en address": lambda v, low: _EN_ADDRESS_HINT.search(v) is not None,
    "zh name": lambda v, low: _NAME_HINT.search(v) is not None,
    "en name": lambda v, low: _EN_NAME_HINT.search(low) is not None,
}
_IM_HINT = re.compile("微信|wechat|weixin|vx|v信|威信|wxid|qq|扣扣")
_EMAIL_HINT = re.compile(r"@[\w-]+\.")
_LONG_DIGITS = re.compile(r"\d(?:[ \-.()]{0,2}\d){6,}")
_BARE_PASSPORT = re.compile(r"[EG]\d{8}")
_IP_HINT = re.compile(r"\d\.\d{1,3}\.\d{1,3}\.\d|:[0-9A-Fa-f]{1,4}:[0-9A-Fa-f]{1,4}:")
_PLATE_HINT = re.compile(rf"[{_PROVINCE_CHARS}][A-HJ-NP-Z]")
_ZH_ADDRESS_HINT = re.compile(r"\d[号號]")
_EN_ADDRESS_HINT = re.compile(r"\d\s+[A-Z][a-z]")
_EN_NAME_HINT = re.compile(r"\b(?:mrs?|ms|miss|dr|prof|my name|name:)")
_NUMBERS = {"long digits", "im", "passport", "ip"}
# The one test most feedback fails, on the text as written: no e-mail, no long run of digits, no
# title or label, no hint of an account, a document, an address or a plate (each check is cheap
# alone; one regex of them all costs five times as much: bench/RESULTS.md, "PII").
_ANY_DIGIT = re.compile("[0-9０-９]")
_RAW_EMAIL_HINT = re.compile(r"[@＠][\w-]+[.．]")  # _EMAIL_HINT on the text as written (full-width forms too)
_RAW_LONG_DIGITS = re.compile(r"[0-9０-９](?:[ \-.()（）－]{0,2}[0-9０-９]){6,}")
_ZH_HINTS = re.compile(rf"{_ZH_TITLE.pattern}|{_NAME_LABELS}|护照|護照|微信|v信|威信|扣扣")
_LATIN = re.compile("[A-Za-z]")
_EN_HINTS = re.compile(
    r"(?<![a-z])(?:m[rs]s?|miss|dr|prof|my name|name:|passport|we(?:chat|ixin)|vx|wxid|qq)(?![a-z])"
    r"|\(at\)|\[at\]|\{at\}|::|(?<![a-z])at\s+[a-z0-9-]+\s*(?:\.|dot(?![a-z]))"
)
_EN_WORDS = ("mr", "ms", "dr", "prof", "miss", "name", "passport", "wechat", "weixin", "vx", "wxid", "qq", "at", "::")
_STREET = re.compile(r"\b(?:Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl)\b")


def _worth_a_look(text: str) -> bool:
    if ("@" in text or "＠" in text) and _RAW_EMAIL_HINT.search(text):
        return True
    if _ANY_DIGIT.search(text) and (
        _RAW_LONG_DIGITS.search(text)
        or _IP_HINT.search(text)
        or (("号" in text or "號" in text) and _ZH_ADDRESS_HINT.search(text))
        or _PLATE_HINT.search(text)
    ):
        return True
    if _ZH_HINTS.search(text):
        return True
    if _LATIN.search(text) is None:
        return False
    low = text.lower()
    return (any(word in low for word in _EN_WORDS) and _EN_HINTS.search(low) is not None) or (
        _STREET.search(text) is not None
    )


# Earlier detectors win an overlap of equal length: an ID before a phone, a phone (0086-…) before a card.
_DETECTORS: tuple[tuple[str, Callable[[str], Iterator[Span]]], ...] = (
    ("at", _whole(_EMAIL, "EMAIL")),
    ("spelled", _whole(_SPELLED_EMAIL, "EMAIL")),
    ("long digits", _whole(_ID_18, "ID", valid_cn_id)),
    ("long digits", _whole(_ID_15, "ID", valid_old_id)),
    ("long digits", _labelled_numbers),
    ("long digits", _phones),
    ("long digits", _whole(_HK_LOCAL, "PHONE")),
    ("long digits", _whole(_CARD, "CARD", card)),
    ("im", _group(_IM, "IM")),
    ("passport", _group(_PASSPORT, "PASSPORT")),
    ("ip", _ip),
    ("plate", _whole(_PLATE, "PLATE")),
    ("zh address", _whole(_ZH_ADDRESS, "ADDRESS")),
    ("en address", _whole(_EN_ADDRESS, "ADDRESS")),
    ("zh name", _zh_titled_names),
    ("zh name", _zh_labelled_names),
    ("en name", _group(_EN_TITLE_NAME, "NAME")),
    ("en name", _group(_EN_LABELLED_NAME, "NAME")),
)


def _protected(view: str) -> list[tuple[int, int]]:
    spans = [(m.start(1), m.end(1)) for m in _REFERENCE.finditer(view)]
    spans += [(m.start(), m.end()) for m in _SERVICE_NUMBER.finditer(view)]
    return spans


def find_pii(text: str) -> list[Span]:
    """The personal data in ``text``, as non-overlapping spans in reading order."""
    if not _worth_a_look(text):
        return []
    view = text.translate(_FOLD) if _FOLDABLE.search(text) else text
    low = view.lower()
    open_gates = {name for name, gate in _GATES.items() if gate(view, low)}
    if not open_gates:
        return []
    kept = _protected(view) if open_gates & _NUMBERS else []
    found: list[tuple[int, int, Span]] = []
    for rank, (gate, detector) in enumerate(_DETECTORS):
        if gate not in open_gates:
            continue
        for span in detector(view):
            if span.end > span.start and not any(s < span.end and span.start < e for s, e in kept):
                found.append((-(span.end - span.start), rank, span))
    chosen: list[Span] = []
    for _, _, span in sorted(found):  # longest first, then by detector rank
        if not any(c.start < span.end and span.start < c.end for c in chosen):
            chosen.append(span)
    return sorted(chosen)


def redact(text: str) -> str:
    """``text`` with each piece of personal data replaced by its kind: ``[PHONE]``, ``[NAME]``, …

    Cheap first: most feedback holds no digit, no @ and no title, and is returned as it is.
    """
    spans = find_pii(text)
    if not spans:
        return text
    pieces, last = [], 0
    for span in spans:
        pieces += [text[last : span.start], f"[{span.kind}]"]
        last = span.end
    return "".join([*pieces, text[last:]])
