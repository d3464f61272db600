"""What each seat of a session has been sent: its view, its texts, and the shared public parts.

Texts travel as references (``game.textpool``) into layered pools: the scenario's deck (one
read-only pool shared by every session of that scenario) <- the session's public pool (texts of
the public view) <- one pool per private seat (the host's, each team's: its secret, the host's
history).  The public view is built and interned once per state and shared by every team seat.
Each text crosses each connection once: a text that the host was sent from its own layer
(a card's history) is not sent again when it later enters the public pool (the reveal).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import msgpack

from game.engine import GameState, Scenario, card_view, new_game, team_block, view_for
from game.textpool import TEXTS, TextPool
from game.wire import VERSION, Seat, team_of

PROGRESS = "progress"  # the projector's and host's vote counts, which team seats do not get


def packed_size(obj: Any) -> int:
    return len(msgpack.packb(obj, use_bin_type=True))


@dataclass(slots=True)
class SeatView:
    """What a seat's connections hold (all of them the same)."""

    state_id: int  # the state its view is as of
    view: dict[str, Any]  # that view as sent, without its texts
    public_texts: int  # how many entries of the public pool it has been sent
    own_texts: int  # ... and of its own pool
    base: int  # the state_id its clients were last told: the ``base`` of its next update


@dataclass(slots=True)
class PublicView:
    """The projector's view as sent, interned once per state and shared by every team seat."""

    state_id: int
    view: dict[str, Any]


class DeckPool(TextPool):
    """A scenario's public deck (card titles, texts, options, citations) as a read-only pool,
    with its packed size (for the full-view-or-patch choice), computed once."""

    __slots__ = ("packed_size",)

    def __init__(self, scenario: Scenario) -> None:
        super().__init__(scenario.deck_texts())
        self.packed_size = packed_size(self.texts)


_DECKS: dict[str, DeckPool] = {}


def deck_pool(scenario: Scenario) -> DeckPool:
    """The scenario's deck pool, shared by every seat of every session (built once per scenario)."""
    pool = _DECKS.get(scenario.digest)
    if pool is None:
        pool = _DECKS[scenario.digest] = DeckPool(scenario)
    return pool


def _wire(view: dict[str, Any]) -> dict[str, Any]:
    """A view as sent: without ``state_id``, which the message carries (clients put it back), so a
    change that leaves a seat's view as it was sends that seat nothing at all."""
    view.pop("state_id", None)
    return view


