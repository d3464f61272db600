"""Who may vote for what, and when a vote is complete: the voting rules that shells ask about.

The server (auto-resolve, moving or removing a player, the card timer), the simulator, bots and
benchmarks ask these questions of the state instead of keeping their own copies of the rules;
``rules.apply`` checks votes with the same ``open_options``.  All functions are pure and read the
state only (no views are built): they run on every vote.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping

from .decisions import Decision, SetCaptain, Unvote
from .scenario import Option
from .state import GameState, Phase


def open_options(state: GameState, card_id: str, team: str) -> tuple[str, ...]:
    """Option ids ``team`` may vote for on ``card_id`` now: the options of the card's decider for
    this team (the team itself or its bloc) whose ``requires`` hold; () if the card is not in play
    this turn, the team does not decide it, or no vote is open (outside deliberation).

    Exactly the options for which ``apply(state, Vote(team, player, card_id, option))`` is
    accepted (a property test holds the two together)."""
    if state.phase is not Phase.DELIBERATION or card_id not in state.cards:
        return ()
    card = state.scenario.cards[card_id]
    decider = card.team_decider.get(team)
    if decider is None:
        return ()
    return tuple(o.id for o in card.options.values() if _open(state, decider, o))


def is_open(state: GameState, card_id: str, team: str, option_id: str) -> bool:
    """Whether ``option_id`` is one of ``open_options(state, card_id, team)``, without building them
    (``apply`` asks this on every vote)."""
    if state.phase is not Phase.DELIBERATION or card_id not in state.cards:
        return False
    card = state.scenario.cards[card_id]
    decider = card.team_decider.get(team)
    option = card.options.get(option_id)
    return decider is not None and option is not None and _open(state, decider, option)


def _open(state: GameState, decider: str, option: Option) -> bool:
    return decider in option.deciders and option.requires.holds(state.tracks, state.flags, state.control)


def all_have_voted(state: GameState, present: Mapping[str, Collection[str]]) -> bool:
    """In deliberation: True when every team in ``present`` (team id -> its players now in the
    session) that has open options on a current card has a vote from each of its players on it.

    Teams with no players do not block, and a card on which a team has nothing it could pick
    does not either (it gets the card's default).  So this is also True when, this turn, no
    present player has anything to decide.  False outside deliberation, and False when
    ``present`` holds no player at all (nobody votes, e.g. one-screen play: the host or the clock
    closes the vote).
    """
    if state.phase is not Phase.DELIBERATION or not any(present.values()):
        return False
    cards = state.scenario.cards
    for card_id in state.cards:
        card = cards[card_id]
        for team, decider in card.team_decider.items():
            players = present.get(team)
            if not players:
                continue
            voted = {entry[0] for entry in state.votes.get((card_id, team), ())}
            if all(p in voted for p in players):
                continue
            if any(_open(state, decider, o) for o in card.options.values()):
                return False  # someone has not voted on what they could pick (as open_options says)
    return True


def withdraw_player(state: GameState, team: str, player: str) -> list[Decision]:
    """The decisions that take ``player``'s votes (in deliberation) and captaincy out of ``team``
    — apply them before the player leaves the team (moved to another, or removed).  [] when the
    game has ended or the player holds nothing there."""
    if state.phase is Phase.ENDED:
        return []
    decisions: list[Decision] = []
    if state.phase is Phase.DELIBERATION:
        for card_id in state.cards:
            if any(entry[0] == player for entry in state.votes.get((card_id, team), ())):
                decisions.append(Unvote(team, player, card_id))
    if state.captains.get(team) == player:
        decisions.append(SetCaptain(team, None))
    return decisions


def card_timer(state: GameState) -> int | None:
    """The longest scenario timer (seconds) among the current cards that some team decides;
    None if none of them sets one (the shell then uses its own default)."""
    cards = state.scenario.cards
    timers = [card.timer for card in (cards[c] for c in state.cards) if card.timer and card.team_decider]
    return max(timers, default=None)
