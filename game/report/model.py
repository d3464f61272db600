"""The report's content, as plain data: the lesson's export replayed against its scenario.

``build_report(export, scenario, lang)`` takes the server's ``export`` data (see
server/commands.py ``export``: session, members, the log with each decision's ``seq`` and
``at``) and the compiled scenario, replays the log with the engine, and returns a ``Report``:
every turn with each card's team decisions, vote splits and each member's votes (by display
name, with the time to vote and changes of mind), who did not vote, the tracks and map control
after each turn, our path against history with its quotes, the scores, and the learning figure
(kept apart from score). The HTML and CSV renderers only read it. Pure: no files, no clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from game.campaign import lesson_start
from game.engine import Advance, Decision, Phase, Resolve, Scenario, Unvote, Vote, apply, new_game, scores

from .questions import Questions

Text = dict[str, str]


class ReportError(Exception):
    """The export cannot be read against this scenario (code: ``report/...``)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


@dataclass
class VoteRow:
    """One member's votes on one card for one team, in the order they were cast."""

    player: str
    name: str
    team: str
    option: str | None  # the vote that stood when the card was resolved (None: withdrawn)
    seconds: float | None  # from the start of the deliberation to the first vote
    changes: int  # votes and withdrawals after the first one that changed what stood
    became_choice: bool  # the option that stood is the team's decision
    online: bool  # at the time of the export
    history: list[str | None] = field(default_factory=list)  # every vote cast, None for a withdrawal
    first_seq: int = 0  # the first vote's position in the log


@dataclass
class TeamDecision:
    team: str
    decider: str  # the team itself or its bloc
    choice: str | None  # the team's own decision (its members' votes)
    defaulted: bool  # nobody decided: the card's default was taken
    split: dict[str, int]  # option -> members whose vote stood on it
    votes: list[VoteRow]
    missing: list[tuple[str, str, bool]]  # (player, name, online) of members who did not vote
    away: list[tuple[str, str]] = field(default_factory=list)  # (player, name) disconnected during the vote


@dataclass
class CardReport:
    turn: int
    card: str
    title: Text
    off_turn: bool
    choices: dict[str, str]  # decider -> the option taken
    outcomes: Any
    teams: list[TeamDecision]
    history_text: Text
    history_sources: list[dict[str, str]]
    history_options: dict[str, list[str]]  # decider -> the options history took (empty: none / silent)
    source_silent: bool  # the source does not say what happened: not counted as history


@dataclass
class TurnReport:
    turn: int
    date: str
    label: Text
    cards: list[CardReport]
    tracks: dict[str, int]  # after the turn was resolved
    control: dict[str, str]
    resolved: bool = True  # False: the turn in play when the export was made (votes so far)


@dataclass
class LearningRow:
    team: str
    counted: int  # the team's decisions history speaks to (source-silent and off-turn cards left out)
    matched: int
    silent: int  # decisions on cards the source is silent about
    differed: list[tuple[int, str, str | None, list[str]]]  # (turn, card, our option, history's options)


@dataclass
class Report:
    lang: str
    scenario: Scenario
    session: dict[str, Any]
    members: list[dict[str, Any]]
    playing_teams: list[str]
    start_tracks: dict[str, int]
    start_control: dict[str, str]
    turns: list[TurnReport]
    scores: dict[str, dict[str, float]]
    learning: list[LearningRow]
    ending: str | None
    questions: Questions
    region_names: dict[str, Text]
    verified: bool  # the replayed game has the export's digest
    digest_matches: bool  # the scenario has the digest the export names (or the export names none)
    votes_total: int
    whatif: dict[str, Any] | None = None  # game.explore.compare data: history, our game (and branches, odds)

    @property
    def finished(self) -> bool:
        """The game reached its end (the host may not have closed the lesson yet)."""
        return self.ending is not None

    def text(self, t: Text | None) -> str:
        """A bilingual text in the report's language (the other one if missing)."""
        if not t:
            return ""
        return t.get(self.lang) or t.get("pl") or t.get("en") or next(iter(t.values()), "")

    def option_text(self, card: str, option: str | None) -> str:
        if option is None:
            return ""
        opt = self.scenario.cards[card].options.get(option)
        return self.text(opt.text) if opt else option

    def team_name(self, team: str) -> str:
        t = self.scenario.teams.get(team)
        return self.text(t.name) if t else team

    def decider_name(self, decider: str) -> str:
        if decider in self.scenario.teams:
            return self.team_name(decider)
        bloc = self.scenario.blocs.get(decider)
        return self.text(bloc.name) if bloc else decider

    def region_name(self, region: str) -> str:
        return self.text(self.region_names.get(region)) or region

    def votes(self) -> list[tuple[TurnReport, CardReport, TeamDecision, VoteRow]]:
        """Every (turn, card, team, member's votes), in play order."""
        return [(t, c, d, v) for t in self.turns for c in t.cards for d in c.teams for v in d.votes]


