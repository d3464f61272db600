"""The compiled scenario: immutable rule data the engine runs on.

Scenario files are parsed and checked by ``validate``; ``compile_scenario``
turns a valid tree into these objects once, so the rules never look at raw
YAML on the hot path.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

Text = dict[str, str]  # {"pl": ..., "en": ...}
Citation = dict[str, str]  # {"section": ..., "quote": ...} and, when given, "en": our English gloss


@dataclass(frozen=True, slots=True)
class Conditions:
    """All must hold: track bounds, flags set, flags not set, region controllers."""

    tracks: tuple[tuple[str, int | None, int | None], ...] = ()
    flags: frozenset[str] = frozenset()
    not_flags: frozenset[str] = frozenset()
    control: tuple[tuple[str, str], ...] = ()

    def holds(self, tracks: dict[str, int], flags: frozenset[str], control: dict[str, str]) -> bool:
        for track, low, high in self.tracks:
            value = tracks[track]
            if (low is not None and value < low) or (high is not None and value > high):
                return False
        if self.flags and not self.flags <= flags:
            return False
        if self.not_flags and self.not_flags & flags:
            return False
        if self.control:
            return all(control.get(region) == who for region, who in self.control)
        return True

    @property
    def empty(self) -> bool:
        return not (self.tracks or self.flags or self.not_flags or self.control)


ALWAYS = Conditions()


@dataclass(frozen=True, slots=True)
class Effects:
    tracks: tuple[tuple[str, int], ...] = ()
    set: frozenset[str] = frozenset()
    clear: frozenset[str] = frozenset()
    control: tuple[tuple[str, str], ...] = ()
    schedule: tuple[tuple[str, int], ...] = ()
    end: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.tracks or self.set or self.clear or self.control or self.schedule or self.end)


NO_EFFECTS = Effects()


@dataclass(frozen=True, slots=True)
class Branch:
    """One chance branch; ``weight`` is the probability in parts per 10,000."""

    p: float
    weight: int
    effects: Effects
    outcome: Text
    historical: bool
    sources: tuple[Citation, ...]
    source_silent: bool = False  # the source says nothing either way (always with historical False)


@dataclass(frozen=True, slots=True)
class Option:
    id: str
    deciders: frozenset[str]
    text: Text
    requires: Conditions
    effects: Effects
    chance: tuple[Branch, ...]
    outcome: Text
    historical: bool
    sources: tuple[Citation, ...]
    source_silent: bool = False


@dataclass(frozen=True, slots=True)
class Combination:
    when: tuple[tuple[str, str], ...]
    effects: Effects
    chance: tuple[Branch, ...]
    outcome: Text
    historical: bool
    sources: tuple[Citation, ...]
    source_silent: bool = False


@dataclass(frozen=True, slots=True)
class Card:
    id: str
    turn: int
    scheduled: bool
    when: Conditions
    date: str
    region: str
    place: str | None
    emblem: str | None
    title: Text
    text: Text
    sources: tuple[Citation, ...]
    deciders: tuple[str, ...]
    timer: int | None
    default: dict[str, str]
    effects: Effects
    options: dict[str, Option]
    combinations: tuple[Combination, ...]
    history_text: Text
    history_sources: tuple[Citation, ...]
    # team id -> the decider (the team itself or its bloc) through which it decides this card
    team_decider: dict[str, str] = field(default_factory=dict)
    terms: tuple[str, ...] = ()  # glossary ids the card's text uses


@dataclass(frozen=True, slots=True)
class Track:
    id: str
    name: Text
    min: int
    max: int
    start: int


@dataclass(frozen=True, slots=True)
class Controller:
    id: str
    name: Text
    color: str


@dataclass(frozen=True, slots=True)
class Term:
    kind: str  # track | flag | control | ending
    target: str | tuple[str, ...]
    points: float
    by: str | None = None
    unset: bool = False


@dataclass(frozen=True, slots=True)
class Team:
    id: str
    name: Text
    role: Text
    aim: Text
    scoring: tuple[Term, ...]
    secret_text: Text
    secret_scoring: tuple[Term, ...]


@dataclass(frozen=True, slots=True)
class Bloc:
    id: str
    name: Text
    teams: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Turn:
    number: int
    date: str
    label: Text
    timer: int | None = None  # the suggested vote time of the turn's cards (a card's own timer wins)


@dataclass(frozen=True, slots=True)
class Ending:
    id: str
    title: Text
    text: Text
    historical: bool
    when: Conditions | None
    sources: tuple[Citation, ...]
    source_silent: bool = False


@dataclass(frozen=True, slots=True)
class GlossaryEntry:
    """A term the cards use, explained in our words (the client shows it beside the card)."""

    id: str
    term: Text
    text: Text
    sources: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True, eq=False)
class Scenario:
    """A compiled scenario. Compare scenarios by ``digest`` (the SHA-256 of the file)."""

    id: str
    path: str
    digest: str
    title: Text
    summary: Text
    sources: tuple[Citation, ...]
    tracks: dict[str, Track]
    flags: frozenset[str]
    controllers: dict[str, Controller]
    control: dict[str, str]
    teams: dict[str, Team]
    blocs: dict[str, Bloc]
    turns: tuple[Turn, ...]
    cards: dict[str, Card]
    cards_by_turn: dict[int, tuple[str, ...]]
    endings: dict[str, Ending]
    glossary: dict[str, GlossaryEntry] = field(default_factory=dict)
    core_cards: tuple[str, ...] = ()  # the cards that carry the scenario's core decision
    carried_flags: frozenset[str] = frozenset()  # flags a campaign may set at the start (``Start``)

    @property
    def team_ids(self) -> tuple[str, ...]:
        return tuple(self.teams)

    @property
    def turn_count(self) -> int:
        return len(self.turns)

    def __repr__(self) -> str:
        return f"<Scenario {self.id} {self.digest[:12]}>"

    def deck_texts(self) -> list[dict[str, str]]:
        """The public texts of every card (title, text, options, citations): the scenario's deck.

        Outcomes, history and secrets are not part of it: they are revealed by play.
        """
        out: list[dict[str, str]] = [dict(self.title)]
        for turn in self.turns:
            out.append(dict(turn.label))
        for card in self.cards.values():
            out += [dict(card.title), dict(card.text), *(dict(c) for c in card.sources)]
            out += [dict(o.text) for o in card.options.values()]
        for team in self.teams.values():
            out += [dict(team.name), dict(team.aim)]
        return out

    def public_info(self) -> dict[str, Any]:
        """Plain data every client may see: teams' public parts, tracks, controllers, turns."""
        return {
            "id": self.id,
            "title": dict(self.title),
            "summary": dict(self.summary),
            "teams": [
                {"id": t.id, "name": dict(t.name), "role": dict(t.role), "aim": dict(t.aim)}
                for t in self.teams.values()
            ],
            "blocs": [{"id": b.id, "name": dict(b.name), "teams": list(b.teams)} for b in self.blocs.values()],
            "tracks": [
                {"id": t.id, "name": dict(t.name), "min": t.min, "max": t.max} for t in self.tracks.values()
            ],
            "controllers": [
                {"id": c.id, "name": dict(c.name), "color": c.color} for c in self.controllers.values()
            ],
            "regions": sorted(self.control),
            "turns": [
                {"turn": t.number, "date": t.date, "label": dict(t.label), "timer": t.timer} for t in self.turns
            ],
            "glossary": [
                {"id": g.id, "term": dict(g.term), "text": dict(g.text), "sources": [dict(c) for c in g.sources]}
                for g in self.glossary.values()
            ],
            "core_cards": list(self.core_cards),
        }

    def card_timer(self, card: Card, turn: int) -> int | None:
        """The suggested vote time of ``card`` shown in ``turn``: its own timer, else the turn's."""
        return card.timer if card.timer is not None else self.turns[turn - 1].timer


