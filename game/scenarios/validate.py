"""Check scenario files and report every problem as ``file:line: what is wrong``."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema

from game.engine.errors import Problem

from .schema import load_schema
from .yamlload import LineDict, YamlSyntaxError, line_of, load_yaml

SECTIONS = (
    "Rewolucja październikowa",
    "Wojna domowa w Rosji",
    "Sytuacja Rosji po wojnie domowej",
    "Nowa polityka ekonomiczna",
    "Organizacja władzy",
    "Polityka zagraniczna ZSRR",
)
MIN_QUOTE_WORDS, MAX_QUOTE_WORDS = 3, 25
_NUMBER = re.compile(r"(?<![\w.])\d+(?:[.,]\d+)?(?![\w.]*\d)")


def _fmt(n: float) -> str:
    return f"{n:g}"


@functools.cache
def map_ids() -> tuple[frozenset[str], frozenset[str]]:
    """(region ids, place ids) declared in assets/map/regions.yaml."""
    text = (resources.files("assets") / "map" / "regions.yaml").read_text(encoding="utf-8")
    tree = load_yaml(text)
    return (
        frozenset(r["id"] for r in tree.get("regions") or ()),
        frozenset(p["id"] for p in tree.get("places") or ()),
    )


@functools.cache
def _validator() -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator(load_schema())


def _schema_path(error: jsonschema.ValidationError) -> list[Any]:
    """Where the error is: for an unknown key, the key itself rather than its mapping."""
    path = list(error.absolute_path)
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        schema = error.schema if isinstance(error.schema, dict) else {}
        extra = [k for k in error.instance if k not in schema.get("properties", {})]
        if extra:
            path.append(extra[0])
    return path


def _schema_message(error: jsonschema.ValidationError) -> str:
    where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
    if error.validator == "additionalProperties":
        return f"{where}: {error.message.replace('Additional properties are not allowed', 'unknown key')}"
    if error.validator == "required":
        return f"{where}: missing {error.message.split(' is a required')[0]}"
    if error.validator == "oneOf":
        return f"{where}: not a valid scoring term (use track+per, flag+points, control+by+points or ending+points)"
    return f"{where}: {error.message}"


class _Checker:
    """Semantic checks on a schema-valid tree; each problem gets the line of the node it concerns."""

    def __init__(self, tree: LineDict, file: str) -> None:
        self.tree, self.file = tree, file
        self.problems: list[Problem] = []
        self.regions, self.places = map_ids()

    def add(self, path: Iterable[Any], message: str, level: str = "error") -> None:
        self.problems.append(Problem(self.file, line_of(self.tree, list(path)), message, level))

    def warn(self, path: Iterable[Any], message: str) -> None:
        self.add(path, message, "warning")

    def unique(self, key: str) -> dict[str, int]:
        seen: dict[str, int] = {}
        for i, item in enumerate(self.tree.get(key) or ()):
            if item["id"] in seen:
                self.add([key, i, "id"], f"duplicate {key[:-1]} id {item['id']!r}")
            seen.setdefault(item["id"], i)
        return seen

    def run(self) -> list[Problem]:
        t = self.tree
        stem = Path(self.file).stem
        if t["id"] != stem:
            self.add(["id"], f"scenario id {t['id']!r} differs from the file name {stem!r}")
        self.tracks = {tr["id"]: tr for tr in t["tracks"]}
        self.unique("tracks")
        for i, tr in enumerate(t["tracks"]):
            if not tr["min"] <= tr["start"] <= tr["max"]:
                self.add(["tracks", i], f"track {tr['id']!r}: start {tr['start']} is not within {tr['min']}..{tr['max']}")
        self.controllers = set(self.unique("controllers"))
        self.teams = set(self.unique("teams"))
        self.blocs = {b["id"]: b for b in t.get("blocs") or ()}
        self.unique("blocs")
        self.cards = {c["id"]: c for c in t["cards"]}
        self.unique("cards")
        self.endings = set(self.unique("endings"))
        self.check_texts_and_citations(t, [])
        self.collect_reachable()
        for region, who in t["control"].items():
            if region not in self.regions:
                self.add(["control", region], f"unknown region {region!r} (not in assets/map/regions.yaml)")
            if who not in self.controllers:
                self.add(["control", region], f"unknown controller {who!r}")
        in_bloc: dict[str, str] = {}
        for i, b in enumerate(t.get("blocs") or ()):
            if b["id"] in self.teams:
                self.add(["blocs", i, "id"], f"bloc id {b['id']!r} is also a team id")
            for j, team in enumerate(b["teams"]):
                if team not in self.teams:
                    self.add(["blocs", i, "teams", j], f"unknown team {team!r}")
                elif team in in_bloc:
                    self.add(["blocs", i, "teams", j], f"team {team!r} is already in bloc {in_bloc[team]!r}")
                in_bloc.setdefault(team, b["id"])
        for i, team in enumerate(t["teams"]):
            self.check_terms(team["scoring"], ["teams", i, "scoring"])
            self.check_terms(team["secret"]["scoring"], ["teams", i, "secret", "scoring"])
            self.check_secret_numbers(team, ["teams", i, "secret"])
        for i, card in enumerate(t["cards"]):
            self.check_card(card, ["cards", i])
        endings = t["endings"]
        for i, e in enumerate(endings):
            if e.get("when"):
                self.check_conditions(e["when"], ["endings", i, "when"], f"ending {e['id']!r}")
        if endings and endings[-1].get("when"):
            self.add(["endings", len(endings) - 1, "when"], "the last ending must have no `when` (it is the fallback)")
        for i, e in enumerate(endings):
            self.check_source_silent(e, ["endings", i], f"ending {e['id']!r}")
        self.check_glossary_and_core_cards()
        self.check_flags_are_read()
        return self.problems

    # -- format extensions: labels, glossary, core cards, flags --------------------------------
    def check_source_silent(self, item: dict[str, Any], path: list[Any], what: str) -> None:
        if item.get("source_silent") and item.get("historical"):
            self.add([*path, "source_silent"], f"{what}: `source_silent: true` needs `historical: false`")

    def check_glossary_and_core_cards(self) -> None:
        t = self.tree
        glossary = self.unique("glossary")
        used: set[str] = set()
        for i, card in enumerate(t["cards"]):
            for j, term in enumerate(card.get("terms") or ()):
                used.add(term)
                if term not in glossary:
                    self.add(["cards", i, "terms", j], f"card {card['id']!r}: term {term!r} is not in the glossary")
        for term, i in glossary.items():
            if term not in used:
                self.add(["glossary", i, "id"], f"glossary term {term!r} is used by no card (list it in a card's `terms`)")
        for j, card_id in enumerate(t.get("core_cards") or ()):
            if card_id not in self.cards:
                self.add(["core_cards", j], f"core_cards: unknown card {card_id!r}")

    def check_flags_are_read(self) -> None:
        """Warn about flags an effect sets that no condition, requires or scoring term reads."""
        read: set[str] = set()

        def conditions(cond: Any) -> None:
            if cond:
                read.update(cond.get("flags") or ())
                read.update(cond.get("not_flags") or ())

        t = self.tree
        for card in t["cards"]:
            conditions(card.get("when"))
            for o in card.get("options") or ():
                conditions(o.get("requires"))
        for e in t["endings"]:
            conditions(e.get("when"))
        for team in t["teams"]:
            for term in (*team["scoring"], *team["secret"]["scoring"]):
                if "flag" in term:
                    read.add(term["flag"])
        for eff, path in self.all_effects():
            for flag in eff.get("set") or ():
                if flag not in read:
                    self.warn([*path, "set"], f"flag {flag!r} is set but never read (no condition, requires or scoring term)")
        for j, flag in enumerate(t.get("carried_flags") or ()):
            if flag not in read:
                self.warn(["carried_flags", j], f"carried flag {flag!r} is read by no condition, requires or scoring term")

    # -- texts and citations ---------------------------------------------------------------
    def check_texts_and_citations(self, node: Any, path: list[Any]) -> None:
        if isinstance(node, dict):
            if set(node) == {"pl", "en"}:
                for lang in ("pl", "en"):
                    if not str(node[lang]).strip():
                        self.add([*path, lang], f"empty {lang} text")
                return
            if "quote" in node:
                words = len(str(node["quote"]).replace("…", " ").split())
                if not MIN_QUOTE_WORDS <= words <= MAX_QUOTE_WORDS:
                    self.add(path, f"quote has {words} words (allowed {MIN_QUOTE_WORDS}-{MAX_QUOTE_WORDS})")
                if "en" in node and not str(node["en"]).strip():
                    self.add([*path, "en"], "empty en gloss (give the English translation of the quote)")
                if node.get("section") not in SECTIONS:
                    self.add([*path, "section"], f"unknown section {node.get('section')!r}; use one of {list(SECTIONS)}")
                return
            for key, value in node.items():
                self.check_texts_and_citations(value, [*path, key])
        elif isinstance(node, list):
            for i, value in enumerate(node):
                self.check_texts_and_citations(value, [*path, i])

    # -- what effects can ever do ------------------------------------------------------------
    def all_effects(self) -> Iterable[tuple[dict[str, Any], list[Any]]]:
        for i, card in enumerate(self.tree["cards"]):
            base = ["cards", i]
            if card.get("effects"):
                yield card["effects"], [*base, "effects"]
            for kind in ("options", "combinations"):
                for j, item in enumerate(card.get(kind) or ()):
                    if item.get("effects"):
                        yield item["effects"], [*base, kind, j, "effects"]
                    for k, branch in enumerate(item.get("chance") or ()):
                        if branch.get("effects"):
                            yield branch["effects"], [*base, kind, j, "chance", k, "effects"]

    def collect_reachable(self) -> None:
        self.settable = set(self.tree.get("flags") or ()) | set(self.tree.get("carried_flags") or ())
        self.clearable: set[str] = set()
        self.holdable = {(r, w) for r, w in self.tree["control"].items()}
        self.scheduled_by: dict[str, list[Any]] = {}
        for eff, _path in self.all_effects():
            self.settable |= set(eff.get("set") or ())
            self.clearable |= set(eff.get("clear") or ())
            self.holdable |= set((eff.get("control") or {}).items())
            for s in eff.get("schedule") or ():
                self.scheduled_by.setdefault(s["card"], []).append(_path)

    def check_effects(self, eff: dict[str, Any], path: list[Any]) -> None:
        for track in eff.get("tracks") or {}:
            if track not in self.tracks:
                self.add([*path, "tracks", track], f"unknown track {track!r}")
        for region, who in (eff.get("control") or {}).items():
            if region not in self.regions:
                self.add([*path, "control", region], f"unknown region {region!r}")
            if who not in self.controllers:
                self.add([*path, "control", region], f"unknown controller {who!r}")
        for j, s in enumerate(eff.get("schedule") or ()):
            card = self.cards.get(s["card"])
            if card is None:
                self.add([*path, "schedule", j], f"schedules unknown card {s['card']!r}")
            elif not card.get("scheduled"):
                self.add([*path, "schedule", j], f"schedules card {s['card']!r}, which is not `scheduled: true`")
        if "end" in eff and eff["end"] not in self.endings:
            self.add([*path, "end"], f"unknown ending {eff['end']!r}")

    def check_conditions(self, cond: dict[str, Any], path: list[Any], what: str) -> None:
        """Unknown ids, and conditions that can never hold."""
        for track, bounds in (cond.get("tracks") or {}).items():
            tr = self.tracks.get(track)
            if tr is None:
                self.add([*path, "tracks", track], f"unknown track {track!r}")
                continue
            low, high = bounds.get("min"), bounds.get("max")
            if (low is not None and low > tr["max"]) or (high is not None and high < tr["min"]) or (
                low is not None and high is not None and low > high
            ):
                self.add([*path, "tracks", track], f"{what} can never hold: track {track!r} stays within {tr['min']}..{tr['max']}")
        for flag in cond.get("flags") or ():
            if flag not in self.settable:
                self.add([*path, "flags"], f"{what} can never hold: no effect sets flag {flag!r} and it is not set at the start")
        for flag in cond.get("not_flags") or ():
            if flag in set(self.tree.get("flags") or ()) and flag not in self.clearable:
                self.add([*path, "not_flags"], f"{what} can never hold: flag {flag!r} is set at the start and nothing clears it")
        for region, who in (cond.get("control") or {}).items():
            if region not in self.regions:
                self.add([*path, "control", region], f"unknown region {region!r}")
            elif who not in self.controllers:
                self.add([*path, "control", region], f"unknown controller {who!r}")
            elif (region, who) not in self.holdable:
                self.add([*path, "control", region], f"{what} can never hold: {who!r} never holds {region!r}")

    def check_terms(self, terms: list[dict[str, Any]], path: list[Any]) -> None:
        for i, term in enumerate(terms):
            if "track" in term and term["track"] not in self.tracks:
                self.add([*path, i], f"scoring: unknown track {term['track']!r}")
            if "ending" in term and term["ending"] not in self.endings:
                self.add([*path, i], f"scoring: unknown ending {term['ending']!r}")
            if "control" in term:
                if term["by"] not in self.controllers:
                    self.add([*path, i], f"scoring: unknown controller {term['by']!r}")
                for region in term["control"]:
                    if region not in self.regions:
                        self.add([*path, i], f"scoring: unknown region {region!r}")

    def check_secret_numbers(self, team: dict[str, Any], path: list[Any]) -> None:
        """A secret objective's text tells the students its points: the numbers it names must be
        exactly the points (or points per unit) its scoring gives, in every language. A text that
        names no number at all passes (it promises nothing)."""
        given = {abs(term.get("points", term.get("per", 0))) for term in team["secret"]["scoring"]}
        for lang, text in team["secret"]["text"].items():
            named = {abs(float(n)) for n in _NUMBER.findall(text) if abs(float(n)) < 1000}  # not years
            if named and named != given:
                said = ", ".join(_fmt(n) for n in sorted(named)) or "none"
                self.add([*path, "text", lang], f"team {team['id']!r}: the secret text ({lang}) names the points "
                                                f"{said}, but its scoring gives {', '.join(_fmt(n) for n in sorted(given))}")

    def check_chance(self, branches: list[dict[str, Any]], path: list[Any]) -> None:
        if branches and abs(sum(float(b["p"]) for b in branches) - 1.0) > 1e-6:
            self.add(path, f"chance probabilities sum to {sum(float(b['p']) for b in branches):g}, not 1")
        for k, b in enumerate(branches):
            if b.get("effects"):
                self.check_effects(b["effects"], [*path, k, "effects"])

    # -- cards --------------------------------------------------------------------------------
    def check_card_date(self, card: dict[str, Any], path: list[Any]) -> None:
        """turn date <= card date < next turn's date, compared as far as both dates are precise."""
        turns = self.tree["turns"]
        index = card["turn"] - 1
        date, start = str(card["date"]), str(turns[index]["date"])
        after = str(turns[index + 1]["date"]) if index + 1 < len(turns) else None
        n = min(len(date), len(start))
        if date[:n] < start[:n]:
            self.add([*path, "date"], f"card {card['id']!r}: date {date} is before its turn {card['turn']} ({start})")
        if after is not None:
            n = min(len(date), len(after))
            # at the same precision the next turn's date itself is outside; at different ones it may be inside
            if date[:n] > after[:n] or (date[:n] == after[:n] and len(date) == len(after)):
                self.add([*path, "date"],
                         f"card {card['id']!r}: date {date} is not before turn {card['turn'] + 1} ({after})")

    def check_card(self, card: dict[str, Any], path: list[Any]) -> None:
        cid = card["id"]
        turns = len(self.tree["turns"])
        if card["turn"] > turns:
            self.add([*path, "turn"], f"card {cid!r}: turn {card['turn']} is after the last turn ({turns})")
        else:
            self.check_card_date(card, path)
        for j, term in enumerate(card.get("terms") or ()):
            if term in (card.get("terms") or [])[:j]:
                self.add([*path, "terms", j], f"card {cid!r}: term {term!r} listed twice")
        if card.get("scheduled") and cid not in self.scheduled_by:
            self.add([*path, "scheduled"], f"card {cid!r} is unreachable: it is `scheduled: true` but no effect schedules it")
        if card["region"] not in self.regions:
            self.add([*path, "region"], f"unknown region {card['region']!r} (not in assets/map/regions.yaml)")
        if card.get("place") and card["place"] not in self.places:
            self.add([*path, "place"], f"unknown place {card['place']!r} (not in assets/map/regions.yaml)")
        if card.get("when"):
            self.check_conditions(card["when"], [*path, "when"], f"card {cid!r} is unreachable: its `when`")
        if card.get("effects"):
            self.check_effects(card["effects"], [*path, "effects"])
        deciders = card.get("deciders") or []
        direct: set[str] = set()
        for j, d in enumerate(deciders):
            if d not in self.teams and d not in self.blocs:
                self.add([*path, "deciders", j], f"unknown team or bloc {d!r}")
                continue
            members = set(self.blocs[d]["teams"]) if d in self.blocs else {d}
            if members & direct:
                self.add([*path, "deciders", j], f"team {sorted(members & direct)[0]!r} decides card {cid!r} twice")
            direct |= members
        options = {o["id"]: o for o in card.get("options") or ()}
        if deciders and not options:
            self.add([*path, "options"], f"card {cid!r} has deciders but no options")
        if not deciders and options:
            self.add([*path, "deciders"], f"card {cid!r} has options but no deciders")
        seen: set[str] = set()
        for j, o in enumerate(card.get("options") or ()):
            opath = [*path, "options", j]
            if o["id"] in seen:
                self.add([*opath, "id"], f"duplicate option id {o['id']!r} in card {cid!r}")
            seen.add(o["id"])
            for d in o.get("for") or ():
                if d not in deciders:
                    self.add([*opath, "for"], f"option {o['id']!r}: {d!r} is not a decider of card {cid!r}")
            if o.get("requires"):
                self.check_conditions(o["requires"], [*opath, "requires"], f"option {o['id']!r}'s `requires`")
            if o.get("effects"):
                self.check_effects(o["effects"], [*opath, "effects"])
            self.check_chance(o.get("chance") or [], [*opath, "chance"])

        def allowed(decider: str, option: str) -> bool:
            o = options.get(option)
            return o is not None and decider in (o.get("for") or deciders)

        for j, o in enumerate(card.get("options") or ()):
            self.check_source_silent(o, [*path, "options", j], f"option {o['id']!r}")
            for k, b in enumerate(o.get("chance") or ()):
                self.check_source_silent(b, [*path, "options", j, "chance", k], f"option {o['id']!r}, chance {k + 1}")
        for j, combo in enumerate(card.get("combinations") or ()):
            self.check_source_silent(combo, [*path, "combinations", j], f"card {cid!r}, combination {j + 1}")
            for k, b in enumerate(combo.get("chance") or ()):
                self.check_source_silent(b, [*path, "combinations", j, "chance", k], f"card {cid!r}, combination {j + 1}, chance {k + 1}")
        for d in deciders:
            historical = [j for j, o in enumerate(card.get("options") or ()) if o["historical"] and allowed(d, o["id"])]
            if len(historical) > 1:
                self.add([*path, "options", historical[1], "historical"],
                         f"card {cid!r}: decider {d!r} has {len(historical)} historical options (at most one)")

        defaults = card.get("default") or {}
        for d in deciders:
            if not any(allowed(d, o) for o in options):
                self.add([*path, "options"], f"card {cid!r}: no option for decider {d!r}")
            if d not in defaults:
                self.add([*path, "default"] if defaults else path, f"card {cid!r}: no default option for decider {d!r}")
            elif not allowed(d, defaults[d]):
                self.add([*path, "default", d], f"card {cid!r}: default {defaults[d]!r} is not an option of {d!r}")
            elif options[defaults[d]].get("requires"):
                self.add([*path, "default", d], f"card {cid!r}: default {defaults[d]!r} must have no `requires`")
        for d in defaults:
            if d not in deciders:
                self.add([*path, "default", d], f"card {cid!r}: default for {d!r}, which is not a decider")
        for j, combo in enumerate(card.get("combinations") or ()):
            cpath = [*path, "combinations", j]
            for d, o in combo["when"].items():
                if d not in deciders:
                    self.add([*cpath, "when", d], f"combination: {d!r} is not a decider of card {cid!r}")
                elif not allowed(d, o):
                    self.add([*cpath, "when", d], f"combination: {o!r} is not an option of {d!r}")
            if combo.get("effects"):
                self.check_effects(combo["effects"], [*cpath, "effects"])
            self.check_chance(combo.get("chance") or [], [*cpath, "chance"])


