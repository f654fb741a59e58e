"""The linking pages: stories with their outlets on a time line, an utterance with every printing and
its changed words, and the list of altered quotes."""
from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from skazal.web.links import page_links
from skazal.web.pages import render
from skazal.web.params import LinkId, Rows, corpus, missing
from skazal.web.timeline import Printed, time_line

router = APIRouter(include_in_schema=False, default_response_class=HTMLResponse)


@router.get("/stories")
def stories_page(request: Request, window: Rows):
    listed = corpus(request).stories(window.limit, window.offset)
    return render(request, "stories.html", "/api/stories", stories=listed,
                   pages=page_links(request, window, len(listed) == window.limit))


@router.get("/stories/{id}")
def story_page(request: Request, id: LinkId):
    view = corpus(request).story(id)
    if view is None:
        raise missing("story", id)
    printed = [
        Printed(article.published, article.outlet or article.url,
                f"/documents/{article.document_id}" if article.document_id else None, first=index == 0)
        for index, article in enumerate(view.articles)
    ]
    return render(request, "story.html", f"/api/stories/{id}", view=view, line=time_line(printed))


@router.get("/utterances/{id}")
def utterance_page(request: Request, id: LinkId):
    view = corpus(request).utterance(id)
    if view is None:
        raise missing("utterance", id)
    printed = [
        Printed(o.occurrence.published, o.occurrence.outlet or o.occurrence.url, f"#printing-{index}",
                first=o.occurrence.first, altered=o.occurrence.meaning_altered)
        for index, o in enumerate(view.occurrences)
    ]
    return render(request, "utterance.html", f"/api/utterances/{id}", view=view, line=time_line(printed))


@router.get("/altered")
def altered_page(request: Request, window: Rows):
    total, listed = corpus(request).altered(window.limit, window.offset)
    return render(request, "altered.html", "/api/altered", altered=listed, total=total,
                   first=window.offset + 1, last=window.offset + len(listed),
                   pages=page_links(request, window, window.offset + len(listed) < total))
