"""`crossroads check-sources`: every citation is in the source text, counted as the shared tool counts."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from game.scenarios import builtin_dir
from game.scenarios.grounding import Source, check_paths, find, normalize, shipped_source

from .conftest import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
SHARED = next((p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if (p / "tools").is_dir()), None)
MINI = (FIXTURES / "mini.yaml").read_text(encoding="utf-8")


def crossroads(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "game.cli", *args], capture_output=True, text=True, timeout=60)


def test_the_shipped_scenarios_are_grounded():
    report = check_paths([builtin_dir()])
    assert report.ok and report.citations > 0, [str(f) for f in report.invalid]
    assert 0 < report.sentences_cited <= report.sentences_total
    assert sum(cited for cited, _ in report.sentences_by_section.values()) == report.sentences_cited


def test_a_quote_not_in_its_section_is_reported_at_its_line_and_fails(tmp_path):
    old = 'quote: "L. Trocki zerwał rokowania pokojowe w Brześciu"'
    text = MINI.replace(old, 'quote: "L. Trocki podpisał rokowania pokojowe w Brześciu"', 1)
    line = text[: text.index("Trocki podpisał")].count("\n") + 1
    path = tmp_path / "mini.yaml"
    path.write_text(text, encoding="utf-8")
    report = check_paths([path])
    assert any(f.line == line and "not found in section 'Wojna domowa w Rosji'" in f.reason for f in report.invalid)
    done = crossroads("check-sources", str(path))
    assert done.returncode == 1 and f"{path}:{line}: not found" in done.stdout


def test_ellipses_skip_words_but_keep_their_order():
    text = normalize("Rada Komisarzy Ludowych wydała dekret o ziemi, a potem dekret o pokoju.")
    assert find("Rada Komisarzy… dekret o pokoju", text)
    assert find("Rada Komisarzy ... o ziemi", text)
    assert not find("dekret o pokoju… Rada Komisarzy", text)
    assert find("„Rada  komisarzy LUDOWYCH”", normalize("\u201eRada Komisarzy Ludowych\u201d"))


def test_sentences_do_not_end_at_initials_or_abbreviations():
    source = Source("Nagłówek.\nL. Trocki i gen. Kornilow spotkali się w r. 1917 tutaj. Potem przyszła zima na dobre.\n")
    assert [source.whole[a:b] for a, b in source.spans] == [
        "l. trocki i gen. kornilow spotkali się w r. 1917 tutaj.", "potem przyszła zima na dobre."]


def test_uncited_lists_the_sentences_no_quote_touches():
    one = builtin_dir() / "brest-1918.yaml"  # the shipped scenarios together cite every sentence: take one
    done = crossroads("check-sources", "--uncited", str(one))
    assert done.returncode == 0, done.stdout
    report = check_paths([one])
    listed = [line for line in done.stdout.splitlines() if line.startswith("uncited: ")]
    assert len(listed) == report.sentences_total - report.sentences_cited > 0


@pytest.mark.skipif(SHARED is None, reason="the shared folder (../shared) is not beside this checkout")
def test_the_packaged_source_is_the_shared_one():
    shared = (SHARED / "sources" / "rosja-1917-1924.pl.txt").read_text(encoding="utf-8")
    assert shipped_source().whole == Source(shared).whole


@pytest.mark.skipif(SHARED is None, reason="the shared folder (../shared) is not beside this checkout")
@pytest.mark.parametrize("folder", [builtin_dir(), FIXTURES], ids=["shipped", "fixtures"])
def test_figures_match_the_shared_tool(folder):
    done = subprocess.run([sys.executable, str(SHARED / "tools" / "check_grounding.py"), str(folder), "--json", "--uncited"],
                          capture_output=True, text=True, timeout=60)
    uncited = [line[len("uncited: "):] for line in done.stdout.splitlines() if line.startswith("uncited: ")]
    theirs = json.loads(done.stdout[done.stdout.index("\n{") + 1 :] if uncited else done.stdout)
    ours = check_paths([folder])
    assert ours.citations == theirs["citations"]
    assert len(ours.invalid) == theirs["invalid"]
    assert [f.quote for f in ours.invalid] == [p["quote"] for p in theirs["problems"]]
    assert ours.per_section == theirs["sections"]
    assert ours.sentences_by_section == theirs["sentences_by_section"]
    assert (ours.sentences_cited, ours.sentences_total) == (theirs["sentences_cited"], theirs["sentences_total"])
    assert ours.uncited == uncited
    assert (done.returncode == 0) == ours.ok
