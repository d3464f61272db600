"""The rules: ``apply(state, decision) -> (state, events)`` is the only way a game changes."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import rng as _rng
from .decisions import Advance, Decision, EndEarly, Resolve, Reveal, SetCaptain, TeamChoice, Unvote, Vote
from .errors import IllegalDecision, InvalidDecision
from .scenario import NO_EFFECTS, Branch, Card, Combination, Effects, Option, Scenario
from .start import Start
from .state import GameState, Phase
from .voting import is_open, open_options

Event = dict[str, Any]


# -- starting, drawing, ending -------------------------------------------------------------

def new_game(scenario: Scenario, seed: int, start: Start | None = None) -> GameState:
    """A fresh game at turn 1, phase ``briefing``, with its generator seeded from ``seed``.

    ``start`` (a campaign's carried state) overrides the scenario's starting tracks, flags and
    control; raises InvalidDecision ``game/bad_start`` if it does not fit the scenario.
    """
    if not isinstance(seed, int):
        raise InvalidDecision("game/bad_seed", "the seed must be an int")
    if start is not None and not isinstance(start, Start):
        raise InvalidDecision("game/bad_start", "a start is a game.engine.Start")
    if start is not None:
        start.check(scenario)
    s = GameState.__new__(GameState)
    s.scenario = scenario
    s.seed = seed
    s.rng = _rng.seed_state(seed)
    s.state_id = 0
    s.turn = 1
    s.phase = Phase.BRIEFING
    s.tracks = {t.id: t.start for t in scenario.tracks.values()}
    s.flags = scenario.flags
    s.control = dict(scenario.control)
    s.start = start if start is not None and not start.empty else None
    if s.start is not None:
        s.tracks.update(s.start.tracks)
        s.flags = s.flags | s.start.flags
        s.control.update(s.start.control)
    s.pending = ()
    s.votes = {}
    s.choices = {}
    s.captains = {}
    s.records = ()
    s.revealed = frozenset()
    s.ending = None
    s.log = ()
    s.last_changes = {"tracks": {}, "control": {}}
    s.cards = _draw(s, 1)
    return s


def _draw(s: GameState, turn: int) -> tuple[str, ...]:
    """The cards of ``turn``: its own cards whose ``when`` holds, then scheduled ones."""
    sc = s.scenario
    ids = list(sc.cards_by_turn.get(turn, ()))
    ids += [card for t, card in s.pending if t == turn and card not in ids]
    return tuple(c for c in ids if sc.cards[c].when.holds(s.tracks, s.flags, s.control))


def _pick_ending(s: GameState) -> str:
    for ending in s.scenario.endings.values():
        if ending.when is None or ending.when.holds(s.tracks, s.flags, s.control):
            return ending.id
    return next(reversed(s.scenario.endings))  # validated: the last ending has no `when`


# -- votes and choices ------------------------------------------------------------------------

def team_choice(s: GameState, card: str, team: str) -> str | None:
    """The team's current choice on a card: set directly, else its vote majority, else None.

    Ties go to the captain's vote if it is among the tied options, else to the
    tied option that was voted for first.
    """
    direct = s.choices.get((card, team))
    if direct is not None:
        return direct
    entries = s.votes.get((card, team))
    if not entries:
        return None
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for _player, option, seq in entries:
        counts[option] = counts.get(option, 0) + 1
        if option not in first or seq < first[option]:
            first[option] = seq
    top = max(counts.values())
    tied = [o for o, n in counts.items() if n == top]
    if len(tied) == 1:
        return tied[0]
    captain = s.captains.get(team)
    if captain is not None:
        for player, option, _seq in entries:
            if player == captain and option in tied:
                return option
    return min(tied, key=first.__getitem__)


def decider_choice(s: GameState, card: Card, decider: str) -> tuple[str | None, dict[str, str | None]]:
    """(the decider's choice or None, each member team's own choice)."""
    bloc = s.scenario.blocs.get(decider)
    if bloc is None:
        choice = team_choice(s, card.id, decider)
        return choice, {decider: choice}
    members = {team: team_choice(s, card.id, team) for team in bloc.teams}
    counts: dict[str, int] = {}
    for option in members.values():
        if option is not None:
            counts[option] = counts.get(option, 0) + 1
    if not counts:
        return None, members
    top = max(counts.values())
    for team in bloc.teams:  # ties: the earliest-listed team's option wins
        option = members[team]
        if option is not None and counts[option] == top:
            return option, members
    return None, members  # unreachable


def _check_option(s: GameState, team: str, card_id: str, option_id: str) -> Card:
    if s.phase is not Phase.DELIBERATION:
        raise IllegalDecision("decision/wrong_phase", f"votes are taken in deliberation, not in {s.phase}")
    if team not in s.scenario.teams:
        raise IllegalDecision("decision/unknown_team", f"no team {team!r} in {s.scenario.id}")
    if card_id not in s.cards:
        raise IllegalDecision("decision/unknown_card", f"card {card_id!r} is not on the table this turn")
    card = s.scenario.cards[card_id]
    decider = card.team_decider.get(team)
    if decider is None:
        raise IllegalDecision("decision/not_a_decider", f"team {team!r} does not decide card {card_id!r}")
    option = card.options.get(option_id)
    if option is None:
        raise IllegalDecision("decision/unknown_option", f"card {card_id!r} has no option {option_id!r}")
    if is_open(s, card_id, team, option_id):
        return card
    if decider not in option.deciders:
        raise IllegalDecision("decision/option_not_allowed", f"option {option_id!r} is not open to {decider!r}")
    raise IllegalDecision("decision/condition_not_met", f"option {option_id!r} is not available now")


def _apply_vote(s: GameState, d: Vote) -> tuple[GameState, list[Event]]:
    _check_option(s, d.team, d.card, d.option)
    key = (d.card, d.team)
    old = s.votes.get(key, ())
    entries = (*(e for e in old if e[0] != d.player), (d.player, d.option, s.state_id + 1))
    n = s.clone()
    n.votes = {**s.votes, key: entries}
    return n, [
        {"type": "vote_cast", "team": d.team, "player": d.player, "card": d.card, "option": d.option,
         "leaning": team_choice(n, d.card, d.team), "private_to": d.team},
        {"type": "votes_cast", "team": d.team, "card": d.card, "count": len(entries)},
    ]


def _apply_unvote(s: GameState, d: Unvote) -> tuple[GameState, list[Event]]:
    if s.phase is not Phase.DELIBERATION:
        raise IllegalDecision("decision/wrong_phase", f"votes are withdrawn in deliberation, not in {s.phase}")
    if d.team not in s.scenario.teams:
        raise IllegalDecision("decision/unknown_team", f"no team {d.team!r}")
    if d.card not in s.cards:
        raise IllegalDecision("decision/unknown_card", f"card {d.card!r} is not on the table this turn")
    key = (d.card, d.team)
    old = s.votes.get(key, ())
    entries = tuple(e for e in old if e[0] != d.player)
    if len(entries) == len(old):
        raise IllegalDecision("decision/no_vote", f"{d.player!r} has no vote on {d.card!r}")
    n = s.clone()
    votes = dict(s.votes)
    if entries:
        votes[key] = entries
    else:
        del votes[key]
    n.votes = votes
    return n, [
        {"type": "vote_withdrawn", "team": d.team, "player": d.player, "card": d.card,
         "leaning": team_choice(n, d.card, d.team), "private_to": d.team},
        {"type": "votes_cast", "team": d.team, "card": d.card, "count": len(entries)},
    ]


def _apply_team_choice(s: GameState, d: TeamChoice) -> tuple[GameState, list[Event]]:
    _check_option(s, d.team, d.card, d.option)
    n = s.clone()
    n.choices = {**s.choices, (d.card, d.team): d.option}
    return n, [
        {"type": "team_choice", "team": d.team, "card": d.card, "option": d.option, "private_to": d.team},
        {"type": "team_decided", "team": d.team, "card": d.card},
    ]


def _apply_set_captain(s: GameState, d: SetCaptain) -> tuple[GameState, list[Event]]:
    if s.phase is Phase.ENDED:
        raise IllegalDecision("decision/game_over", "the game has ended")
    if d.team not in s.scenario.teams:
        raise IllegalDecision("decision/unknown_team", f"no team {d.team!r}")
    n = s.clone()
    captains = dict(s.captains)
    if d.player is None:
        captains.pop(d.team, None)
    else:
        captains[d.team] = d.player
    n.captains = captains
    return n, [{"type": "captain", "team": d.team, "player": d.player}]


def _apply_reveal(s: GameState, d: Reveal) -> tuple[GameState, list[Event]]:
    if s.phase not in (Phase.OUTCOME, Phase.ENDED):
        raise IllegalDecision("decision/wrong_phase", "history is revealed after a turn is resolved")
    if d.card not in s.scenario.cards:
        raise IllegalDecision("decision/unknown_card", f"no card {d.card!r}")
    if not any(c["card"] == d.card for r in s.records for c in r["cards"]):
        raise IllegalDecision("decision/not_resolved", f"card {d.card!r} has not been played yet")
    if d.card in s.revealed:
        raise IllegalDecision("decision/already_revealed", f"card {d.card!r} is already revealed")
    n = s.clone()
    n.revealed = s.revealed | {d.card}
    return n, [{"type": "revealed", "card": d.card}]


# -- phases -------------------------------------------------------------------------------------

def _apply_advance(s: GameState, d: Advance) -> tuple[GameState, list[Event]]:
    n = s.clone()
    if s.phase is Phase.BRIEFING:
        n.phase = Phase.DELIBERATION
        return n, [{"type": "phase", "phase": "deliberation", "turn": s.turn}]
    if s.phase is Phase.OUTCOME:
        if s.ending is not None or s.turn >= s.scenario.turn_count:
            n.ending = s.ending or _pick_ending(s)
            n.phase = Phase.ENDED
            n.cards = ()
            n.votes = {}
            n.choices = {}
            return n, [{"type": "phase", "phase": "ended", "turn": s.turn}, {"type": "ended", "ending": n.ending}]
        n.turn = s.turn + 1
        n.phase = Phase.BRIEFING
        n.votes = {}
        n.choices = {}
        n.cards = _draw(n, n.turn)
        n.pending = tuple(p for p in s.pending if p[0] > n.turn)
        n.last_changes = {"tracks": {}, "control": {}}
        return n, [
            {"type": "phase", "phase": "briefing", "turn": n.turn, "date": s.scenario.turns[n.turn - 1].date},
            {"type": "cards", "cards": list(n.cards)},
        ]
    if s.phase is Phase.ENDED:
        raise IllegalDecision("decision/game_over", "the game has ended")
    raise IllegalDecision("decision/wrong_phase", "the vote is still open: resolve it first")


def ended_early(s: GameState) -> bool:
    """True once the game was stopped with ``EndEarly`` before its ending: ``ended`` with no ending."""
    return s.phase is Phase.ENDED and s.ending is None


def played_turns(s: GameState) -> int:
    """How many turns were resolved (their records exist): all of them unless the game ended early."""
    return len({r["turn"] for r in s.records})


def _apply_end_early(s: GameState, d: EndEarly) -> tuple[GameState, list[Event]]:
    if s.phase is Phase.OUTCOME and (s.ending is not None or s.turn >= s.scenario.turn_count):
        return _apply_advance(s, Advance())  # nothing was left to play: the game's own ending
    n = s.clone()
    n.phase = Phase.ENDED
    n.ending = None
    n.cards = ()
    n.votes = {}
    n.choices = {}
    played = played_turns(s)
    return n, [{"type": "phase", "phase": "ended", "turn": s.turn},
               {"type": "ended", "ending": None, "early": True, "played": played}]


class _Resolution:
    """Mutable scratch space for one ``Resolve``; the result is frozen into a new state."""

    def __init__(self, s: GameState) -> None:
        self.s = s
        self.tracks = dict(s.tracks)
        self.flags = set(s.flags)
        self.control = dict(s.control)
        self.pending = list(s.pending)
        self.rng = s.rng
        self.ending: str | None = s.ending
        self.events: list[Event] = []
        self.track_delta: dict[str, int] = {}
        self.control_changes: dict[str, list[str | None]] = {}

    def effects(self, e: Effects) -> None:
        if e is NO_EFFECTS:
            return
        sc = self.s.scenario
        for track, delta in e.tracks:
            spec = sc.tracks[track]
            old = self.tracks[track]
            new = min(spec.max, max(spec.min, old + delta))
            if new != old:
                self.tracks[track] = new
                self.track_delta[track] = self.track_delta.get(track, 0) + new - old
                self.events.append({"type": "track", "track": track, "old": old, "new": new})
        for flag in sorted(e.set - self.flags) if e.set else ():
            self.flags.add(flag)
            self.events.append({"type": "flag", "flag": flag, "set": True})
        for flag in sorted(e.clear & self.flags) if e.clear else ():
            self.flags.discard(flag)
            self.events.append({"type": "flag", "flag": flag, "set": False})
        for region, who in e.control:
            held = self.control.get(region)
            if held != who:
                self.control[region] = who
                first = self.control_changes.get(region, [held, who])[0]
                self.control_changes[region] = [first, who]
                self.events.append({"type": "control", "region": region, "old": held, "new": who})
        for card, after in e.schedule:
            entry = (self.s.turn + after, card)
            if entry[0] <= sc.turn_count and entry not in self.pending:
                self.pending.append(entry)
                self.events.append({"type": "scheduled", "card": card, "turn": entry[0], "private_to": "host"})
        if e.end is not None and self.ending is None:
            self.ending = e.end

    def chance(self, branches: tuple[Branch, ...], source: str, card: str) -> Branch | None:
        if not branches:
            return None
        self.rng, index = _rng.draw_index(self.rng, tuple(b.weight for b in branches))
        branch = branches[index]
        self.events.append({"type": "chance", "card": card, "source": source, "index": index, "p": branch.p})
        self.effects(branch.effects)
        return branch


def _outcome(kind: str, item: Option | Combination | Branch, off_turn: bool, **extra: Any) -> dict[str, Any]:
    """One outcome record. A card played off its declared turn claims no history (``historical`` False)."""
    # the text and citation dicts are the scenario's own, shared, never mutated: no copies on the hot path
    return {"kind": kind, "text": item.outcome, "historical": item.historical and not off_turn,
            "source_silent": item.source_silent, "sources": list(item.sources), **extra}


def _apply_resolve(s: GameState, d: Resolve) -> tuple[GameState, list[Event]]:
    if s.phase is not Phase.DELIBERATION:
        raise IllegalDecision("decision/wrong_phase", f"only an open vote can be resolved, not {s.phase}")
    sc = s.scenario
    r = _Resolution(s)
    card_records = []
    for card_id in s.cards:
        card = sc.cards[card_id]
        off_turn = card.turn != s.turn  # a scheduled card that landed in another turn than history's
        r.effects(card.effects)
        choices: dict[str, str] = {}
        defaulted: list[str] = []
        team_choices: dict[str, str | None] = {}
        outcomes: list[dict[str, Any]] = []
        for decider in card.deciders:
            choice, members = decider_choice(s, card, decider)
            team_choices.update(members)
            if choice is None or not card.options[choice].requires.holds(r.tracks, frozenset(r.flags), r.control):
                choice = card.default[decider]
                defaulted.append(decider)
            choices[decider] = choice
            r.events.append({"type": "choice", "card": card_id, "decider": decider, "option": choice,
                             "default": decider in defaulted})
        for decider in card.deciders:
            option = card.options[choices[decider]]
            r.effects(option.effects)
            outcomes.append(_outcome("option", option, off_turn, decider=decider, option=option.id))
            branch = r.chance(option.chance, f"option:{decider}", card_id)
            if branch is not None:
                outcomes.append(_outcome("chance", branch, off_turn, decider=decider, p=branch.p))
        combination = None
        for i, combo in enumerate(card.combinations):
            if all(choices.get(dec) == opt for dec, opt in combo.when):
                combination = i
                r.effects(combo.effects)
                outcomes.append(_outcome("combination", combo, off_turn))
                branch = r.chance(combo.chance, "combination", card_id)
                if branch is not None:
                    outcomes.append(_outcome("chance", branch, off_turn, p=branch.p))
                break
        card_records.append({
            "card": card_id,
            "choices": choices,
            "defaulted": defaulted,
            "team_choices": team_choices,
            "combination": combination,
            "outcomes": outcomes,
            "off_turn": off_turn,
        })
    record = {"turn": s.turn, "date": sc.turns[s.turn - 1].date, "cards": card_records}
    n = s.clone()
    n.phase = Phase.OUTCOME
    n.tracks = r.tracks
    n.flags = frozenset(r.flags)
    n.control = r.control
    n.pending = tuple(sorted(r.pending))
    n.rng = r.rng
    n.ending = r.ending
    n.records = (*s.records, record)
    n.last_changes = {"tracks": r.track_delta, "control": r.control_changes}
    events = r.events
    events.append({"type": "phase", "phase": "outcome", "turn": s.turn})
    events.append({"type": "outcome", "turn": s.turn, "cards": card_records})
    return n, events


_HANDLERS: dict[type[Decision], Callable[[GameState, Any], tuple[GameState, list[Event]]]] = {
    Advance: _apply_advance,
    Vote: _apply_vote,
    Unvote: _apply_unvote,
    TeamChoice: _apply_team_choice,
    SetCaptain: _apply_set_captain,
    Resolve: _apply_resolve,
    Reveal: _apply_reveal,
    EndEarly: _apply_end_early,
}


def apply(state: GameState, decision: Decision) -> tuple[GameState, list[Event]]:
    """Apply one decision; returns the new state and what happened.

    Raises InvalidDecision (malformed) or IllegalDecision (against the rules);
    ``state`` itself is never changed.
    """
    handler = _HANDLERS.get(type(decision))
    if handler is None:
        raise InvalidDecision("decision/unknown_type", f"not a decision: {decision!r}")
    if state.phase is Phase.ENDED and not isinstance(decision, Reveal):
        raise IllegalDecision("decision/game_over", "the game has ended")
    new, events = handler(state, decision)
    new.state_id = state.state_id + 1
    new.log = (*state.log, decision)
    return new, events


def legal_decisions(s: GameState) -> list[Decision]:
    """Team-level moves open now (for bots and the simulator): open TeamChoices, then Resolve/Advance."""
    if s.phase in (Phase.BRIEFING, Phase.OUTCOME):
        return [Advance()]
    if s.phase is Phase.ENDED:
        return []
    moves: list[Decision] = []
    sc = s.scenario
    for card_id in s.cards:
        for team in sc.cards[card_id].team_decider:
            if (card_id, team) not in s.choices:
                moves.extend(TeamChoice(team, card_id, option) for option in open_options(s, card_id, team))
    moves.append(Resolve())
    return moves
