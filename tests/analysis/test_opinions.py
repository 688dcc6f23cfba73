"""Touchpoint-level sentiment on hand-written sentences: each construction the pairing reads, one
assertion each, in simplified Chinese, traditional Chinese and English."""

from __future__ import annotations

from functools import cache

import pandas as pd
import pytest

from carlzon.analysis.engine import analyse_feedback
from carlzon.analysis.touchpoints.opinions import en_opinions, zh_opinions
from carlzon.journeys import load_template
from carlzon.journeys.models import Journey


@cache
def _catering() -> Journey:
    return load_template("catering")


def mentions(text: str) -> dict[str, tuple[float, str]]:
    """touchpoint -> (sentiment, phrase) of one text, through the whole default analysis."""
    frame = pd.DataFrame({"feedback_id": [1], "text": [text]})
    found = analyse_feedback(frame, _catering()).mentions
    return {m.touchpoint_id: (m.sentiment, m.phrase) for m in found.itertuples()}


def at(text: str, touchpoint: str) -> float:
    return mentions(text)[touchpoint][0]


POSITIVE, NEGATIVE = 0.2, -0.2  # beyond the neutral band


# --- intensifiers -------------------------------------------------------------------------------


def test_a_doubled_intensifier_praises_more_than_a_plain_word() -> None:
    assert at("菜味非常非常好吃", "taste") > at("菜味好吃", "taste") > POSITIVE


def test_haochi_de_buyao_buyao_de_is_praise_not_negation() -> None:
    assert at("这家的蛋糕口感好的不要不要的", "taste") > POSITIVE


def test_traditional_intensifier() -> None:
    assert at("味道超級好，服務員也很熱情", "taste") > POSITIVE


def test_english_booster() -> None:
    assert at("The food was really delicious", "taste") > at("The food was fine", "taste")


# --- colloquial praise and mild approval --------------------------------------------------------


@pytest.mark.parametrize("text", ["味道还可以", "口味不错", "味道挺好的", "招牌菜必点", "价格很良心", "菜品推荐"])
def test_colloquial_praise_is_positive(text: str) -> None:
    found = mentions(text)
    assert max(score for score, _ in found.values()) > POSITIVE, found


def test_mild_approval_is_milder_than_praise() -> None:
    assert 0 < at("味道还可以", "taste") < at("味道很好吃", "taste")


def test_traditional_colloquial_praise() -> None:
    assert at("口味還不錯，必點", "taste") > POSITIVE


def test_a_lukewarm_verdict_leans_negative() -> None:
    assert at("环境一般", "environment") < 0


# --- comparisons --------------------------------------------------------------------------------


def test_better_than_another_place_praises_this_one() -> None:
    assert at("比豪客来好吃，尤其是招牌牛肉", "taste") > POSITIVE


def test_not_as_good_as_blames() -> None:
    assert at("味道没有以前好吃了", "taste") < NEGATIVE


def test_traditional_comparison() -> None:
    assert at("味道不如以前", "taste") < NEGATIVE


def test_english_ive_had_better_blames() -> None:
    assert at("I've had better food at a mall food court", "taste") < NEGATIVE


# --- concessions --------------------------------------------------------------------------------


def test_concession_keeps_each_touchpoints_own_opinion() -> None:
    found = mentions("虽然价格有点贵，但是味道很好")
    assert found["price_value"][0] < NEGATIVE < POSITIVE < found["taste"][0]


def test_jiushi_introduces_the_complaint() -> None:
    assert at("菜很好吃，就是上菜有点慢", "serving_time") < NEGATIVE


def test_traditional_concession() -> None:
    assert at("雖然環境很吵，但是菜很好吃", "environment") < NEGATIVE


def test_english_contrast() -> None:
    found = mentions("Great food but the service was slow")
    assert found["taste"][0] > POSITIVE > NEGATIVE > found["service_attitude"][0]


def test_a_concession_on_one_touchpoint_leans_on_what_follows_the_contrast() -> None:
    assert at("虽然服务员态度很好，但是服务很慢", "service_attitude") < NEGATIVE


def test_traditional_concession_on_one_touchpoint() -> None:
    assert at("雖然服務員態度很好，不過服務很慢", "service_attitude") < NEGATIVE


def test_english_concession_on_one_touchpoint() -> None:
    assert at("The staff were friendly but the service was painfully slow", "service_attitude") < NEGATIVE