def _text(node: Any) -> Text:
    return {"pl": str(node["pl"]), "en": str(node["en"])}


def _citation(node: Any) -> Citation:
    out = {"section": str(node["section"]), "quote": str(node["quote"])}
    if node.get("en"):
        out["en"] = str(node["en"])
    return out


def _sources(node: Any) -> tuple[Citation, ...]:
    return tuple(_citation(c) for c in node or ())


def _conditions(node: Any) -> Conditions:
    if not node:
        return ALWAYS
    return Conditions(
        tracks=tuple((k, v.get("min"), v.get("max")) for k, v in (node.get("tracks") or {}).items()),
        flags=frozenset(node.get("flags") or ()),
        not_flags=frozenset(node.get("not_flags") or ()),
        control=tuple((node.get("control") or {}).items()),
    )


def _effects(node: Any) -> Effects:
    if not node:
        return NO_EFFECTS
    return Effects(
        tracks=tuple((node.get("tracks") or {}).items()),
        set=frozenset(node.get("set") or ()),
        clear=frozenset(node.get("clear") or ()),
        control=tuple((node.get("control") or {}).items()),
        schedule=tuple((s["card"], int(s["after"])) for s in node.get("schedule") or ()),
        end=node.get("end"),
    )


def _chance(node: Any) -> tuple[Branch, ...]:
    branches = []
    for b in node or ():
        branches.append(
            Branch(
                p=float(b["p"]),
                weight=round(float(b["p"]) * 10_000),
                effects=_effects(b.get("effects")),
                outcome=_text(b["outcome"]),
                historical=bool(b["historical"]),
                sources=_sources(b["sources"]),
                source_silent=bool(b.get("source_silent", False)),
            )
        )
    return tuple(branches)


