"""The ``historical`` bot's choices: what its side really did, and what it does off history's path.

On a card where its decider has an open option marked ``historical: true``, it
plays that. Where history's option is closed (its ``requires`` fail) or the card
lies on a path history never took (no historical option for this side), it plays
the closest choice: the open option whose effects are nearest the historical
one's, else a source-silent option, else the card's default for the decider —
and says which and why in the returned ``reason``.
"""

from __future__ import annotations

from game.engine.scenario import Card, Effects, Option


def _effect_keys(e: Effects) -> set[tuple]:
    keys: set[tuple] = set()
    keys |= {("track", t, d > 0) for t, d in e.tracks}
    keys |= {("set", f) for f in e.set}
    keys |= {("clear", f) for f in e.clear}
    keys |= {("control", r, w) for r, w in e.control}
    keys |= {("schedule", c) for c, _ in e.schedule}
    if e.end:
        keys.add(("end", e.end))
    return keys


def _option_keys(card: Card, option: Option, decider: str) -> set[tuple]:
    keys = _effect_keys(option.effects)
    for b in option.chance:
        keys |= _effect_keys(b.effects)
    for combo in card.combinations:
        if dict(combo.when).get(decider) == option.id:
            keys |= _effect_keys(combo.effects)
    return keys


def _distance(a: set[tuple], b: set[tuple]) -> float:
    if not a and not b:
        return 0.0
    return 1.0 - len(a & b) / len(a | b)


def historical_choice(card: Card, team: str, open_options: tuple[str, ...]) -> tuple[str, str]:
    """``(option, reason)`` for ``team`` on ``card`` among ``open_options`` (non-empty)."""
    decider = card.team_decider[team]
    for option_id in open_options:
        if card.options[option_id].historical:
            return option_id, f"historical: {decider} chose {option_id!r} on {card.id!r}"
    history = [o for o in card.options.values() if o.historical and decider in o.deciders]
    if history:
        target = _option_keys(card, history[0], decider)
        best = min(open_options,
                   key=lambda o: (_distance(_option_keys(card, card.options[o], decider), target),
                                  open_options.index(o)))
        return best, (f"off history's path: {decider}'s historical option {history[0].id!r} on {card.id!r} "
                      f"is not open now; {best!r} has the closest effects")
    silent = [o for o in open_options if getattr(card.options[o], "source_silent", False)]
    if silent:
        return silent[0], (f"off history's path: the source records no choice of {decider} on {card.id!r}; "
                           f"{silent[0]!r} is the option it is silent about")
    default = card.default.get(decider)
    if default in open_options:
        return default, (f"off history's path: the source records no choice of {decider} on {card.id!r}; "
                         f"playing the card's default {default!r}")
    return open_options[0], (f"off history's path: the source records no choice of {decider} on {card.id!r}; "
                             f"playing its first open option {open_options[0]!r}")