def _decision(entry: dict[str, Any]) -> Decision:
    return Decision.from_wire({k: v for k, v in entry.items() if k not in ("seq", "at")})


def build_report(export: dict[str, Any], scenario: Scenario, lang: str | None = None, *,
                 questions: Questions | None = None, region_names: dict[str, Text] | None = None) -> Report:
    """Replay ``export`` (the server's export data) against ``scenario`` into a ``Report``.

    ``lang`` defaults to the session's language. Raises ``ReportError`` (``report/bad_export``:
    not an export; ``report/wrong_scenario``: another scenario's export; ``report/bad_log``: a
    decision the engine refuses, i.e. not this scenario's game).
    """
    if not isinstance(export, dict) or not isinstance(export.get("session"), dict):
        raise ReportError("report/bad_export", "not a lesson export (no 'session')")
    session = export["session"]
    if session.get("scenario") != scenario.id:
        raise ReportError("report/wrong_scenario",
                          f"the export is of {session.get('scenario')!r}, not {scenario.id!r}")
    lang = lang or (session.get("config") or {}).get("lang") or "pl"
    members = [dict(m) for m in export.get("members") or []]
    by_player = {m["player"]: m for m in members}
    playing = list((session.get("config") or {}).get("teams") or scenario.team_ids)

    state = new_game(scenario, int(session.get("seed", 0)), lesson_start(session.get("config") or {}))
    start_tracks, start_control = dict(state.tracks), dict(state.control)
    opened: dict[int, float | None] = {}  # turn -> when its deliberation began
    closed: dict[int, float | None] = {}  # turn -> when its vote was resolved
    # (turn, card, team, player) -> [(option or None, at, seq)]
    cast: dict[tuple[int, str, str, str], list[tuple[str | None, float | None, int]]] = {}
    after: dict[int, tuple[dict[str, int], dict[str, str]]] = {}
    for i, entry in enumerate(export.get("log") or []):
        try:
            d = _decision(entry)
            turn, phase = state.turn, state.phase
            state, _ = apply(state, d)
        except Exception as exc:  # the engine's refusal: this log is not this scenario's game
            raise ReportError("report/bad_log", f"decision {i + 1} does not replay: {exc}") from exc
        at = entry.get("at")
        seq = int(entry.get("seq") or i + 1)
        if isinstance(d, Advance) and state.phase is Phase.DELIBERATION and phase is not Phase.DELIBERATION:
            opened[state.turn] = at
        elif isinstance(d, Vote):
            cast.setdefault((turn, d.card, d.team, d.player), []).append((d.option, at, seq))
        elif isinstance(d, Unvote):
            cast.setdefault((turn, d.card, d.team, d.player), []).append((None, at, seq))
        if isinstance(d, Resolve):
            closed[turn] = at
        if isinstance(d, Resolve) or (state.turn != turn and turn not in after):
            after[turn] = (dict(state.tracks), dict(state.control))

    turns: list[TurnReport] = []
    for record in state.records:
        n = record["turn"]
        cards = [_card(scenario, n, entry, cast, opened.get(n), by_player, playing) for entry in record["cards"]]
        _mark_away(cards, export.get("presence") or [], opened.get(n), closed.get(n), by_player)
        sc_turn = scenario.turns[n - 1]
        tracks, control = after.get(n, (dict(state.tracks), dict(state.control)))
        turns.append(TurnReport(n, record.get("date") or sc_turn.date, dict(sc_turn.label), cards, tracks, control))

    if state.phase in (Phase.BRIEFING, Phase.DELIBERATION) and state.turn not in {t.turn for t in turns}:
        # the turn in play: its votes so far, nothing decided yet
        n = state.turn
        open_cards = [_card(scenario, n, {"card": c, "choices": {}, "team_choices": {}, "defaulted": []}, cast,
                            opened.get(n), by_player, playing) for c in state.cards]
        sc_turn = scenario.turns[n - 1]
        turns.append(TurnReport(n, sc_turn.date, dict(sc_turn.label), open_cards, dict(state.tracks),
                                dict(state.control), resolved=False))
    digest = session.get("scenario_digest")
    return Report(
        lang=lang, scenario=scenario, session=dict(session), members=members, playing_teams=playing,
        start_tracks=start_tracks, start_control=start_control, turns=turns,
        scores=scores(state), learning=_learning(scenario, turns, playing),
        ending=state.ending if state.phase is Phase.ENDED else None,
        questions=questions or Questions(), region_names=dict(region_names or {}),
        verified=export.get("digest") == state.digest(),
        digest_matches=digest is None or digest == scenario.digest,
        votes_total=sum(1 for k in cast.values() for opt, _, _ in k if opt is not None),
        whatif=_whatif(export, scenario),
    )


