"""Who and what a page names: people, organisations and places, canonical and merged.

Every sentence here comes from a real Russian news page: the seed Zerkalo article, the NEREL
Wikinews texts of the dev gold set, the pages of ../shared/corpus, TUT.BY's feed, tolknews.ru.
"""
import pytest
from conftest import DATA, EVAL

import skazal
from skazal.entities import find_entities
from skazal.nlp import analyse
from skazal.reading import read_page
from skazal.records import Article, Image


def entities_of(body: str, **article) -> tuple:
    return find_entities(Article(body=body, **article), analyse(body))


def named(entities, name: str):
    found = [e for e in entities if e.name == name]
    assert found, f"{name!r} not among {[e.name for e in entities]}"
    return found[0]


def all_names(entities) -> set[str]:
    return {e.name for e in entities}


@pytest.fixture(scope="module")
def seed_entities():
    article = read_page((DATA / "texts" / "zerkalo-lukashenko-it.txt").read_text(encoding="utf-8"))
    return article, find_entities(article, analyse(article.body))


def test_the_seed_page_names_people_places_and_organisations_in_body_teasers_and_credit(seed_entities):
    _, entities = seed_entities
    assert {(e.name, e.type) for e in entities} == {
        # the page gives no first names for Putin and Trump
        ("Александр Лукашенко", "PER"), ("Борис Грызлов", "PER"), ("Путин", "PER"), ("Трамп", "PER"),
        ("Беларусь", "LOC"), ("Россия", "LOC"), ("Украина", "LOC"),
        ("США", "LOC"), ("Курская область", "LOC"), ("Москва", "LOC"), ("Амкодор", "ORG"),
        ("Мингорисполком", "ORG"), ("BELPOL", "ORG"), ("Зеркало", "ORG"), ("Кремль", "ORG"),
        ("TUT.BY", "ORG"),
    }


def test_lukashenko_is_one_person_under_his_full_name_with_every_mention(seed_entities):
    article, entities = seed_entities
    lukashenko = named(entities, "Александр Лукашенко")
    assert "Лукашенко" in lukashenko.aliases
    in_body = [m for m in lukashenko.mentions if m.where == "body"]
    assert len(in_body) == 5
    assert all(article.body[m.start:m.end] == m.text for m in in_body)
    assert {m.where for m in lukashenko.mentions} >= {"body", "teaser:1", "teaser:6", "teaser:10"}


def test_the_ambassador_keeps_his_office_as_role(seed_entities):
    _, entities = seed_entities
    assert named(entities, "Борис Грызлов").role == "посол России"


def test_mentions_outside_the_body_point_into_their_teaser_or_credit(seed_entities):
    article, entities = seed_entities
    zerkalo = named(entities, "Зеркало").mentions[0]
    assert (zerkalo.where, zerkalo.text) == ("teaser:0", "Зеркалу")
    assert article.teasers[0][zerkalo.start:zerkalo.end] == "Зеркалу"
    credit = named(entities, "TUT.BY").mentions[0]
    assert credit.where == "credit:0"
    assert article.images[0].credit[credit.start:credit.end] == "TUT.BY"


@pytest.mark.parametrize("generic", ["СМИ", "IT-сфере", "IT-сектор", "Оскар", "Оскаре", "ДСП", "Застреленного"])
def test_generic_words_awards_and_participles_are_not_entities(seed_entities, generic):
    _, entities = seed_entities
    assert all(generic not in (e.name, *e.aliases) for e in entities)