def _terms(nodes: Any) -> tuple[Term, ...]:
    terms = []
    for n in nodes or ():
        if "track" in n:
            terms.append(Term("track", n["track"], float(n["per"])))
        elif "flag" in n:
            terms.append(Term("flag", n["flag"], float(n["points"]), unset=bool(n.get("unset", False))))
        elif "control" in n:
            terms.append(Term("control", tuple(n["control"]), float(n["points"]), by=n["by"]))
        else:
            terms.append(Term("ending", n["ending"], float(n["points"])))
    return tuple(terms)


def compile_scenario(tree: dict[str, Any], path: str, raw: bytes) -> Scenario:
    """Build a Scenario from a tree that ``validate`` found valid."""
    blocs = {
        b["id"]: Bloc(b["id"], _text(b["name"]), tuple(b["teams"])) for b in tree.get("blocs") or ()
    }
    team_ids = [t["id"] for t in tree["teams"]]
    cards: dict[str, Card] = {}
    by_turn: dict[int, list[str]] = {}
    for c in tree["cards"]:
        deciders = tuple(c.get("deciders") or ())
        team_decider: dict[str, str] = {}
        for d in deciders:
            for team in blocs[d].teams if d in blocs else (d,):
                team_decider[team] = d
        options = {}
        for o in c.get("options") or ():
            options[o["id"]] = Option(
                id=o["id"],
                deciders=frozenset(o.get("for") or deciders),
                text=_text(o["text"]),
                requires=_conditions(o.get("requires")),
                effects=_effects(o.get("effects")),
                chance=_chance(o.get("chance")),
                outcome=_text(o["outcome"]),
                historical=bool(o["historical"]),
                sources=_sources(o["sources"]),
                source_silent=bool(o.get("source_silent", False)),
            )
        combos = tuple(
            Combination(
                when=tuple(k["when"].items()),
                effects=_effects(k.get("effects")),
                chance=_chance(k.get("chance")),
                outcome=_text(k["outcome"]),
                historical=bool(k["historical"]),
                sources=_sources(k["sources"]),
                source_silent=bool(k.get("source_silent", False)),
            )
            for k in c.get("combinations") or ()
        )
        card = Card(
            id=c["id"],
            turn=int(c["turn"]),
            scheduled=bool(c.get("scheduled", False)),
            when=_conditions(c.get("when")),
            date=str(c["date"]),
            region=c["region"],
            place=c.get("place"),
            emblem=c.get("emblem"),
            title=_text(c["title"]),
            text=_text(c["text"]),
            sources=_sources(c["sources"]),
            deciders=deciders,
            timer=c.get("timer"),
            default=dict(c.get("default") or {}),
            effects=_effects(c.get("effects")),
            options=options,
            combinations=combos,
            history_text=_text(c["history"]["text"]),
            history_sources=_sources(c["history"]["sources"]),
            team_decider=team_decider,
            terms=tuple(c.get("terms") or ()),
        )
        cards[card.id] = card
        if not card.scheduled:
            by_turn.setdefault(card.turn, []).append(card.id)
    return Scenario(
        id=tree["id"],
        path=path,
        digest=hashlib.sha256(raw).hexdigest(),
        title=_text(tree["title"]),
        summary=_text(tree["summary"]),
        sources=_sources(tree["sources"]),
        tracks={
            t["id"]: Track(t["id"], _text(t["name"]), int(t["min"]), int(t["max"]), int(t["start"]))
            for t in tree["tracks"]
        },
        flags=frozenset(tree.get("flags") or ()),
        controllers={c["id"]: Controller(c["id"], _text(c["name"]), c["color"]) for c in tree["controllers"]},
        control=dict(tree["control"]),
        teams={
            t["id"]: Team(
                id=t["id"],
                name=_text(t["name"]),
                role=_text(t["role"]),
                aim=_text(t["aim"]),
                scoring=_terms(t["scoring"]),
                secret_text=_text(t["secret"]["text"]),
                secret_scoring=_terms(t["secret"]["scoring"]),
            )
            for t in tree["teams"]
            if t["id"] in team_ids
        },
        blocs=blocs,
        turns=tuple(
            Turn(i + 1, str(t["date"]), _text(t["label"]), t.get("timer")) for i, t in enumerate(tree["turns"])
        ),
        cards=cards,
        cards_by_turn={k: tuple(v) for k, v in by_turn.items()},
        endings={
            e["id"]: Ending(
                id=e["id"],
                title=_text(e["title"]),
                text=_text(e["text"]),
                historical=bool(e["historical"]),
                when=_conditions(e["when"]) if e.get("when") else None,
                sources=_sources(e["sources"]),
                source_silent=bool(e.get("source_silent", False)),
            )
            for e in tree["endings"]
        },
        glossary={
            g["id"]: GlossaryEntry(g["id"], _text(g["term"]), _text(g["text"]), _sources(g.get("sources")))
            for g in tree.get("glossary") or ()
        },
        core_cards=tuple(tree.get("core_cards") or ()),
        carried_flags=frozenset(tree.get("carried_flags") or ()),
    )
