"""One lesson in memory: its game state, members, clock, connections and view cache.

The Master owns every ``Session`` and is the only code that changes one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import msgpack

from game.engine import GameState, Scenario, Seat, card_view, new_game, team_block, view_for
from game.textpool import TextPool
from server.store import MemberRecord, TimerRecord

ConnId = int

HOST = "host"
PLAYER = "player"
PROJECTOR = "projector"


@dataclass(slots=True)
class Member:
    player: str
    name: str
    team: str | None
    token_hash: str
    joined_at: float

    def record(self) -> MemberRecord:
        return MemberRecord(self.player, self.name, self.team, self.token_hash, self.joined_at)


@dataclass(slots=True)
class Binding:
    """What a connection is, once it has joined, watched, created or resumed."""

    code: str
    role: str  # HOST | PLAYER | PROJECTOR
    player: str | None = None
    seat: str = PROJECTOR


@dataclass(slots=True)
class Session:
    code: str
    scenario: Scenario
    seed: int
    config: dict[str, Any]
    host_token_hash: str
    created_at: float
    state: GameState
    seq: int = 0  # decisions in the log
    status: str = "open"  # "open" | "ended"
    started: bool = False
    timer: TimerRecord = field(default_factory=TimerRecord)
    members: dict[str, Member] = field(default_factory=dict)
    next_player: int = 1
    # connections
    conns: dict[ConnId, Binding] = field(default_factory=dict)
    seats: dict[str, set[ConnId]] = field(default_factory=dict)
    player_conns: dict[str, set[ConnId]] = field(default_factory=dict)
    # what each seat holds: (state_id its view is as of, that view without its texts, how many
    # entries of the public pool and of its own pool it has, the state_id its clients were last
    # told — the `base` of its next update); all connections of a seat share it
    sent: dict[str, tuple[int, dict[str, Any], int, int, int]] = field(default_factory=dict)
    # texts travel as references (game.textpool): the deck (shared by all sessions) <- the public
    # pool (texts of the public view) <- one pool per private seat (its secret, the host's history)
    public_pool: TextPool | None = None
    pools: dict[str, TextPool] = field(default_factory=dict)
    # the public view, interned once per state: (state_id, view); every team seat shares it
    public: tuple[int, dict[str, Any]] | None = None
    # changes not yet pushed
    pending_events: list[Any] = field(default_factory=list)
    dirty_state: bool = False
    dirty_lobby: bool = False
    dirty_timer: bool = False
    # since the last push only votes changed (the teams that voted): rebuild just the engine's VOTE_KEYS
    votes_only: bool = False
    voted_teams: set[str] = field(default_factory=set)
    pushed_state: int | None = None  # the state_id of the last push

    @property
    def teams(self) -> list[str]:
        """The teams students play in this session (a subset of the scenario's)."""
        return list(self.config["teams"])

    @property
    def is_dirty(self) -> bool:
        return self.dirty_state or self.dirty_lobby or self.dirty_timer

    def seat_for(self, binding: Binding) -> str:
        if binding.role == HOST:
            return HOST
        if binding.role == PLAYER and binding.player is not None:
            member = self.members.get(binding.player)
            if member is not None and member.team is not None:
                return team_seat(member.team)
        return PROJECTOR

    def bind(self, conn: ConnId, binding: Binding) -> None:
        binding.seat = self.seat_for(binding)
        self.conns[conn] = binding
        self.seats.setdefault(binding.seat, set()).add(conn)
        if binding.player is not None:
            self.player_conns.setdefault(binding.player, set()).add(conn)

    def unbind(self, conn: ConnId) -> Binding | None:
        binding = self.conns.pop(conn, None)
        if binding is None:
            return None
        conns = self.seats.get(binding.seat)
        if conns is not None:
            conns.discard(conn)
            if not conns:
                del self.seats[binding.seat]
                self.sent.pop(binding.seat, None)  # a returning seat gets a full view anyway
                self.pools.pop(binding.seat, None)
        if binding.player is not None:
            pc = self.player_conns.get(binding.player)
            if pc is not None:
                pc.discard(conn)
                if not pc:
                    del self.player_conns[binding.player]
        return binding

    @property
    def zdict(self) -> bytes:
        return scenario_zdict(self.scenario)

    def public_texts(self) -> TextPool:
        if self.public_pool is None:
            self.public_pool = TextPool(base=deck_pool(self.scenario), prefix="p")
        return self.public_pool

    def seat_texts(self, seat: str) -> TextPool:
        """The seat's pool: the public pool itself for the projector, its own layer for the others."""
        if seat == PROJECTOR:
            return self.public_texts()
        pool = self.pools.get(seat)
        if pool is None:
            pool = self.pools[seat] = TextPool(base=self.public_texts(), prefix="s")
        return pool

    def public_view(self) -> dict[str, Any]:
        """The projector's view, interned, built once per state and shared by every team seat."""
        if self.public is None or self.public[0] != self.state.state_id:
            self.public = (self.state.state_id, _wire(self.public_texts().intern(view_for(self.state, PROJECTOR))))
        return self.public[1]

    def wire_view(self, seat: str) -> tuple[dict[str, Any], TextPool]:
        """The seat's view as sent on the wire: texts replaced by references into its pools.

        A team's view is the public view without the room's vote ``progress`` plus its own
        ``team`` block (the engine guarantees it), so only that block is built per team; the
        host's view is built whole.
        """
        pool = self.seat_texts(seat)
        if seat == HOST:
            return _wire(pool.intern(view_for(self.state, HOST))), pool
        public = self.public_view()
        team = Seat.team_of(seat)
        if team is None:
            return public, pool
        shared = {k: v for k, v in public.items() if k != PROGRESS}  # teams follow only their own votes
        if shared.get("secrets"):  # once ended, every secret is public; a team's own keeps its own reference
            texts = self.public_texts().all_texts()
            shared["secrets"] = {t: pool.intern(texts[r]) if r in texts else r for t, r in shared["secrets"].items()}
        return {**shared, "seat": seat, "team": pool.intern(team_block(self.state, team))}, pool

    def texts_count(self, seat: str) -> tuple[int, int]:
        """(public pool entries, own pool entries) — what a seat holds after being sent everything."""
        own = self.seat_texts(seat)
        return len(self.public_texts().texts), (0 if own is self.public_pool else len(own.texts))

    def is_online(self, player: str) -> bool:
        return bool(self.player_conns.get(player))

    def team_members(self, team: str) -> list[Member]:
        return [m for m in self.members.values() if m.team == team]


PROGRESS = "progress"  # the projector's and host's vote counts, which team seats do not get


def _wire(view: dict[str, Any]) -> dict[str, Any]:
    """A view as sent: without ``state_id``, which the message carries (clients put it back), so a
    change that leaves a seat's view as it was sends that seat nothing at all."""
    view.pop("state_id", None)
    return view
_DECKS: dict[str, TextPool] = {}


def deck_pool(scenario: Scenario) -> TextPool:
    """The scenario's public deck as a read-only pool, shared by every seat of every session."""
    pool = _DECKS.get(scenario.digest)
    if pool is None:
        pool = _DECKS[scenario.digest] = TextPool(scenario.deck_texts())
    return pool


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
        parts.append(msgpack.packb({"v": 1, "type": "update", "state_id": 1, "base": 1, "patch": [
            [["phase"], "outcome"], [["timeline", 0], record], [["track_changes", ""], 1],
            [["control_changes", ""], ["", ""]], [["team", "votes", "", ""], ""], [["team", "choice", ""], ""]]},
            use_bin_type=True))
        zd = _ZDICTS[scenario.digest] = b"".join(parts)[-ZDICT_MAX:]  # the most common last: cheapest to reach
    return zd


def team_seat(team: str) -> str:
    return str(Seat.team(team))
