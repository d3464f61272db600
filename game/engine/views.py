"""What each seat may see: ``view_for(state, seat)`` and ``events_for(events, seat)``."""

from __future__ import annotations

from typing import Any

from .errors import InvalidQuery
from .rules import Event, played_turns, team_choice
from .scenario import Card
from .scoring import learning, scores
from .state import GameState, Phase


class Seat(str):
    """``"host"``, ``"projector"`` or ``"team:<id>"``."""

    HOST = "host"
    PROJECTOR = "projector"

    @staticmethod
    def team(team_id: str) -> str:
        return f"team:{team_id}"

    @staticmethod
    def team_of(seat: str) -> str | None:
        return seat[5:] if seat.startswith("team:") else None


VOTE_KEYS = ("progress", "team", "teams_private")


def vote_progress(s: GameState) -> dict[str, dict[str, dict[str, Any]]]:
    """How far each deciding team is on each card of an open vote: {card: {team: {votes, decided}}}.

    This is the ``"progress"`` of the projector's and the host's views.  A ``Vote`` or
    ``Unvote`` by team T changes a seat's view only in ``progress``, in ``team`` (T's seat)
    and in ``teams_private[T]`` (the host): the keys in ``VOTE_KEYS``.  Shells that push
    many votes rebuild only those parts (see ``server.master``); a property test holds
    the engine to it.
    """
    out: dict[str, dict[str, dict[str, Any]]] = {}
    if s.phase is not Phase.DELIBERATION:
        return out
    for card_id in s.cards:
        card = s.scenario.cards[card_id]
        row = out[card_id] = {}
        for team in card.team_decider:
            n = len(s.votes.get((card_id, team), ()))
            row[team] = {"votes": n, "decided": (card_id, team) in s.choices or n > 0}
    return out


def _card_view(s: GameState, card: Card, show_history: bool) -> dict[str, Any]:
    # a scheduled card shown in another turn than its own: the turn's date, and no claim of history
    off_turn = card.turn != s.turn
    turn = s.scenario.turns[s.turn - 1]
    options = []
    for o in card.options.values():
        entry: dict[str, Any] = {
            "id": o.id,
            "text": dict(o.text),
            "for": sorted(o.deciders),
            "available": o.requires.holds(s.tracks, s.flags, s.control),
            "odds": [b.p for b in o.chance] or None,
        }
        if show_history:
            entry["historical"] = o.historical and not off_turn
            entry["source_silent"] = o.source_silent
        options.append(entry)
    view: dict[str, Any] = {
        "id": card.id,
        "title": dict(card.title),
        "text": dict(card.text),
        "date": turn.date if off_turn else card.date,
        "date_label": dict(turn.label) if off_turn else None,
        "off_turn": off_turn,
        "region": card.region,
        "place": card.place,
        "emblem": card.emblem,
        "sources": [dict(c) for c in card.sources],
        "deciders": list(card.deciders),
        "teams": list(card.team_decider),
        "timer": s.scenario.card_timer(card, s.turn),
        "terms": list(card.terms),
        "options": options,
        "combination_odds": [[b.p for b in c.chance] for c in card.combinations if c.chance] or None,
    }
    if show_history:
        view["history"] = {"text": dict(card.history_text), "sources": [dict(c) for c in card.history_sources]}
    return view


def card_view(s: GameState, card_id: str) -> dict[str, Any]:
    """One card as a player sees it before its history is revealed (as in ``view["cards"]``).

    Raises InvalidQuery (``view/unknown_card``) for a card the scenario does not have.
    """
    card = s.scenario.cards.get(card_id) if isinstance(card_id, str) else None
    if card is None:
        raise InvalidQuery("view/unknown_card", f"no card {card_id!r} in {s.scenario.id}")
    return _card_view(s, card, False)


def _team_private(s: GameState, team_id: str) -> dict[str, Any]:
    team = s.scenario.teams[team_id]
    votes: dict[str, dict[str, str]] = {}
    choice: dict[str, str | None] = {}
    for card_id in s.cards:
        card = s.scenario.cards[card_id]
        if team_id not in card.team_decider:
            continue
        votes[card_id] = {player: option for player, option, _ in s.votes.get((card_id, team_id), ())}
        choice[card_id] = team_choice(s, card_id, team_id)
    return {
        "id": team.id,
        "name": dict(team.name),
        "role": dict(team.role),
        "aim": dict(team.aim),
        "secret": dict(team.secret_text),
        "votes": votes,
        "choice": choice,
        "direct": {c: s.choices[(c, team_id)] for c in s.cards if (c, team_id) in s.choices},
        "captain": s.captains.get(team_id),
    }