def load_checked(path: str | Path, text: str | None, validator: jsonschema.Draft202012Validator,
                 kind: str) -> tuple[list[Problem], Any, bool]:
    """Read (unless ``text`` is given), parse and schema-check one YAML file of ``kind`` ("scenario",
    "campaign"): ``(problems, tree, ok)``; ``ok`` means the tree is schema-valid and ready for the
    meaning checks (``tree`` is None if the file could not be read or parsed)."""
    file = str(path)
    if text is None:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            return [Problem(file, 1, f"cannot read: {exc}")], None, False
    try:
        tree = load_yaml(text)
    except YamlSyntaxError as exc:
        return [Problem(file, exc.line, f"YAML syntax: {exc.message}")], None, False
    if not isinstance(tree, LineDict):
        return [Problem(file, 1, f"a {kind} must be a YAML mapping")], None, False
    errors = sorted(validator.iter_errors(tree), key=lambda e: line_of(tree, _schema_path(e)))
    if errors:
        return [Problem(file, line_of(tree, _schema_path(e)), _schema_message(e)) for e in errors], tree, False
    return [], tree, True


def check_file(path: str | Path, text: str | None = None) -> tuple[list[Problem], Any]:
    """All problems of one scenario file and its loaded tree (None if unreadable)."""
    problems, tree, ok = load_checked(path, text, _validator(), "scenario")
    if not ok:
        return problems, tree
    return sorted(_Checker(tree, str(path)).run(), key=lambda p: p.line), tree


def validate_paths(paths: Iterable[str | Path]) -> list[Problem]:
    """Problems of every scenario file in ``paths`` (files or folders of *.yaml)."""
    problems: list[Problem] = []
    for p in paths:
        p = Path(p)
        files = sorted(p.glob("*.yaml")) if p.is_dir() else [p]
        if p.is_dir() and not files:
            problems.append(Problem(str(p), 1, "no scenario files (*.yaml) here"))
        for f in files:
            problems.extend(check_file(f)[0])
    return problems