@pytest.mark.parametrize(
    ("sentence", "canonical", "etype"),
    [
        # pravda-ua: a surname pymorphy reads as the first name "Вовка"
        ("Сейчас Вовк и еще несколько судей скрываются. Ранее задержали брата Павла Вовка.", "Павел Вовк", "PER"),
        # pravda-ua: a man's surname that declines like a feminine noun
        ("Свои статусы потеряли судьи Владимира Келеберды и Константина Пащенко.", "Владимир Келеберда", "PER"),
        ("Свои статусы потеряли судьи Владимира Келеберды и Константина Пащенко.", "Константин Пащенко", "PER"),
        # lenta: an adjectival surname unknown to the dictionary
        ("У одного из фигурантов дела — Ильи Шакурского, сотрудники ФСБ заставили отца.", "Илья Шакурский", "PER"),
        # lenta: a woman's name in the dative, not the man's name "Александр"
        ("Он должен был прилететь в Киев к жене Александре Аксеновой.", "Александра Аксенова", "PER"),
        # lenta: a man's first name pymorphy knows only as a woman's ("Илона"): the declension table
        (
            "Технологию разработал студент Ян Гудфеллоу, после чего устроился в компанию Илона Маска OpenAI.",
            "Илон Маск",
            "PER",
        ),
        # lenta: an indeclinable surname after a first name in the genitive
        ("Студия долго искала актрису на роль принцессы Леи Органа.", "Лея Органа", "PER"),
        # meduza: the Latin spelling in brackets is no part of the name
        ("Весь Twitter обсуждает тачдаун Картера Уилкерсона (Carter Wilkerson).", "Картер Уилкерсон", "PER"),
        # 3dnews: a Latin spelling that ends like the Russian form says it is the nominative
        (
            "«Рынок вырос», — отмечает директор по исследованиям Gartner Роберта Козза (Roberta Cozza).",
            "Роберта Козза",
            "PER",
        ),
        # lenta's feed: a surname in -ин the dictionary does not know
        (
            "Глава Минобороны России Сергей Шойгу прибыл в Минск, где пройдут его переговоры с белорусским "
            "коллегой Виктором Хрениным.",
            "Виктор Хренин",
            "PER",
        ),
        # lenta's feed: an indeclinable surname that is also a first name in the accusative
        (
            "Об этом президент страны Майя Санду заявила в интервью японскому телеканалу NHK.",
            "Майя Санду",
            "PER",
        ),
        # NEREL: a hyphenated surname
        ("Путин провёл переговоры с председателем Госсовета Кубы Мигелем Диасом-Канелем.", "Мигель Диас-Канель", "PER"),
        # NEREL: Russian spelling never writes "кя": "Левински" is indeclinable
        ("Ей пришлось расследовать дело Моники Левински.", "Моника Левински", "PER"),
        # seed page: an organisation's and a region's name in the nominative
        ("«Амкодор» национализировали решением Мингорисполкома с грифом ДСП?", "Мингорисполком", "ORG"),
        ("Заявления Путина о прорыве в Курской области могут говорить о его желании.", "Курская область", "LOC"),
        # orenday: natasha reads "Бузулука" as a nominative, the dictionary knows better
        ("Коллеги показывают, как это коснулось города Бузулука и Бузулукского района.", "Бузулук", "LOC"),
        ("Коллеги показывают, как это коснулось города Бузулука и Бузулукского района.", "Бузулукский район", "LOC"),
        # unian: a surname in capitals
        (
            "По мнению руководителя Центра нейрохирургии Александра ДУХОВСКОГО, данное оборудование поможет.",
            "Александр Духовский",
            "PER",
        ),
        # TUT.BY's feed: names in quotes the tagger leaves in the nominative
        ("Минское «Динамо» одержало волевую победу над подольским «Витязем»", "Витязь", "ORG"),
        ("Бывший оператор «Просторов» подал на банкротство", "Просторы", "ORG"),
        # pravda-ua: only the adjective's ending changes ("Высшем" is not "высочайший")
        ("Дело слушается в Высшем антикоррупционном суде.", "Высший антикоррупционный суд", "ORG"),
    ],
)
def test_names_are_given_in_the_nominative(sentence, canonical, etype):
    assert named(entities_of(sentence), canonical).type == etype


