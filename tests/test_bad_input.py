"""Bad input: one clear line on stderr per bad input, a non-zero exit, every other input processed."""
import gzip
import json
import subprocess
import sys

import pytest
from conftest import DATA

GOOD = DATA / "texts" / "zerkalo-lukashenko-it.txt"


def run_extract(*paths, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "skazal.cli", "extract", "--format", "jsonl", *map(str, paths)],
        capture_output=True, text=True, input=stdin,
    )


def make_bad_inputs(tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    blank = tmp_path / "blank.txt"
    blank.write_bytes(b" \n\t\n")
    binary = tmp_path / "page.html"
    binary.write_bytes(gzip.compress(GOOD.read_bytes()))
    huge = tmp_path / "huge.html"
    paragraph = "<p>" + "Очень длинная страница новостей. " * 30 + "</p>\n"
    huge.write_text("<html><body>" + paragraph * (50 * 1024 * 1024 // len(paragraph.encode())) + "</body></html>")
    missing = tmp_path / "missing.html"
    folder = tmp_path / "a-folder"
    folder.mkdir()
    return {
        empty: "empty",
        blank: "empty",
        binary: "binary",
        huge: "too large",
        missing: "no such file",
        folder: "directory",
    }


def test_each_bad_input_gets_one_line_and_the_good_page_is_still_read(tmp_path):
    bad = make_bad_inputs(tmp_path)
    paths = [*bad, GOOD]
    result = run_extract(*paths)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    errors = result.stderr.strip().splitlines()
    assert len(errors) == len(bad)
    for (path, reason), line in zip(bad.items(), errors):
        assert line.startswith(f"skazal: {path}: ")
        assert reason in line
    pages = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(pages) == 1
    assert pages[0]["body"].startswith("Тему белорусско-российского сотрудничества")


def test_broken_html_is_read_as_far_as_it_goes(tmp_path):
    broken = tmp_path / "broken.html"
    broken.write_text(
        "<html><head><title>Минздрав ответил на вопросы</title><body><div><p>Министр здравоохранения "
        "заявил, что больницы работают в обычном режиме.<p>Это второй абзац без закрывающих тегов"
        "<div><span>",
        encoding="utf-8",
    )
    result = run_extract(broken)
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout)
    assert "больницы работают в обычном режиме" in page["body"]


@pytest.mark.parametrize("encoding", ["windows-1251", "koi8-r"])
def test_a_page_in_a_legacy_encoding_without_a_declaration_is_decoded(tmp_path, encoding):
    text = GOOD.read_text(encoding="utf-8").replace("\xa0", " ")
    page_file = tmp_path / f"page-{encoding}.txt"
    page_file.write_bytes(text.encode(encoding, errors="replace"))
    result = run_extract(page_file)
    assert result.returncode == 0, result.stderr
    assert "Лукашенко" in json.loads(result.stdout)["body"]


def test_a_page_whose_declared_charset_is_wrong_is_still_decoded(tmp_path):
    html = (
        '<html><head><meta charset="utf-8"><title>Новости</title></head><body><article><p>'
        + "Президент заявил журналистам, что переговоры продолжатся на следующей неделе. " * 5
        + "</p></article></body></html>"
    )
    page_file = tmp_path / "lying-charset.html"
    page_file.write_bytes(html.encode("windows-1251"))
    result = run_extract(page_file)
    assert result.returncode == 0, result.stderr
    assert "переговоры продолжатся" in json.loads(result.stdout)["body"]


def test_standard_input_is_read_with_a_dash():
    result = run_extract("-", stdin=GOOD.read_text(encoding="utf-8"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["teasers"][0].startswith("«Амкодор» национализировали")