def _whatif(export: dict[str, Any], scenario: Scenario) -> dict[str, Any] | None:
    """History's path against ours (game.explore); None if the log does not replay as a path."""
    from .whatif import comparison_of

    try:
        return comparison_of(export, scenario)
    except Exception:  # the rest of the report does not depend on it
        return None


def _card(scenario: Scenario, turn: int, entry: dict[str, Any], cast: dict, opened: float | None,
          by_player: dict[str, dict[str, Any]], playing: list[str]) -> CardReport:
    card = scenario.cards[entry["card"]]
    off_turn = bool(entry.get("off_turn", False))
    history_options = {
        d: [o.id for o in card.options.values() if o.historical and d in o.deciders and not off_turn]
        for d in card.deciders
    }
    silent = not off_turn and not any(history_options.values())
    teams = []
    for team, decider in card.team_decider.items():
        if team not in playing:
            continue
        choice = entry["team_choices"].get(team)
        rows = []
        for (t, c, tm, player), votes in cast.items():
            if (t, c, tm) != (turn, card.id, team):
                continue
            rows.append(_vote_row(player, team, votes, choice, opened, by_player))
        rows.sort(key=lambda r: r.first_seq)
        split: dict[str, int] = {}
        for r in rows:
            if r.option is not None:
                split[r.option] = split.get(r.option, 0) + 1
        voted = {r.player for r in rows if r.option is not None}
        missing = [(m["player"], m["name"], bool(m.get("online", True))) for m in by_player.values()
                   if m.get("team") == team and m["player"] not in voted]
        teams.append(TeamDecision(team, decider, choice, decider in entry.get("defaulted", ()) and choice is None,
                                  split, rows, missing))
    return CardReport(
        turn=turn, card=card.id, title=dict(card.title), off_turn=off_turn, choices=dict(entry["choices"]),
        outcomes=entry.get("outcomes"), teams=teams, history_text=dict(card.history_text),
        history_sources=[dict(c) for c in card.history_sources], history_options=history_options,
        source_silent=silent,
    )


def _mark_away(cards: list[CardReport], presence: list[dict[str, Any]], start: float | None, end: float | None,
               by_player: dict[str, dict[str, Any]]) -> None:
    """Note, per team decision, the members whose connection was down at some moment of the vote
    (from the export's ``presence``: when members went offline or came back)."""
    if start is None or end is None or not presence:
        return
    away: set[str] = set()
    state: dict[str, bool] = {}
    for event in sorted(presence, key=lambda e: e.get("at") or 0):
        at, player, online = event.get("at") or 0, str(event.get("player")), bool(event.get("online"))
        if at <= start:
            state[player] = online
        elif at <= end and not online:
            away.add(player)
    away |= {p for p, online in state.items() if not online}
    for card in cards:
        for d in card.teams:
            d.away = [(p, by_player[p]["name"]) for p in sorted(away)
                      if p in by_player and (by_player[p].get("team") == d.team or any(v.player == p for v in d.votes))]


def _vote_row(player: str, team: str, votes: list[tuple[str | None, float | None, int]], choice: str | None,
              opened: float | None, by_player: dict[str, dict[str, Any]]) -> VoteRow:
    member = by_player.get(player)
    standing, changes, first_at = None, 0, None
    for n, (option, at, _seq) in enumerate(votes):
        if n == 0:
            first_at = at
        elif option != standing:
            changes += 1
        standing = option
    seconds = None
    if first_at is not None and opened is not None:
        seconds = max(0.0, round(first_at - opened, 1))
    return VoteRow(
        player=player, name=member["name"] if member else player, team=team, option=standing, seconds=seconds,
        changes=changes, became_choice=standing is not None and standing == choice,
        online=bool(member.get("online", True)) if member else False,
        history=[o for o, _, _ in votes], first_seq=votes[0][2],
    )


def _learning(scenario: Scenario, turns: list[TurnReport], playing: list[str]) -> list[LearningRow]:
    """Per team: how often it chose as history did, on the cards history speaks to."""
    rows = {t: LearningRow(t, 0, 0, 0, []) for t in playing}
    for turn in turns:
        for card in turn.cards:
            for d in card.teams:
                row = rows[d.team]
                if d.choice is None or card.off_turn:
                    continue
                history = card.history_options.get(d.decider, [])
                if not history:
                    row.silent += 1
                    continue
                row.counted += 1
                if d.choice in history:
                    row.matched += 1
                else:
                    row.differed.append((turn.turn, card.card, d.choice, history))
    return list(rows.values())