def test_the_phrase_of_a_concession_is_its_conclusion() -> None:
    assert mentions("虽然服务员态度很好，但是服务很慢")["service_attitude"][1] == "服务很慢"


# --- negation scope -----------------------------------------------------------------------------


def test_not_very_good_is_negative() -> None:
    assert at("服务员态度不太好", "service_attitude") < NEGATIVE


def test_not_at_all_expensive_is_positive() -> None:
    assert at("价格一点也不贵", "price_value") > 0


def test_budebu_does_not_negate() -> None:
    assert at("不得不说味道很好", "taste") > POSITIVE


def test_bugou_before_praise_is_mild_blame() -> None:
    assert NEGATIVE * 3 < at("菜不够新鲜", "taste") < NEGATIVE


def test_traditional_bugou() -> None:
    assert at("服務員不夠熱情", "service_attitude") < NEGATIVE


def test_a_drawback_is_blame_and_no_drawback_is_not() -> None:
    assert at("缺点是店内会有飞虫", "hygiene") < NEGATIVE < 0 <= at("卫生没什么缺点", "hygiene")


def test_weisheng_jiushi_cha_is_blame() -> None:
    assert at("卫生就是差", "hygiene") < NEGATIVE


def test_weisheng_as_the_topic_is_not_a_second_verdict() -> None:
    assert at("卫生很差", "hygiene") < NEGATIVE


def test_traditional_weisheng_as_the_topic() -> None:
    assert at("衛生不好", "hygiene") < NEGATIVE


def test_a_topic_word_makes_the_verdict_after_it_count() -> None:
    assert at("厨房的卫生情况也堪忧", "hygiene") < NEGATIVE


def test_cleanliness_degree_judged_lukewarm() -> None:
    assert at("干净程度一般", "hygiene") < 0


def test_a_small_flaw_is_mild_blame() -> None:
    assert at("美中不足的是上菜有点慢", "serving_time") < NEGATIVE


def test_a_cons_heading_does_not_blame_what_came_before() -> None:
    assert at("优点：服务态度好；不足：窗户太小", "service_attitude") > POSITIVE


def test_traditional_drawback_points_forward() -> None:
    assert at("味道也算是不錯。不足之處，臨街有點吵", "taste") > POSITIVE


def test_enough_is_not_praise_of_a_price() -> None:
    assert at("488元的房费太贵了，三百块足矣", "price_value") < NEGATIVE


def test_a_rice_portion_is_not_an_appetite() -> None:
    assert at("煲仔饭量少", "price_value") < NEGATIVE


def test_an_upset_stomach_is_hygiene() -> None:
    assert at("吃坏肚子了", "hygiene") < NEGATIVE


def test_needs_improvement_is_polite_blame() -> None:
    assert at("服务有待提高", "service_attitude") < 0


def test_cutting_the_grease_is_praise_of_the_dish() -> None:
    assert at("这道凉菜非常解油腻", "taste") > POSITIVE


# --- which touchpoint a general word belongs to ----------------------------------------------------


def test_greasy_food_is_taste_not_hygiene() -> None:
    found = mentions("红烧肉太油腻了")
    assert "hygiene" not in found and found["taste"][0] < NEGATIVE


def test_a_greasy_table_is_hygiene() -> None:
    assert at("桌子油腻，没人擦", "hygiene") < NEGATIVE


def test_a_service_charge_is_a_price() -> None:
    found = mentions("还要加收10%的服务费，太贵了")
    assert "service_attitude" not in found and found["price_value"][0] < NEGATIVE


def test_an_open_kitchen_is_a_hygiene_reassurance() -> None:
    assert at("开放式厨房，吃着放心", "hygiene") > POSITIVE


def test_traditional_open_kitchen_is_hygiene() -> None:
    assert at("廚房敞開，讓人放心", "hygiene") > POSITIVE


def test_food_poisoning_is_hygiene() -> None:
    assert at("吃完回家就拉肚子了", "hygiene") < NEGATIVE


def test_spoiled_food_is_hygiene() -> None:
    assert "hygiene" in mentions("沙拉里的玉米粒已经发馊了")


def test_english_spotless_is_hygiene_praise() -> None:
    assert at("The dining room was spotless", "hygiene") > POSITIVE


