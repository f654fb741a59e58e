"""Whether a role noun in a cue fits the role a page gives a person (skazal.quotes.role_match)."""
from skazal.quotes.lexicon import lexicon
from skazal.quotes.role_match import role_signature, signature, stem


def test_a_periphrasis_stands_for_the_office():
    lex = lexicon()
    assert signature("глава", ["государства"], lex).office == stem("президент")
    assert signature("глава", ["МИД"], lex) == role_signature("министр иностранных дел", lex)
    assert signature("руководитель", ["внешнеполитического", "ведомства"], lex).office == stem("министр")


def test_a_place_adjective_and_the_place_agree_and_two_places_clash():
    lex = lexicon()
    russian_president = signature("президент", ["российский"], lex)
    assert russian_president.agrees(role_signature("президент России", lex)) is True
    assert russian_president.agrees(role_signature("президент Украины", lex)) is False
    assert russian_president.agrees(role_signature("президент", lex)) is None


def test_ministers_of_two_ministries_clash():
    lex = lexicon()
    defence, finance = role_signature("министр обороны", lex), role_signature("министр финансов", lex)
    assert defence.office == finance.office
    assert defence.agrees(finance) is False
    assert signature("глава", ["минобороны"], lex).agrees(defence) is True


def test_the_head_of_a_ministry_is_its_minister():
    lex = lexicon()
    head = role_signature("глава министерства иностранных дел Украины", lex)
    assert head.office == stem("министр")
    assert head.agrees(role_signature("министр иностранных дел Украины", lex)) is True
