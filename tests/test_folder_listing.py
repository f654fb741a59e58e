"""A folder is listed a folder at a time (issue 13): the first pages go to the workers while the rest is still
listed (100,000 files took 1.1-1.6 s to list before the first page), in the order of their sorted paths, with
hidden files and folders left out and folders linked to not followed, as before."""
from __future__ import annotations

import os
from pathlib import Path

from conftest import CORPUS

from skazal.ingest.fetch import Fetcher, FetchOptions
from skazal.ingest.sources import folder_files, read_sources

PAGE = (CORPUS / "html-modern" / "pages" / "013-medportal.html").read_bytes()


def sorted_walk(folder: Path) -> list[Path]:
    """What the listing was: every path under the folder sorted, the files kept, hidden ones left out."""
    return [file for file in sorted(folder.rglob("*"))
            if file.is_file() and not any(part.startswith(".") for part in file.relative_to(folder).parts)]


def test_files_come_in_the_order_of_their_sorted_paths_without_hidden_ones_or_linked_folders(tmp_path):
    for name in ("a.html", "a/b.html", "a-b/c.html", "a/a/z.html", "B.html", "ё.html", "я/1.html", "10.html",
                 "9.html", ".hidden.html", ".git/config", "a/.cache/x.html", "skazal.db"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_bytes(PAGE)
    outside = tmp_path.parent / f"{tmp_path.name}-outside"
    outside.mkdir()
    (outside / "elsewhere.html").write_bytes(PAGE)
    os.symlink(outside, tmp_path / "linked")  # a folder linked to: not followed
    os.symlink(tmp_path / "a.html", tmp_path / "c-link.html")  # a file linked to: read
    os.symlink(tmp_path / "missing.html", tmp_path / "d-broken.html")  # a link to nothing: no file

    listed = list(folder_files(tmp_path))

    assert listed == sorted_walk(tmp_path)
    assert [str(file.relative_to(tmp_path)) for file in listed] == [
        "10.html", "9.html", "B.html", "a/a/z.html", "a/b.html", "a-b/c.html", "a.html", "c-link.html",
        "skazal.db", "я/1.html", "ё.html"]  # by code point, as before: я is U+044F, ё U+0451


def test_the_first_page_of_a_folder_is_handed_on_before_the_folders_after_it_are_listed(tmp_path):
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "1.html").write_bytes(PAGE)
    with Fetcher(FetchOptions()) as fetcher:
        pages = read_sources([str(tmp_path)], fetcher, lambda location: False)

        first = next(pages)
        (tmp_path / "b" / "2.html").write_bytes(PAGE)  # written once the first page is out: still listed
        rest = list(pages)

    assert first.location == str(tmp_path / "a" / "1.html")
    assert [page.location for page in rest] == [str(tmp_path / "b" / "1.html"), str(tmp_path / "b" / "2.html")]