@pytest.mark.parametrize(
    ("sentence", "canonical", "alias"),
    [
        # NEREL 28074: first name with patronymic joins the one Boris on the page
        (
            "Подруга олигарха Бориса Березовского не верит в самоубийство. "
            "Кроме интервью подруги Бориса Абрамовича вчера СМИ распространили ещё одну информацию.",
            "Борис Березовский",
            "Борис Абрамович",
        ),
        # NEREL 10744: an initial agrees with the first name
        (
            "Дмитрий Медведев предложил переименовать милицию. «Единая Россия» поддержала инициативу Д. Медведева.",
            "Дмитрий Медведев",
            "Д. Медведев",
        ),
        # NEREL 26616: "Маша" is short for "Мария" (the diminutives' data)
        (
            "Суд отказал Марии Алёхиной в удовлетворении жалобы. Адвокат Алёхиной Оксана Дарова заявила: "
            "«Маша является человеком крайне активно участвующим в жизни сына».",
            "Мария Алёхина",
            "Маша",
        ),
        # NEREL 160284: one sheriff spelled two ways on one page
        (
            "По словам шерифа округа Харрис Эда Гонзалеса, стрелок действовал один. "
            "В Твиттере шериф округа Эд Гонсалес написал о жертвах.",
            "Эд Гонсалес",
            "Эда Гонзалеса",
        ),
        # NEREL 40631: one actor's first name spelled two ways
        (
            "Американский актёр и сценарист Уэнтуорт Миллер отказался от участия в кинофестивале. "
            "«Я горжусь тем, что Вентворт Миллер выступил в поддержку равенства», — сказала Эллен Дедженерес.",
            "Уэнтуорт Миллер",
            "Вентворт Миллер",
        ),
        # NEREL 38085: one footballer's surname spelled two ways
        (
            "Футбольная карьера Дэвида Бекхэма началась в 1992 году в «Манчестер Юнайтед». В 2003 году Бэкхем "
            "ушел в не менее именитый клуб — «Реал Мадрид», где отыграл четыре сезона.",
            "Дэвид Бекхэм",
            "Бэкхем",
        ),
        # factRuEval 3644: the dictionary knows "Карасина" only as a short adjective ("карасиный")
        (
            "Об этом заявил замглавы российского МИДа Григорий Карасин. «Форматы уже все есть — есть "
            "«нормандский формат», есть Контактная группа», — цитирует РБК Карасина.",
            "Григорий Карасин",
            "Карасина",
        ),
        # factRuEval 3889: initials written close up to the surname
        (
            "Об этом рассказал директор фонда Николай Прянишников. По словам Н.Прянишникова, прежде всего "
            "должна быть представлена инновационная идея.",
            "Николай Прянишников",
            "Н.Прянишникова",
        ),
        # pravda-ua: natasha tags "по Келеберде" as a place; it is the judge's surname
        (
            "Закрыто производство против Владимира Келеберды. Производство по Келеберде дальше открыто.",
            "Владимир Келеберда",
            "Келеберде",
        ),
    ],
)
def test_one_person_named_several_ways_is_one_entity(sentence, canonical, alias):
    entities = entities_of(sentence)
    person = named(entities, canonical)
    assert alias in person.aliases
    assert [e.name for e in entities if e.type == "PER"].count(canonical) == 1
    assert alias not in all_names(entities)


def test_a_name_in_latin_letters_joins_the_same_name_in_russian():
    # meduza: a tweet embedded under the story
    text = (
        "Весь Twitter обсуждает тачдаун Картера Уилкерсона.\n\n"
        "HELP ME PLEASE. A MAN NEEDS HIS NUGGS\n\n— Carter Wilkerson (@carterjwm) April 6, 2017"
    )
    people = [e for e in entities_of(text) if e.type == "PER"]
    assert [p.name for p in people] == ["Картер Уилкерсон"]
    assert "Carter Wilkerson" in people[0].aliases


def test_two_people_side_by_side_stay_two_people():
    # NEREL 26616
    sentence = (
        "«Суд не приговаривал пятилетнего Филиппа к отбытию наказания, а он его отбывает в виде разлуки "
        "с матерью», — заявил на суде общественный защитник Алёхиной Александр Подрабинёк."
    )
    assert {"Алёхина", "Александр Подрабинёк"} <= all_names(entities_of(sentence))


def test_a_caption_spelling_a_name_another_way_names_the_same_person():
    # NEREL 108694: the photo caption says "Джэнет Рино", the story "Джанет Рено"
    body = "В США скончалась Джанет Рено — первая женщина, ставшая генеральным прокурором страны."
    entities = entities_of(body, images=(Image("Джэнет Рино"),))
    assert [e.name for e in entities if e.type == "PER"] == ["Джанет Рено"]
    assert "caption:0" in {m.where for m in named(entities, "Джанет Рено").mentions}


def test_a_place_run_into_a_name_is_left_out_of_it():
    # NEREL 108694
    text = (
        "Рено столкнулась с критикой в связи со штурмом поместья в Уэйко, штат Техас, где находились члены "
        "секты «Ветвь Давидова». После Уэйко Рено оказалась в центре других спорных ситуаций."
    )
    entities = entities_of(text)
    assert "Уэйко Рено" not in all_names(entities)
    assert named(entities, "Уэйко").type == "LOC"