def _content(text: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    return tuple(sorted(text.items()))


class ViewCache:
    """One session's seat views and text pools (the Master's pushing code is its only user)."""

    __slots__ = ("_public_size", "deck", "pools", "public", "public_pool", "seats")

    def __init__(self, scenario: Scenario) -> None:
        self.deck = deck_pool(scenario)
        self.public_pool = TextPool(base=self.deck, prefix="p")
        self.pools: dict[str, TextPool] = {}  # private seats' own layers
        self.public: PublicView | None = None
        self.seats: dict[str, SeatView] = {}
        self._public_size = (-1, 0)  # (public pool entries, their packed size)

    # --- pools

    def seat_texts(self, seat: str) -> TextPool:
        """The seat's pool: the public pool itself for the projector, its own layer for the others."""
        if seat == Seat.PROJECTOR:
            return self.public_pool
        pool = self.pools.get(seat)
        if pool is None:
            pool = self.pools[seat] = TextPool(base=self.public_pool, prefix="s")
        return pool

    def counts(self, seat: str) -> tuple[int, int]:
        """(public pool entries, own pool entries): what a seat holds after being sent everything."""
        own = self.seat_texts(seat)
        return len(self.public_pool.texts), (0 if own is self.public_pool else len(own.texts))

    def all_texts(self, seat: str) -> dict[str, dict[str, Any]]:
        """Every text a full view of ``seat`` carries."""
        texts = self.seat_texts(seat).all_texts()
        if seat == Seat.HOST:
            for ref, _text in self._host_duplicates(self.public_pool.texts.items()):
                del texts[ref]
        return texts

    def new_texts(self, seat: str, held: SeatView) -> list[list[Any]]:
        """Patch operations adding the texts ``seat`` was not sent yet (per ``held``'s counts)."""
        public = self.public_pool.added_since(held.public_texts)
        if public and seat == Seat.HOST:
            skip = {ref for ref, _ in self._host_duplicates(public)}
            public = [(ref, text) for ref, text in public if ref not in skip]
        ops = [[[TEXTS, ref], text] for ref, text in public]
        pool = self.seat_texts(seat)
        if pool is not self.public_pool:
            ops += [[[TEXTS, ref], text] for ref, text in pool.added_since(held.own_texts)]
        return ops

    def _host_duplicates(self, entries: Any) -> list[tuple[str, dict[str, Any]]]:
        """Public entries the host already holds in its own layer (it was sent them before they
        became public, e.g. a card's history before its reveal); its views never name them."""
        own = self.pools.get(Seat.HOST)
        if own is None or not own.texts:
            return []
        held = {_content(text) for text in own.texts.values()}
        return [(ref, text) for ref, text in entries if _content(text) in held]

    def texts_size(self, seat: str) -> int:
        """About the packed size of the texts of a full view of ``seat``."""
        n = len(self.public_pool.texts)
        if self._public_size[0] != n:  # the public pool only grows: its length names its content
            self._public_size = (n, packed_size(self.public_pool.texts))
        size = self.deck.packed_size + self._public_size[1]
        pool = self.seat_texts(seat)
        return size if pool is self.public_pool else size + packed_size(pool.texts)

    # --- views

    def public_view(self, state: GameState) -> dict[str, Any]:
        """The projector's view, interned, built once per state and shared by every team seat."""
        if self.public is None or self.public.state_id != state.state_id:
            self.public = PublicView(state.state_id, _wire(self.public_pool.intern(view_for(state, Seat.PROJECTOR))))
        return self.public.view

    def wire_view(self, state: GameState, seat: str) -> tuple[dict[str, Any], TextPool]:
        """The seat's view as sent on the wire: texts replaced by references into its pools.

        A team's view is the public view without the room's vote ``progress`` plus its own
        ``team`` block (the engine guarantees it), so only that block is built per team; the
        host's view is built whole, after the public view, so that every public text it holds
        is the public pool's.
        """
        public = self.public_view(state)
        pool = self.seat_texts(seat)
        if seat == Seat.HOST:
            return _wire(pool.intern(view_for(state, Seat.HOST))), pool
        team = team_of(seat)
        if team is None:
            return public, pool
        shared = {k: v for k, v in public.items() if k != PROGRESS}  # teams follow only their own votes
        if shared.get("secrets"):  # once ended, every secret is public; a team's own keeps its own reference
            texts = self.public_pool.all_texts()
            shared["secrets"] = {t: pool.intern(texts[r]) if r in texts else r for t, r in shared["secrets"].items()}
        return {**shared, "seat": seat, "team": pool.intern(team_block(state, team))}, pool

    def remember(self, seat: str, state_id: int, view: dict[str, Any], base: int) -> SeatView:
        """Record that ``seat`` now holds ``view`` (and every text of its pools)."""
        held = self.seats[seat] = SeatView(state_id, view, *self.counts(seat), base)
        return held

    def forget(self, seat: str) -> None:
        """The seat has no connection left: a returning one gets a full view anyway."""
        self.seats.pop(seat, None)
        self.pools.pop(seat, None)


_ZDICTS: dict[str, bytes] = {}
ZDICT_MAX = 32 * 1024  # zlib looks back at most 32 KiB


def scenario_zdict(scenario: Scenario) -> bytes:
    """The scenario's compression dictionary: public bytes only — every card as a player first sees
    it (texts as deck references, no history) and the keys of an update and of a timeline entry —
    sent once to each connection in its first view (``game.wire``). Built once per scenario."""
    zd = _ZDICTS.get(scenario.digest)
    if zd is None:
        pool = deck_pool(scenario)
        state = new_game(scenario, 0)
        parts = [msgpack.packb([[["cards", 0], pool.intern(card_view(state, c))]], use_bin_type=True)
                 for c in scenario.cards]
        record = {"turn": 1, "date": "", "cards": [{
            "card": "", "title": "", "region": "", "choices": {}, "choice_text": {}, "team_choices": {},
            "defaulted": [], "outcomes": [{"kind": "option", "text": "", "historical": True, "sources": [],
                                           "decider": "", "option": ""}], "revealed": False}]}
        parts.append(msgpack.packb({"v": VERSION, "type": "update", "state_id": 1, "base": 1, "patch": [
            [["phase"], "outcome"], [["timeline", 0], record], [["track_changes", ""], 1],
            [["control_changes", ""], ["", ""]], [["team", "votes", "", ""], ""], [["team", "choice", ""], ""]]},
            use_bin_type=True))
        zd = _ZDICTS[scenario.digest] = b"".join(parts)[-ZDICT_MAX:]  # the most common last: cheapest to reach
    return zd