def test_quality_is_not_the_portion_term_inside_it() -> None:
    assert "price_value" not in mentions("食材质量很好")


def test_a_cold_waiter_is_not_bland_food() -> None:
    assert "taste" not in mentions("服务员很冷淡")


def test_traditional_cordyceps_is_not_an_insect() -> None:
    assert "hygiene" not in mentions("蟲草花燉雞湯很好喝")


def test_not_worth_a_visit_is_a_recommendation_not_a_price() -> None:
    found = mentions("菜很难吃，不值得去")
    assert "price_value" not in found and found["revisit_recommend"][0] < NEGATIVE


def test_a_generous_portion_is_praise() -> None:
    assert at("菜的分量很足", "price_value") > POSITIVE


def test_traditional_short_portion_is_blame() -> None:
    assert at("份量不足", "price_value") < NEGATIVE


def test_a_full_hour_is_not_praise() -> None:
    assert at("足足等了一个小时才上菜", "serving_time") < NEGATIVE


def test_a_heading_starts_a_new_opinion() -> None:
    found = mentions("份量还可以\\n#梅子乌龙酒# 难喝死了")
    assert found["price_value"][0] > 0


def test_english_heading_is_its_own_topic() -> None:
    assert at("The prices are fair. [Dessert] awful, awful, awful", "price_value") > 0


def test_a_wait_beside_a_crowd_is_the_queue() -> None:
    assert at("晚上到的，人很多，大概等了半个多小时", "queue") < NEGATIVE


def test_traditional_crowd_wait_is_the_queue() -> None:
    assert "queue" in mentions("週末去的，人略多，需要等一會")


def test_a_wait_with_no_crowd_says_not_what_for() -> None:
    assert "queue" not in mentions("因为去晚了，在大堂等了一会儿")


def test_a_drink_is_tasted() -> None:
    assert at("奶茶很好喝", "taste") > POSITIVE


def test_not_as_good_as_home_cooking_blames() -> None:
    assert at("味道还没家人做得好", "taste") < NEGATIVE


def test_a_small_shop_is_its_space() -> None:
    assert at("店很小，服务员也不多", "environment") < 0


def test_traditional_big_place_is_mild_praise() -> None:
    assert at("店鋪很大，有上下兩層", "environment") > POSITIVE


def test_local_snacks_are_not_the_size_of_the_place() -> None:
    assert "environment" not in mentions("这里的地方小吃很好吃")


def test_budai_is_not_very_not_the_size_of_the_shop() -> None:
    found = mentions("店里不大干净")
    assert "environment" not in found and found["hygiene"][0] < 0


def test_a_little_pricey_is_not_a_small_shop() -> None:
    assert "environment" not in mentions("店里有点小贵")


def test_never_tasted_anything_so_good_is_praise() -> None:
    assert at("还没吃过这么好吃的烤鱼", "taste") > POSITIVE


def test_traditional_before_entering_already_praise() -> None:
    assert at("還沒進門就聞到很香的味道", "taste") > POSITIVE


def test_the_speed_of_the_kitchen_is_serving_not_taste() -> None:
    found = mentions("出品速度很快")
    assert "taste" not in found and found["serving_time"][0] > POSITIVE


def test_deng_as_until_is_no_queue() -> None:
    assert "queue" not in mentions("人很多，等下次人少了再来")


def test_a_wait_that_runs_an_hour_is_the_queue() -> None:
    assert at("人很多，一等就是一个小时", "queue") < NEGATIVE


def test_could_not_satisfy_is_blame() -> None:
    assert at("服务员无法满足我们的要求", "service_attitude") < NEGATIVE


def test_under_ten_minutes_is_quick() -> None:
    assert at("上菜不足十分钟就上齐了", "serving_time") > POSITIVE


def test_small_but_complete_is_not_dirty() -> None:
    assert "hygiene" not in mentions("店很小但五脏俱全")


def test_traditional_elegant_decor_is_not_bland_food() -> None:
    assert "taste" not in mentions("裝修很淡雅")


def test_evening_fast_food_is_not_the_serving() -> None:
    assert "serving_time" not in mentions("晚上的快餐很实惠")


def test_hygiene_blind_spots_are_blame() -> None:
    assert at("卫生死角很多", "hygiene") < NEGATIVE


def test_not_worth_going_again_is_a_recommendation() -> None:
    assert at("不值得再去", "revisit_recommend") < NEGATIVE


