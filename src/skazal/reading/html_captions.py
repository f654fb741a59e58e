"""Photo captions around the article: each once, with the credit ("Фото: Reuters") split off."""
from __future__ import annotations

from collections.abc import Sequence

from skazal.reading.html_blocks import Block
from skazal.reading.page_parts import credited_image, normalise_space
from skazal.records import Image

MAX_CAPTION_CHARS = 300


def captions(blocks: Sequence[Block], body: Sequence[Block]) -> list[Image]:
    """Captions that stand beside the article's first or last paragraph's container, in page order."""
    near = {_grandparent(body[0]), _grandparent(body[-1])} if body else set()
    images: list[Image] = []
    seen: set[tuple[str, str | None]] = set()
    for block in blocks:
        if not block.caption or len(block.text) > MAX_CAPTION_CHARS:
            continue
        if body and not any(element in near for element in block.path):
            continue
        image = credited_image(block.text) or Image(caption=normalise_space(block.text))
        key = (image.caption.lower(), image.credit)
        if key not in seen:
            seen.add(key)
            images.append(image)
    return images


def _grandparent(block: Block) -> int:
    return block.path[max(len(block.path) - 3, 0)]
