"""The grounding check: every citation of a scenario is really in the source text.

`crossroads check-sources [PATHS]` runs it. A citation is any mapping with a ``quote``:
3 to 25 words found verbatim (after ``normalize``) in the section its ``section`` names
(or anywhere, without one); ``...`` or ``…`` may skip words, the parts then stand in
order. The source text ships with the package (``source/rosja-1917-1924.pl.txt``).

The normalisation, the section split and the sentence split are those of the shared
tool ``shared/tools/check_grounding.py``, so both count the same (a test compares them).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from .yamlload import YamlSyntaxError, line_of, load_yaml

SOURCE_FILE = "rosja-1917-1924.pl.txt"
MIN_WORDS, MAX_WORDS = 3, 25
ABBREVIATIONS = {"gen", "tzw", "r", "ros", "m.in", "tys", "mln", "mld", "adm", "im", "np", "ok", "św"}


def normalize(text: str) -> str:
    """Lower case, NFC, one style of quotation marks, apostrophes and dashes, single spaces."""
    text = unicodedata.normalize("NFC", text).lower()
    text = re.sub(r"[„”“\"«»]", '"', text)
    text = re.sub(r"[‘’`]", "'", text)
    text = re.sub(r"[–—‑]", "-", text)
    text = re.sub(r"\s+", " ", text)
    return text.strip()


def split_sections(text: str) -> dict[str, str]:
    """Split the source into {heading: body}; a heading is a short line ending in its only full stop."""
    sections: dict[str, list[str]] = {}
    current = ""
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and len(stripped) < 60 and stripped.endswith(".") and stripped.count(".") == 1:
            current = stripped.rstrip(".")
            sections[current] = []
        elif stripped:
            sections.setdefault(current, []).append(stripped)
    return {name: " ".join(body) for name, body in sections.items()}


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of normalized text; initials and abbreviations do not end one."""
    spans, start = [], 0
    for match in re.finditer(r"[.!?]\s+", text):
        word = re.search(r"(\S+)$", text[start : match.start()])
        token = word.group(1).lower() if word else ""
        if len(token) == 1 or token in ABBREVIATIONS:
            continue
        spans.append((start, match.start() + 1))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return [(a, b) for a, b in spans if len(text[a:b].split()) >= 3]


def find(quote: str, text: str) -> list[tuple[int, int]]:
    """Where the quote's parts (split by an ellipsis) stand, in order, in text; [] if not found."""
    parts = [p.strip(" .,;:") for p in re.split(r"\.\.\.|…", normalize(quote))]
    found, pos = [], 0
    for part in (p for p in parts if p):
        at = text.find(part, pos)
        if at < 0:
            return []
        found.append((at, at + len(part)))
        pos = at + len(part)
    return found


class Source:
    """The source text cut into normalized sections and sentences."""

    def __init__(self, text: str) -> None:
        self.sections = {name: normalize(body) for name, body in split_sections(text).items()}
        self.offsets: dict[str, int] = {}
        whole = ""
        for name, body in self.sections.items():
            self.offsets[name] = len(whole)
            whole += body + " "
        self.whole = whole
        self.by_heading = {normalize(name): name for name in self.sections}
        self.spans = sentence_spans(whole)
        bounds = sorted((off, name) for name, off in self.offsets.items())
        self.section_of = [max((o, n) for o, n in bounds if o <= a)[1] for a, _ in self.spans]

    def heading(self, section: Any) -> str | None:
        return self.by_heading.get(normalize(section).rstrip(".")) if isinstance(section, str) else None


def shipped_source() -> Source:
    """The source text the package carries."""
    return Source((resources.files(__package__) / "source" / SOURCE_FILE).read_text(encoding="utf-8"))


@dataclass(frozen=True, slots=True)
class Finding:
    """A citation that is not in the source, printable as ``file:line: reason: 'quote'``."""

    file: str
    line: int
    quote: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}: {self.quote!r}"