def _records_view(s: GameState, show_all_history: bool) -> list[dict[str, Any]]:
    out = []
    for record in s.records:
        cards = []
        for entry in record["cards"]:
            card = s.scenario.cards[entry["card"]]
            shown = show_all_history or card.id in s.revealed
            item = {
                "card": card.id,
                "title": dict(card.title),
                "region": card.region,
                "choices": dict(entry["choices"]),
                "choice_text": {d: dict(card.options[o].text) for d, o in entry["choices"].items()},
                "team_choices": dict(entry["team_choices"]),
                "defaulted": list(entry["defaulted"]),
                "outcomes": entry["outcomes"],
                "revealed": card.id in s.revealed,
                "off_turn": entry.get("off_turn", False),
            }
            if shown:
                item["history"] = {"text": dict(card.history_text), "sources": [dict(c) for c in card.history_sources]}
                off_turn = entry.get("off_turn", False)
                item["historical"] = {d: card.options[o].historical and not off_turn for d, o in entry["choices"].items()}
            cards.append(item)
        out.append({"turn": record["turn"], "date": record["date"], "cards": cards})
    return out


def team_block(s: GameState, team_id: str) -> dict[str, Any]:
    """The private part of a team's view: its secret, its members' votes, its leaning, its captain.

    A team's view is exactly the projector's view without its ``"progress"`` (the other
    teams' vote counts) plus ``"seat"`` and this block under ``"team"``; shells that serve
    many seats build the public part once. Raises InvalidQuery (``view/unknown_team``).
    """
    if not isinstance(team_id, str) or team_id not in s.scenario.teams:
        raise InvalidQuery("view/unknown_team", f"unknown team {team_id!r}")
    return _team_private(s, team_id)


def view_for(s: GameState, seat: str) -> dict[str, Any]:
    """Everything ``seat`` may see, as plain data (msgpack-ready). Never another team's secret or votes.

    Raises InvalidQuery (``view/unknown_seat``) for anything but the host, the projector or a team.
    """
    sc = s.scenario
    if not isinstance(seat, str):
        raise InvalidQuery("view/unknown_seat", f"a seat is a string, not {seat!r}")
    is_host = seat == Seat.HOST
    team_id = Seat.team_of(seat)
    if not is_host and seat != Seat.PROJECTOR and team_id not in sc.teams:
        raise InvalidQuery("view/unknown_seat", f"unknown seat {seat!r}")
    ended = s.phase is Phase.ENDED
    turn = sc.turns[s.turn - 1]
    view: dict[str, Any] = {
        "scenario": sc.id,
        "title": dict(sc.title),
        "seat": seat,
        "turn": s.turn,
        "turn_count": sc.turn_count,
        "date": turn.date,
        "turn_label": dict(turn.label),
        "phase": str(s.phase),
        "state_id": s.state_id,
        "tracks": dict(s.tracks),
        "track_changes": dict(s.last_changes["tracks"]),
        "control": dict(s.control),
        "control_changes": {k: list(v) for k, v in s.last_changes["control"].items()},
        "flags": sorted(s.flags),
        "cards": [
            _card_view(s, sc.cards[c], is_host or ended or c in s.revealed) for c in s.cards
        ],
        "teams": {t.id: {"name": dict(t.name), "aim": dict(t.aim), "captain": s.captains.get(t.id)}
                  for t in sc.teams.values()},
        "revealed": sorted(s.revealed),
        "timeline": _records_view(s, is_host or ended),
        "ending": None,
        "progress": None,
    }
    if ended and s.ending is not None:
        e = sc.endings[s.ending]
        view["ending"] = {"id": e.id, "title": dict(e.title), "text": dict(e.text), "historical": e.historical,
                          "source_silent": e.source_silent, "sources": [dict(c) for c in e.sources],
                          "early": False, "played": played_turns(s)}
    elif ended:  # stopped with EndEarly: no scenario ending, and no claim about history
        view["ending"] = {"id": None, "title": None, "text": None, "historical": False, "source_silent": False,
                          "sources": [], "early": True, "played": played_turns(s)}
    if team_id is None:
        view["progress"] = vote_progress(s)  # the room's vote progress: for the projector and the host
    else:
        view["team"] = _team_private(s, team_id)  # a team follows its own votes, not the others'
        del view["progress"]
    if is_host:
        view["teams_private"] = {t: _team_private(s, t) for t in sc.teams}
        view["pending"] = [list(p) for p in s.pending]
    if is_host or ended:
        view["scores"] = scores(s)
        view["learning"] = learning(s)
        if ended:
            view["secrets"] = {t.id: dict(t.secret_text) for t in sc.teams.values()}
    if s.start is not None and s.start.notes:  # a campaign's later lesson: what it carried, for everyone
        view["carried"] = [dict(n) for n in s.start.notes]
    return view


def events_for(events: list[Event], seat: str) -> list[Event]:
    """The events of one ``apply`` that ``seat`` may see, without the routing key.

    Raises InvalidQuery (``view/bad_events``) if ``events`` is not a list of event dicts.
    """
    if not isinstance(seat, str):
        raise InvalidQuery("view/unknown_seat", f"a seat is a string, not {seat!r}")
    if not isinstance(events, list | tuple) or not all(isinstance(e, dict) for e in events):
        raise InvalidQuery("view/bad_events", "events are a list of dicts, as apply returns them")
    team = Seat.team_of(seat)
    out = []
    for e in events:
        private = e.get("private_to")
        if private is None or seat == Seat.HOST or (team is not None and private == team):
            out.append({k: v for k, v in e.items() if k != "private_to"})
    return out