def test_a_first_name_natasha_cut_off_stays_with_the_name():
    # NEREL 40631
    sentence = "«Вентворт Миллер — молодец. Браво», — заявил актер, продюсер и директор Нейл Патрик Харрис."
    harris = named(entities_of(sentence), "Нейл Патрик Харрис")
    assert harris.role == "продюсер и директор"


@pytest.mark.parametrize(
    ("sentence", "canonical", "role"),
    [
        # NEREL 40631: two offices joined by "и", each in the nominative
        (
            "Американский актёр и сценарист Уэнтуорт Миллер отказался от участия в кинофестивале.",
            "Уэнтуорт Миллер",
            "американский актёр и сценарист",
        ),
        # NEREL 132779
        (
            "Пресс-секретарь президента России Дмитрий Песков отказался комментировать заявление.",
            "Дмитрий Песков",
            "пресс-секретарь президента России",
        ),
        # lenta's feed: a hyphenated office natasha took into the name
        (
            "Политик-голлист Флориан Филиппо призвал Францию отказаться от членства в Евросоюзе.",
            "Флориан Филиппо",
            "политик-голлист",
        ),
        # pravda-ua: "и" between two people does not join them into a role
        ("Дело судьи Санина и Огурцова передали в ВСП.", "Огурцов", None),
        # NEREL 28074: a name in the dative
        (
            "Сабирова пролила свет на загадочное письмо бывшего олигарха президенту России Владимиру Путину.",
            "Владимир Путин",
            "президент России",
        ),
        # lenta: a plural noun names a kind of people, not her office
        (
            "Это породило волну контента с участием известных актрис вроде Галь Гадот или Дэйзи Ридли.",
            "Галь Гадот",
            None,
        ),
    ],
)
def test_a_role_in_apposition_is_kept_in_the_nominative(sentence, canonical, role):
    assert named(entities_of(sentence), canonical).role == role


@pytest.mark.parametrize(
    ("sentence", "canonical", "role"),
    [
        # ntv: an interview's speaker introduced with his office
        (
            "Кристиан Вульф, президент Германии: «Давайте посмотрим на ситуацию под другим углом.",
            "Кристиан Вульф",
            "президент Германии",
        ),
        # NEREL 10744: the office after the comma is the next man's
        (
            "«Единая Россия» поддержала инициативу Д. Медведева, лидер ЛДПР В. Жириновский также одобрил его.",
            "Д. Медведев",
            None,
        ),
    ],
)
def test_a_role_after_a_comma_is_the_persons_own(sentence, canonical, role):
    assert named(entities_of(sentence), canonical).role == role


@pytest.mark.parametrize(
    ("sentence", "not_a_name"),
    [
        # NEREL 108694: a disease named after a person (entity_rules.toml: not_after)
        ("В 1995 году у Рено была диагностирована болезнь Паркинсона.", "Паркинсон"),
        # seed teaser: an award («Оскар» in not_names)
        ("Поговорили с беларуской, которая сыграла в фильме, получившем пять наград на «Оскаре»", "Оскар"),
        # seed teaser: a headline quote is not a company's name (quoted_name_max_words)
        ("«Слишком близкий к Украине». Трамп отстранил главного представителя США", "Слишком близкий к Украине"),
        # lenta: a capitalised word opening a sentence is not a person
        ("Весной начали активно задерживать активистов.", "Весной"),
        # bykvu: an office natasha took for a name
        ("Президент Петр Порошенко подписал указ.", "Президент"),
        # tolknews.ru: a Latin term in capitals (latin_terms)
        ("Так, за минувшие сутки в России выявили 5509 новых случаев COVID (5475 днем ранее).", "COVID"),
        # meduza: a tweet in English is no list of organisations
        ("HELP ME PLEASE. A MAN NEEDS HIS NUGGS", "PLEASE"),
    ],
)
def test_words_that_are_not_names_are_left_out(sentence, not_a_name):
    assert not_a_name not in all_names(entities_of(sentence))


def test_an_office_in_front_of_a_name_is_no_part_of_it():
    assert "Петр Порошенко" in all_names(entities_of("Президент Петр Порошенко подписал указ."))


def test_an_abbreviation_natasha_misses_is_an_organisation():
    # pravda-ua (entity_names.toml: known)
    sentence = "Более 40 других судей ОАСК до сих пор имеют свои судейские статусы."
    assert named(entities_of(sentence), "ОАСК").type == "ORG"


