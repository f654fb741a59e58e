"""The words whose change changes what a quote says, by lemma: one declarative table."""
from __future__ import annotations

MONTHS = frozenset("январь февраль март апрель май июнь июль август сентябрь октябрь ноябрь декабрь".split())

MEANING_WORDS: dict[str, frozenset[str]] = {
    "negation": frozenset(
        "не нет ни никогда ничто ничего никто никакой нигде никуда нельзя отнюдь".split()
    ),
    "modality": frozenset(
        "нужно нужный надо можно мочь должный должен необходимо необходимый следовать обязан обязанный "
        "обязательно возможно возможный невозможно вероятно наверное нельзя придтись прийтись "
        "разрешить запретить хотеть планировать намереваться".split()
    ),
    "hedge": frozenset(
        "более менее около почти свыше порядка примерно приблизительно больше меньше минимум максимум "
        "лишь всего только до предел".split()
    ),
    "date": MONTHS | frozenset(
        "понедельник вторник среда четверг пятница суббота воскресенье сегодня вчера завтра "
        "позавчера послезавтра неделя месяц год".split()
    ),
}

# words of a speaker's stance or of the telling ("Я думаю, что …", "Могу с уверенностью сказать"): a report
# of the words drops them, so they tell no statement from another
FRAME_WORDS = frozenset(
    "думать считать полагать безусловно конечно разумеется очевидно уверенность уверен сказать кстати "
    "собственно честно".split()
)

# a hedge only hedges a number: "до июня" is a date, "до 50%" a hedge
HEDGE_REACH = 2

# what a hedge says of its number: hedges of one sense are one hedge ("в пределах 300" is "около 300",
# "менее 14" is "до 14"), a hedge of another sense ("более 800" as "около 800") changes the claim
HEDGE_SENSES: dict[str, str] = {
    **dict.fromkeys("около порядка примерно приблизительно предел".split(), "about"),
    **dict.fromkeys("более свыше больше минимум".split(), "over"),
    **dict.fromkeys("менее меньше максимум до".split(), "under"),
    **dict.fromkeys("лишь всего только".split(), "only"),
    "почти": "almost",
}