def test_a_seafood_counter_is_not_hygiene() -> None:
    assert "hygiene" not in mentions("明档海鲜很新鲜")


def test_no_seat_left_is_the_queue() -> None:
    assert "queue" in mentions("里面人很多都没有位子了，我们在外面等了一会")


def test_traditional_no_seat_is_the_queue() -> None:
    assert "queue" in mentions("裡面沒有座位了，只好在門口等")


def test_wo_ca_is_an_exclamation_not_wiping() -> None:
    assert "hygiene" not in mentions("我擦，这饼一会就凉了")


def test_traditional_negation() -> None:
    assert at("服務員態度不太好", "service_attitude") < NEGATIVE


def test_english_negation_reaches_over_a_word() -> None:
    assert at("The waiter was not very friendly", "service_attitude") < NEGATIVE


def test_english_less_expensive_is_praise_of_price() -> None:
    assert at("just as good, and much less expensive than the place next door", "price_value") > 0


def test_english_should_be_more_is_a_complaint() -> None:
    assert at("The staff should be a bit more friendly.", "service_attitude") < NEGATIVE


# --- stated waits -------------------------------------------------------------------------------


def test_nearly_an_hour_blames_the_wait() -> None:
    assert at("菜上得特别慢，等了快一个小时", "serving_time") < NEGATIVE


def test_a_wait_in_minutes_before_the_dish_blames_serving() -> None:
    assert at("等了四十分钟才上菜", "serving_time") < NEGATIVE


def test_a_kitchen_that_took_long_is_the_serving() -> None:
    assert at("芝士好厚，但是做了好久", "serving_time") < NEGATIVE


def test_shang_ge_cai_is_serving_a_dish() -> None:
    assert at("一般点个菜上个菜要挺久的", "serving_time") < NEGATIVE


def test_traditional_de_for_de_still_times_the_serving() -> None:
    assert at("焗扇貝上的非常快", "serving_time") > POSITIVE


def test_the_pass_is_a_place_not_the_serving() -> None:
    assert "serving_time" not in mentions("最里面是出菜区域")


def test_no_wait_at_all_is_not_a_complaint() -> None:
    assert at("不用排队，很快就有位置", "queue") >= 0


# --- neutral description ------------------------------------------------------------------------


def test_a_dish_ordered_without_opinion_is_neutral() -> None:
    assert at("点了一份牛肉和一份米饭", "taste") == 0.0


def test_traditional_neutral_description() -> None:
    assert at("點了一份牛肉", "taste") == 0.0


def test_english_description_is_neutral() -> None:
    assert at("We ordered a meal for four people.", "taste") == 0.0


def test_a_neutral_clause_does_not_dilute_the_opinion_beside_it() -> None:
    assert at("点了一份牛肉，味道很好", "taste") == at("味道很好", "taste")


# --- phrases ------------------------------------------------------------------------------------


def test_the_phrase_is_the_opinion_span_not_the_sentence() -> None:
    text = "状元楼第一次去，地理位置优越，里面装修中式，菜是地道的宁波菜，口味纯正，醉泥螺特棒，吃到了小时候的味道"
    phrase = mentions(text)["taste"][1]
    assert len(phrase) <= 20 and phrase in text


def test_english_phrase_is_short() -> None:
    phrase = mentions("After a long day of walking across the city in the rain, the waiter was amazing")[
        "service_attitude"
    ][1]
    assert phrase == "the waiter was amazing"


def test_opinion_words_are_read_with_their_degree_and_negation() -> None:
    (opinion,) = zh_opinions("一点也不油腻")
    assert (opinion.word, opinion.weight > 0, opinion.start) == ("不油腻", True, 0)
    (english,) = en_opinions("not very friendly")
    assert english.word == "not friendly" and english.weight < 0


def test_a_not_a_question_is_no_verdict() -> None:
    assert all(o.weight == 0 for o in zh_opinions("不知道正不正宗，好不好吃"))


def test_not_very_good_is_milder_than_bad() -> None:
    (mild,) = zh_opinions("不太好")
    (bad,) = zh_opinions("很差")
    assert bad.weight < mild.weight < 0


def test_tebie_is_a_degree_word_not_a_negator() -> None:
    assert at("服务员态度特别特别好", "service_attitude") > POSITIVE