def test_a_first_name_natasha_takes_for_an_organisation_is_a_person():
    # bykvu
    sentence = (
        "Вселенский патриарх Варфоломей I передал в руки митрополиту Киевскому и всей Украины Епифанию "
        "официальный документ об автокефалии."
    )
    assert named(entities_of(sentence), "Епифаний").type == "PER"


def test_a_league_named_after_an_office_is_no_office():
    # NEREL 38085
    sentence = "С «Манчестером» он шесть раз становился чемпионом Премьер-лиги, выиграл два Кубка Англии."
    assert named(entities_of(sentence), "Премьер-лига").type == "ORG"


def test_clubs_in_quotes_are_organisations_under_their_own_names():
    # NEREL 38085 (quoted_name_max_words)
    sentence = (
        "Бекхэм, который до недавнего времени играл полузащитником за французский клуб «Пари Сен-Жермен», "
        "на протяжении карьеры выступал за клубы «Манчестер Юнайтед», «Престон Норт Энд», «Реал Мадрид», "
        "«Милан» и «Лос-Анджелес Гэлакси», а также защищал цвета сборной Англии."
    )
    organisations = {e.name for e in entities_of(sentence) if e.type == "ORG"}
    assert organisations == {
        "Пари Сен-Жермен", "Манчестер Юнайтед", "Престон Норт Энд", "Реал Мадрид", "Милан", "Лос-Анджелес Гэлакси"
    }


def test_one_organisation_named_two_ways_is_one_entity_under_the_fuller_name():
    # lenta's feed (entity_names.toml: same)
    sentence = (
        "Вступление в Евросоюз (ЕС) станет единственным путем для выживания Молдавии. По ее мнению, "
        "Молдавия в составе ЕС получит более широкие возможности для экономического развития."
    )
    union = named(entities_of(sentence), "Евросоюз")
    assert "ЕС" in union.aliases
    assert "ЕС" not in all_names(entities_of(sentence))


def test_an_agency_natasha_takes_for_a_person_is_an_organisation():
    # TUT.BY's feed (entity_names.toml: known)
    sentence = (
        "Зафиксирован температурный рекорд дня, свидетельствует проведенный БелаПАН сравнительный анализ "
        "оперативной карты температур и архива Белгидромета на погодном ресурсе meteoinfo.by."
    )
    entities = entities_of(sentence)
    assert named(entities, "Белгидромет").type == "ORG"
    assert named(entities, "meteoinfo.by").type == "ORG"


def test_the_kremlin_acts_as_an_organisation():
    # seed teaser (entity_names.toml: types)
    sentence = "Трамп отстранил главного представителя США на переговорах из-за претензий Кремля — СМИ"
    assert named(entities_of(sentence), "Кремль").type == "ORG"


@pytest.mark.parametrize(
    ("credit", "expected"),
    [
        # TUT.BY's feed: the outlet (domains); the photographer signs like a byline
        ("Ольга Шукайло, TUT.BY", {("TUT.BY", "ORG")}),
        ("Reuters", {("Reuters", "ORG")}),
        # lenta: an address in lower case (domains)
        ("Екатерина Косаревская / ovdinfo.org", {("ovdinfo.org", "ORG")}),
        # day.az: a rubric, not an agency (credit_words)
        ("Фоторепортажи", set()),
    ],
)
def test_photo_credits_name_agencies_not_photographers(credit, expected):
    entities = find_entities(Article(body="", images=(Image("Фото", credit),)), analyse(""))
    assert {(e.name, e.type) for e in entities} == expected


def test_each_role_noun_is_a_single_lemma():
    from skazal.entities.lexicon import role_nouns

    nouns = role_nouns()
    assert {"президент", "министр", "посол", "пресс-секретарь", "губернатор", "мэр"} <= nouns
    assert all(" " not in noun and noun == noun.lower() for noun in nouns)


def test_a_surname_natasha_misses_in_one_sentence_is_still_the_person():
    # factRuEval 3767: "Урин" opening a sentence is also a common noun to the dictionary
    body = (
        "Об этом рассказал гендиректор ГАБТа Владимир Урин. Пока неизвестно, сколько из них будет превращено в "
        "стоячие; Урин сообщил, что их количество будет включено в финансовый план театра.\n\nУрин отметил, что у "
        "городских властей есть специальные общественные институты для работы с малоимущими гражданами."
    )
    urin = named(entities_of(body), "Владимир Урин")
    starts = [body.index("Владимир"), body.index("Урин сообщил"), body.index("Урин отметил")]
    assert [m.start for m in urin.mentions] == starts


