"""Human-readable output: a page at a glance."""
from __future__ import annotations

from skazal.records import Page

TYPE_LABELS = {"PER": "People", "ORG": "Organisations", "LOC": "Places"}


def page_as_text(page: Page, name: str) -> str:
    article = page.article
    lines = [f"== {name}", f"Title:     {article.title or '(none)'}"]
    if article.published:
        lines.append(f"Published: {article.published}")
    if article.rubric:
        lines.append(f"Rubric:    {article.rubric}")
    words = len(article.body.split())
    paragraphs = article.body.count("\n\n") + 1 if article.body else 0
    lines.append(f"Body:      {paragraphs} paragraphs, {words} words")
    if article.teasers:
        lines.append(f"Teasers:   {len(article.teasers)} headlines of other stories")
    for image in article.images:
        credit = f" (credit: {image.credit})" if image.credit else ""
        lines.append(f"Caption:   {image.caption}{credit}")
    for etype, label in TYPE_LABELS.items():
        names = [_with_role(entity.name, entity.role) for entity in page.entities if entity.type == etype]
        if names:
            lines.append(f"{label + ':':14} {', '.join(names)}")
    for source in page.sources:
        lines.append(f"Source:    {source.name} ({source.phrase})")
    if page.quotes:
        lines.append("Quotes:")
    for quote in page.quotes:
        speaker = quote.speaker.name if quote.speaker else f"(anonymous: {quote.anonymous_description or 'unnamed'})"
        role = quote.speaker.role if quote.speaker else None
        lines.append(f"  [{quote.kind}] {_with_role(speaker, role)}: «{quote.text}»")
    return "\n".join(lines) + "\n"


def _with_role(name: str, role: str | None) -> str:
    return f"{name} ({role})" if role else name