@dataclass
class Report:
    """What ``check_paths`` found: the counts of the shared tool, and the invalid citations."""

    citations: int = 0
    invalid: list[Finding] = field(default_factory=list)
    per_section: dict[str, int] = field(default_factory=dict)  # valid citations naming each section
    sentences_by_section: dict[str, list[int]] = field(default_factory=dict)  # [cited, total]
    sentences_cited: int = 0
    sentences_total: int = 0
    uncited: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.citations > 0 and not self.invalid


def _citations(node: Any, path: list[Any]) -> Iterator[tuple[list[Any], dict[str, Any]]]:
    if isinstance(node, dict):
        if "quote" in node and isinstance(node["quote"], str):
            yield path, node
        for key, value in node.items():
            yield from _citations(value, [*path, key])
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _citations(value, [*path, i])


def _load(path: Path) -> Any:
    """The file's data (YAML keeps its lines), or None for files that are not scenario data."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return load_yaml(path.read_text(encoding="utf-8"))
    if suffix == ".json":
        return json.loads(path.read_text(encoding="utf-8"))
    if suffix == ".toml":
        import tomllib

        return tomllib.loads(path.read_text(encoding="utf-8"))
    return None


def scenario_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files given, and every file under the folders given (as the shared tool walks them)."""
    out: list[Path] = []
    for p in map(Path, paths):
        out += [f for f in sorted(p.rglob("*")) if f.is_file()] if p.is_dir() else [p]
    return out


def check_paths(paths: Iterable[str | Path], source: Source | None = None) -> Report:
    """Check every citation in the scenario files under ``paths`` against ``source`` (default: shipped)."""
    src = source or shipped_source()
    report = Report(per_section={name: 0 for name in src.sections if name})
    covered: set[int] = set()
    for path in scenario_files(paths):
        try:
            data = _load(path)
        except (OSError, UnicodeDecodeError, ValueError, YamlSyntaxError) as exc:
            line = exc.line if isinstance(exc, YamlSyntaxError) else 1
            report.invalid.append(Finding(str(path), line, "", f"cannot parse: {exc}"))
            continue
        if data is None:
            continue
        for where, cite in _citations(data, []):
            report.citations += 1
            quote = cite["quote"]
            words = len(quote.replace("…", " ").split())
            section = cite.get("section")
            heading = src.heading(section)
            reason = None
            hits: list[tuple[int, int]] = []
            if not MIN_WORDS <= words <= MAX_WORDS:
                reason = f"quote has {words} words (allowed {MIN_WORDS}-{MAX_WORDS})"
            elif section is not None and heading is None:
                reason = f"unknown section {section!r}"
            else:
                hits = find(quote, src.sections[heading]) if heading else find(quote, src.whole)
                if heading:
                    hits = [(a + src.offsets[heading], b + src.offsets[heading]) for a, b in hits]
                if not hits:
                    reason = "not found in " + (f"section {heading!r}" if heading else "the source")
            if reason:
                report.invalid.append(Finding(str(path), line_of(data, where), quote, reason))
                continue
            if heading:
                report.per_section[heading] += 1
            for i, (a, b) in enumerate(src.spans):
                if any(x < b and a < y for x, y in hits):
                    covered.add(i)
    report.sentences_by_section = {name: [0, 0] for name in src.sections if name}
    for i, name in enumerate(src.section_of):
        if name in report.sentences_by_section:
            report.sentences_by_section[name][1] += 1
            report.sentences_by_section[name][0] += i in covered
    report.sentences_cited = len(covered)
    report.sentences_total = len(src.spans)
    report.uncited = [src.whole[a:b] for i, (a, b) in enumerate(src.spans) if i not in covered]
    return report


def format_report(report: Report, uncited: bool = False) -> str:
    """The report as `crossroads check-sources` prints it."""
    lines = [str(f) for f in report.invalid]
    for name, count in report.per_section.items():
        cited, of = report.sentences_by_section.get(name, [0, 0])
        lines.append(f"  {count:4d} citations, {cited:3d}/{of:<3d} sentences  {name}")
    lines.append(
        f"{report.citations} citations, {len(report.invalid)} invalid; "
        f"{report.sentences_cited}/{report.sentences_total} source sentences cited"
    )
    if uncited:
        lines += ["", "Source sentences no citation touches:"]
        lines += [f"uncited: {s}" for s in report.uncited]
    return "\n".join(lines)
