"""natasha's NER spans turned into canonical entities merged within the page."""
from __future__ import annotations

from natasha import Doc

from skazal.records import Article, Entity, Mention


def find_entities(article: Article, doc: Doc) -> tuple[Entity, ...]:
    """Entities of the article body, one per canonical name and type, with every mention."""
    by_key: dict[tuple[str, str], list[Mention]] = {}
    for span in doc.spans:
        name = span.normal or span.text
        by_key.setdefault((name, span.type), []).append(Mention(span.start, span.stop, span.text))
    return tuple(Entity(name=name, type=etype, mentions=tuple(m)) for (name, etype), m in by_key.items())
