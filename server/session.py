"""One lesson in memory: its game state, members, clock, connections and view cache.

The Master owns every ``Session`` and is the only code that changes one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from game.engine import GameState, Scenario, Seat, view_for
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
    # what each seat was last sent: (state_id, view); all connections of a seat share it
    sent: dict[str, tuple[int, dict[str, Any]]] = field(default_factory=dict)
    # the texts each seat has been sent (views carry references into it; see game.textpool)
    pools: dict[str, TextPool] = field(default_factory=dict)
    # changes not yet pushed
    pending_events: list[Any] = field(default_factory=list)
    dirty_state: bool = False
    dirty_lobby: bool = False
    dirty_timer: bool = False
    urgent: bool = False

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

    def wire_view(self, seat: str) -> tuple[dict[str, Any], TextPool]:
        """The seat's view as sent on the wire: texts replaced by references into its pool."""
        pool = self.pools.get(seat)
        if pool is None:
            pool = self.pools[seat] = TextPool(self.scenario.deck_texts())
        view = pool.intern(view_for(self.state, seat))
        return view, pool

    def is_online(self, player: str) -> bool:
        return bool(self.player_conns.get(player))

    def team_members(self, team: str) -> list[Member]:
        return [m for m in self.members.values() if m.team == team]


def team_seat(team: str) -> str:
    return str(Seat.team(team))
