"""Phrase bank for the synthetic catering feedback: what customers say at each touchpoint.

Simplified Chinese and English; traditional Chinese is made from the simplified phrases with
OpenCC (Taiwan phrasing) when a record is written in zh-Hant.
"""

from __future__ import annotations

PHRASES: dict[str, dict[str, dict[str, list[str]]]] = {
    "word_of_mouth": {
        "pos": {
            "zh": ["朋友推荐来的，果然不错", "点评上评分很高，名不虚传", "小红书上种草很久了，很满意"],
            "en": [
                "a friend recommended this place and it was lovely",
                "the glowing reviews online were right",
            ],
        },
        "neg": {
            "zh": ["点评上评分那么高，实际很失望", "被小红书种草骗了，太失望了"],
            "en": [
                "the reviews online were misleading, disappointing",
                "heard about it from a friend, what a letdown",
            ],
        },
    },
    "reservation": {
        "pos": {
            "zh": ["电话订座很顺利", "网上预订很方便"],
            "en": ["booking a table online was easy", "the reservation was smooth"],
        },
        "neg": {
            "zh": ["预订了包间结果没留位，太差了", "订座电话一直没人接"],
            "en": ["they lost our reservation, terrible", "nobody answered when we tried to book a table"],
        },
    },
    "queue": {
        "pos": {
            "zh": ["取号以后很快就叫号了", "排队等位有小吃和茶水，很贴心"],
            "en": ["the waitlist moved quickly", "we queued briefly and they served tea, lovely"],
        },
        "neg": {
            "zh": ["排队等位一个多小时，太久了", "排了很久都没叫号"],
            "en": ["we queued for an hour to get a table, awful", "waited for a table forever"],
        },
    },
    "greeting": {
        "pos": {
            "zh": ["一进门就有人热情迎接", "领位的服务员很热情"],
            "en": [
                "the hostess greeted us with a warm smile",
                "we were welcomed and the host seated us right away",
            ],
        },
        "neg": {
            "zh": ["进门半天没人理，领位很冷漠", "迎宾态度很差"],
            "en": ["nobody greeted us at the door, rude", "no one seated us for ten minutes"],
        },
    },
    "environment": {
        "pos": {
            "zh": ["环境很安静，装修有特色", "店里氛围很舒服"],
            "en": ["lovely atmosphere and decor", "the ambience was cozy and warm"],
        },
        "neg": {
            "zh": ["店里太吵了，说话都听不见", "座位太挤了，环境很差"],
            "en": ["too noisy and crowded to talk", "the lighting and music were terrible"],
        },
    },
    "menu_ordering": {
        "pos": {
            "zh": ["扫码点餐很方便", "服务员帮我们点菜，推荐得很专业"],
            "en": ["ordering by qr code was easy", "the menu was clear and easy"],
        },
        "neg": {
            "zh": ["菜单看不懂，点菜也没人介绍", "扫码点餐老是失败，很糟糕"],
            "en": ["the menu was confusing and nobody helped", "the qr code ordering kept failing, terrible"],
        },
    },
    "serving_time": {
        "pos": {
            "zh": ["上菜速度很快", "菜上得很快，不用等"],
            "en": ["the food came out quickly", "dishes arrived fast"],
        },
        "neg": {
            "zh": [
                "等了四十分钟才上菜，太慢了",
                "上菜太慢了，催菜三次都没用",
                "菜上得特别慢，等了快一个小时",
            ],
            "en": [
                "we waited forty minutes for our food, so slow",
                "the food took forever to arrive",
                "slow kitchen, we were waiting for our food for an hour",
            ],
        },
    },
    "taste": {
        "pos": {
            "zh": ["招牌菜味道一绝，太好吃了", "菜品很新鲜，口味很棒", "味道非常好吃，很惊喜"],
            "en": [
                "the dumplings were delicious",
                "every dish was fresh and tasty, amazing",
                "excellent flavor, loved it",
            ],
        },
        "neg": {
            "zh": ["菜太咸了，口味很差", "菜品不新鲜，难吃"],
            "en": ["the soup was bland and salty", "the dishes were bland and disappointing"],
        },
    },
    "hygiene": {
        "pos": {
            "zh": ["桌子和餐具都很干净", "卫生做得很好，很干净"],
            "en": ["the tables were spotless and clean", "the cutlery was clean, perfect"],
        },
        "neg": {
            "zh": ["菜里吃出了头发，太恶心了", "桌子油腻，餐具很脏"],
            "en": ["found a hair in my soup, disgusting", "dirty cutlery and greasy tables"],
        },
    },
    "service_attitude": {
        "pos": {
            "zh": ["服务员态度很热情", "服务很周到，服务员很贴心"],
            "en": ["our waiter was attentive and friendly", "the staff were kind and helpful"],
        },
        "neg": {
            "zh": ["叫了几次服务员都没人理", "服务员态度冷漠，很敷衍"],
            "en": ["the staff were rude", "our server ignored us all night"],
        },
    },
    "payment": {
        "pos": {
            "zh": ["扫码支付很方便", "结账很快"],
            "en": ["payment was quick", "paying the bill was easy"],
        },
        "neg": {
            "zh": ["结账等了很久，太慢了", "买单的时候收银很混乱"],
            "en": ["paying the bill took ages", "the cashier overcharged us, terrible"],
        },
    },
    "price_value": {
        "pos": {
            "zh": ["性价比很高，分量足", "价格很实惠，很划算"],
            "en": ["great value for money", "generous portions, worth the price"],
        },
        "neg": {
            "zh": ["价格太贵了，不划算", "分量太少，性价比很差"],
            "en": ["overpriced for such small portions", "expensive and not worth it"],
        },
    },
    "farewell": {
        "pos": {
            "zh": [
                "走的时候店员送到门口，还送了小礼物，很惊喜",
                "离店时店员热情道别，很温暖",
                "临走送了小礼物，很贴心",
            ],
            "en": [
                "they walked us to the door when we left, lovely",
                "a warm farewell as we left, with a small gift, wow",
                "when we left they said goodbye, so kind",
            ],
        },
        "neg": {
            "zh": ["离店时没有人道别，很冷漠"],
            "en": ["nobody said goodbye when we left, cold"],
        },
    },
    "delivery": {
        "pos": {
            "zh": ["外卖送餐很准时，打包很好", "骑手送餐很快"],
            "en": ["the delivery was fast and the packaging great", "takeaway was packed well and on time"],
        },
        "neg": {
            "zh": ["外卖送到都凉了", "配送太慢，汤都洒了"],
            "en": ["the delivery arrived cold", "takeout took ages and the packaging leaked"],
        },
    },
    "complaint_handling": {
        "pos": {
            "zh": ["投诉以后经理马上道歉并免单，很满意", "客服处理很快，很专业"],
            "en": ["the manager apologized and refunded us, excellent", "customer service fixed it quickly"],
        },
        "neg": {
            "zh": ["投诉以后没人处理，很失望", "打客服电话没人理"],
            "en": ["our complaint was ignored", "customer service never replied, awful"],
        },
    },
    "revisit_recommend": {
        "pos": {
            "zh": ["下次还会再来，推荐给朋友", "已经是会员了，还会再来"],
            "en": ["will definitely come back", "i recommend it to everyone"],
        },
        "neg": {
            "zh": ["再也不来了", "不会推荐给朋友"],
            "en": ["never again", "i would not recommend it"],
        },
    },
}

FILLERS: dict[str, list[str]] = {
    "zh": ["今天和家人一起来吃饭", "周末和同事聚餐", "第一次来这家店", "这是第三次来了"],
    "en": [
        "came here with my family",
        "dinner with colleagues on friday",
        "first visit here",
        "our third time here",
    ],
}

CHANNEL_PREFIX: dict[str, dict[str, str]] = {
    "call_centre": {"zh": "顾客来电反映：", "en": "Caller reports: "},
    "store": {"zh": "门店意见卡：", "en": "Comment card: "},
}
