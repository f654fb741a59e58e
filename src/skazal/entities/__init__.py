"""Named entities: people, organisations and places, canonical and merged within the page."""
from skazal.entities.find import find_entities, short_texts

__all__ = ["find_entities", "short_texts"]