@pytest.mark.parametrize(
    ("sentence", "people"),
    [
        # serdobsk-novosti: a couple named with one family name in the plural
        (
            "Сейчас уже никто не воспринимает сердобских художников Андрея и Елену Вилковых по отдельности.",
            {"Андрей Вилков", "Елена Вилкова"},
        ),
        (
            "Отдельное внимание стоит уделить великолепным нарядам, которые вяжут себе сами Елена и Валентина Вилковы.",
            {"Елена Вилкова", "Валентина Вилкова"},
        ),
        # factRuEval 3757: a family name the dictionary does not know
        ("Среди них Gunvor, Аркадия и Бориса Ротенбергов (владеют долей).", {"Аркадий Ротенберг", "Борис Ротенберг"}),
        # NEREL 193946: an adjectival family name
        (
            "Там стихи Григорьева, Арсения и Андрея Тарковских и Новой волны.",
            {"Арсений Тарковский", "Андрей Тарковский"},
        ),
    ],
)
def test_each_of_a_family_named_in_the_plural_is_one_person_in_the_singular(sentence, people):
    assert people <= {e.name for e in entities_of(sentence) if e.type == "PER"}


@pytest.mark.parametrize(
    "sentence",
    [
        "Зная об этом, Вилковы решили остаться в городе.",  # serdobsk-novosti
        "Особняк принадлежал представителям династии Романовых.",
    ],
)
def test_a_family_or_a_dynasty_alone_is_no_person(sentence):
    assert not [e for e in entities_of(sentence) if e.type == "PER"]


def test_the_surname_is_the_nominative_another_mention_gives():
    # factRuEval 3965: natasha reads "Налле Валруса" as a nominative; "по словам Валруса" says otherwise
    body = (
        "Стубб согласился со словами главы шведского банка Nordea Налле Валруса, который заявил, что экономика "
        "Финляндии оказалась под сильным давлением. По словам Валруса, выход iPhone разрушил финскую Nokia."
    )
    assert "Налле Валрус" in {e.name for e in entities_of(body) if e.type == "PER"}


def test_an_indeclinable_surname_is_not_taken_for_a_case_form():
    # multi-outlet corpus (Sports.ru, 2020-05-03): "цитирует Эмери" is no genitive of "Эмеря"
    body = (
        "Экс-главный тренер ПСЖ Унаи Эмери прокомментировал игру своего бывшего подопечного Неймара. "
        "«У Неймара есть талант», - цитирует Эмери Marca."
    )
    assert "Унаи Эмери" in {e.name for e in entities_of(body) if e.type == "PER"}


def test_a_role_noun_made_with_a_combining_form_is_no_part_of_a_name():
    # multi-outlet corpus (Нью Информ, 2020-05): the title and a sentence open with "Техноблогер"
    body = (
        "Российский техноблогер, главный редактор портала BigGeek Николай Николаев оценил iPhone 12.\n\n"
        "Техноблогер также обратил внимание на дизайн."
    )
    people = [e for e in entities_of(body, title="Техноблогер Николаев рассказал, чем привлекателен iPhone 12")
              if e.type == "PER"]
    assert [e.name for e in people] == ["Николай Николаев"]


def test_a_surname_the_tagger_read_as_a_place_is_the_person():
    # multi-outlet corpus (ФедералПресс, 2020-05-03): "Мантурова" is also the town Мантурово's genitive
    body = (
        "Глава Минпромторга Денис Мантуров сообщил, что в российских аптеках нет дефицита масок. "
        "По словам Мантурова, в интернете также нет дефицита масок."
    )
    entities = entities_of(body)
    assert not [e for e in entities if e.type == "LOC"]
    assert [m.text for m in named(entities, "Денис Мантуров").mentions] == ["Денис Мантуров", "Мантурова"]


