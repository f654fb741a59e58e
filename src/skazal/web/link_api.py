"""The JSON twins of the linking pages: stories, utterances with every printing, altered quotes."""
from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Request
from pydantic import BaseModel

from skazal.store.links import AlteredOccurrence, ListedStory, QuoteLink, StoryView, UtteranceView
from skazal.web.formats import csv_response, wants_csv
from skazal.web.params import FormatChoice, Id, LinkId, Rows, corpus, missing, refuse_unknown_parameters

router = APIRouter(prefix="/api", tags=["linking"], dependencies=[Depends(refuse_unknown_parameters)])


class StoryListing(BaseModel):
    items: list[ListedStory]
    limit: int
    offset: int


class AlteredListing(BaseModel):
    items: list[AlteredOccurrence]
    total: int
    limit: int
    offset: int


@router.get("/stories", response_model=StoryListing,
            summary="Stories (articles of several outlets reporting one event), those most outlets printed first")
def stories(request: Request, window: Rows, format: FormatChoice = None):
    rows = corpus(request).stories(window.limit, window.offset)
    if wants_csv(request, format):
        return csv_response(rows, "stories")
    return {"items": rows, "limit": window.limit, "offset": window.offset}


@router.get("/stories/{id}", response_model=StoryView,
            summary="One story: its articles by publication time, and the utterances printed in it")
def story(request: Request, id: LinkId):
    view = corpus(request).story(id)
    if view is None:
        raise missing("story", id)
    return view


@router.get("/utterances/{id}", response_model=UtteranceView,
            summary="One statement with every printing of it across outlets, each related to the reference "
                    "wording: the relation, the meaning flag and the words that differ (CSV: the printings)")
def utterance(request: Request, id: LinkId, format: FormatChoice = None):
    view = corpus(request).utterance(id)
    if view is None:
        raise missing("utterance", id)
    if wants_csv(request, format):
        return csv_response([stored.occurrence for stored in view.occurrences], f"utterance-{id}")
    return view


@router.get("/altered", response_model=AlteredListing,
            summary="Printings that changed what was said (a number, a negation, a name, a date, a modal word), "
                    "the newest first")
def altered(request: Request, window: Rows):
    total, rows = corpus(request).altered(window.limit, window.offset)
    return {"items": rows, "total": total, "limit": window.limit, "offset": window.offset}


@router.get("/quotes/{id}/utterance", response_model=QuoteLink,
            summary="The utterance a quote is a printing of, and how many other outlets printed it")
def quote_utterance(request: Request, id: Id):
    found = corpus(request).quote_links([id]).get(id)
    if found is None:
        raise HTTPException(status_code=404, detail=f"quote {id} is no printing of a linked utterance")
    return found
