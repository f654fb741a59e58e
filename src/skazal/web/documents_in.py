"""Ingest over HTTP: POST /api/documents, only when the operator has set a token (SKAZAL_TOKEN)."""
from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, Field, model_validator

from skazal.ingest.inputs import RawPage
from skazal.ingest.workers import extract_raw
from skazal.records import Failure

MAX_PAGE = 10 * 1024 * 1024

bearer = HTTPBearer(auto_error=False, description="the token in SKAZAL_TOKEN")


def authorised(request: Request,
               credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> None:
    if credentials is None:
        raise HTTPException(status_code=401, detail="send the token as Authorization: Bearer <token>",
                            headers={"WWW-Authenticate": "Bearer"})
    if not hmac.compare_digest(credentials.credentials.encode(), request.app.state.token.encode()):
        raise HTTPException(status_code=403, detail="the token is not the one this server was started with")


router = APIRouter(prefix="/api", tags=["ingest"], dependencies=[Depends(authorised)])


class PageIn(BaseModel):
    """A page to ingest: its address and its HTML or plain text."""

    url: str = Field(min_length=1, max_length=2000, pattern=r"^https?://[^\s\x00]+$")
    html: str | None = Field(default=None, max_length=MAX_PAGE)
    text: str | None = Field(default=None, max_length=MAX_PAGE)

    @model_validator(mode="after")
    def one_content(self) -> PageIn:
        if (self.html is None) == (self.text is None):
            raise ValueError("give the page as either html or text")
        return self


class Saved(BaseModel):
    id: int
    outcome: str  # new, unchanged, revision or duplicate


@router.post("/documents", response_model=Saved, status_code=201, summary="Ingest one page (needs the token)")
def ingest_page(request: Request, page: PageIn) -> Saved:
    content = (page.html if page.html is not None else page.text).replace("\x00", "")
    result = extract_raw(RawPage(location=page.url, url=page.url, content=content.encode("utf-8")))
    if isinstance(result, Failure):
        raise HTTPException(status_code=422, detail=f"the page cannot be ingested: {result.reason}")
    store = request.app.state.store
    (outcome,) = store.save_pages([result])
    return Saved(id=store.document_at(page.url), outcome=outcome)