@pytest.mark.parametrize(
    "body, fuller, alone",
    [
        # multi-outlet corpus (MIGnews.com.ua, 2020-05-03)
        (
            "Международный валютный фонд решил выделить Грузии 200 миллионов долларов, пишет Reuters. "
            "\"Ожидается, что пандемия окажет значительное влияние на экономику Грузии\", - говорится в "
            "заявлении Фонда.",
            "Международный валютный фонд",
            None,
        ),
        # eval/more fre-3762: "ВТБ" is a name, not the kind of "Банк ВТБ"
        (
            "«Коммерческие банки, в том числе и ОАО «Банк ВТБ», не подали заявки на участие в аукционе». "
            "В итоге области все же удалось договориться о рефинансировании долга с самим ВТБ.",
            None,
            "ВТБ",
        ),
    ],
)
def test_an_organisation_named_by_its_kind_alone_is_the_one_the_page_named_in_full(body, fuller, alone):
    organisations = {e.name: e for e in entities_of(body) if e.type == "ORG"}
    if fuller:
        assert "Фонд" not in organisations and len(organisations[fuller].mentions) == 2
    if alone:
        assert alone in organisations


def test_a_known_body_misspelt_by_two_swapped_letters_is_that_body():
    # eval/more nerel-191113: the page writes "Роскомназдор"
    body = "Сегодня Роскомназдор во «ВКонтакте» указал, что видеоряд побуждал к массовым беспорядкам."
    assert ("Роскомнадзор", "ORG") in {(e.name, e.type) for e in entities_of(body)}


def test_a_short_first_name_several_people_share_is_one_person():
    # serdobsk-novosti: "Валя" beside two Valentinas
    body = (
        "В школе ей посчастливилось обучаться у учительницы рисования – Валентины Васильевны Сурковой. "
        "Сами Елена и Валентина Вилковы вяжут наряды. Валя и Володя тоже любят это место. Валя решила учиться."
    )
    assert [e.name for e in entities_of(body)].count("Валя") <= 1


def test_a_town_natasha_takes_for_a_person_is_a_place():
    # serdobsk-novosti
    sentence = "Они хотели переехать жить в Сердобск, на ее родину."
    assert named(entities_of(sentence), "Сердобск").type == "LOC"


def test_a_name_with_a_digit_is_no_person():
    # factRuEval-2016 text 3795 (eval/more): the tagger reads "Ми-6" as a person
    page = skazal.extract((EVAL / "more" / "texts" / "fre-3795.txt").read_text(encoding="utf-8"))
    people = [e.name for e in page.entities if e.type == "PER"]
    assert "Форсайт" in " ".join(people) and not any("Ми-6" in name for name in people)


def test_a_person_after_a_work_is_its_author_or_host_not_its_title():
    # multi-outlet corpus (Народные Новости России, 2020-05-02): "программы Елены Малышевой" is her
    # programme; "передачи «Время»" stays a title and "болезни Паркинсона" names no one
    entities = entities_of(
        "Сотрудник программы Елены Малышевой злоупотреблял алкоголем из-за регулярных унижений начальницы, "
        "сообщил экс-редактор сайта телевизионной передачи Рустам Юлбарисов. У него нашли признаки болезни "
        "Паркинсона, а в эфире передачи «Время» об этом не сказали."
    )
    assert {"Елена Малышева", "Рустам Юлбарисов"} <= all_names(entities)
    assert not {"Паркинсон", "Время"} & all_names(entities)


def test_a_lone_first_name_of_someone_named_in_full_is_that_person():
    # multi-outlet corpus (Cosmopolitan, 2020-05-02): "Бари" alone is Бари Алибасов, not the city of
    # Bari; after "в" a first name stays a place ("в Уэйко", NEREL 108694)
    entities = entities_of(
        "Семейное счастье 81-летней Лидии Федосеевой-Шукшиной и 72-летнего Бари Алибасова разрушил квартирный "
        "вопрос. Сам Бари не унывает. Он уверяет всех, что в его семье не происходит ничего подобного. "
        "«Мы сами разберёмся», — заявил Алибасов."
    )
    person = named(entities, "Бари Алибасов")
    assert [m.text for m in person.mentions] == ["Бари Алибасова", "Бари", "Алибасов"]
    assert not any(e.type == "LOC" for e in entities)


def test_a_name_tagged_a_person_that_ends_with_news_is_an_outlet():
    # multi-outlet corpus (Українські Новини, 2020-05-02): the outlet's name in Ukrainian, a Latin "i" in it
    entities = entities_of("Как сообщали Українськi Новини, Кабмин назначил Буславец врио Минэнерго.")
    assert ("Українськi Новини", "ORG") in {(e.name, e.type) for e in entities}
