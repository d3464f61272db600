"""One lesson in memory: its game state, members, clock and pending changes.

Its connections are in ``links`` (``server.connections``) and what each seat was sent in
``views`` (``server.viewcache``).  The Master owns every ``Session`` and is the only code
that changes one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from game.engine import Event, GameState, Scenario
from game.wire import Role, Seat, SessionStatus, team_seat
from server.connections import Binding, Connections, ConnId
from server.store import MemberRecord, TimerRecord
from server.viewcache import ViewCache, scenario_zdict


def is_solo(config: dict[str, Any]) -> bool:
    """Whether a session's ``config`` is a solo game's (``create_session``'s ``solo``): it is never
    announced on the LAN and is listed apart from the class lessons. Older sessions are not."""
    return bool(config.get("solo", False))


@dataclass(slots=True)
class Member:
    """A seat in the session: a student's (kept while they are offline: they resume it), or a
    bot's (``bot`` is its level, ``player`` is ``b1``, ``b2``…; no token, never online or offline:
    it thinks in ``server.bots`` and votes through the same handlers as a student)."""

    player: str
    name: str
    team: str | None
    token_hash: str
    joined_at: float
    bot: str | None = None

    def record(self) -> MemberRecord:
        return MemberRecord(self.player, self.name, self.team, self.token_hash, self.joined_at, self.bot)


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
    status: SessionStatus = SessionStatus.OPEN
    started: bool = False
    timer: TimerRecord = field(default_factory=TimerRecord)
    members: dict[str, Member] = field(default_factory=dict)
    next_player: int = 1
    next_bot: int = 1
    links: Connections = field(default_factory=Connections)
    views: ViewCache = field(init=False)
    # changes not yet pushed
    pending_events: list[Event] = field(default_factory=list)
    # (server time, player, online): each time a member's last connection closed or its first opened,
    # since this process took the session up (for the teacher's report: who was away during a vote)
    presence: list[tuple[float, str, bool]] = field(default_factory=list)
    dirty_state: bool = False
    dirty_lobby: bool = False
    dirty_timer: bool = False
    # since the last push only votes changed (the teams that voted): rebuild just the engine's VOTE_KEYS
    votes_only: bool = False
    voted_teams: set[str] = field(default_factory=set)
    pushed_state: int | None = None  # the state_id of the last push

    def __post_init__(self) -> None:
        self.views = ViewCache(self.scenario)

    @property
    def teams(self) -> list[str]:
        """The teams students play in this session (a subset of the scenario's)."""
        return list(self.config["teams"])

    @property
    def zdict(self) -> bytes:
        return scenario_zdict(self.scenario)

    def present(self) -> dict[str, list[str]]:
        """Each playing team's members (online or not): who is expected to vote."""
        playing = set(self.config["teams"])
        out: dict[str, list[str]] = {}
        for m in self.members.values():
            if m.team is not None and m.team in playing:
                out.setdefault(m.team, []).append(m.player)
        return out

    def bot_of(self, team: str) -> Member | None:
        """The team's bot member, if it has one (a team has at most one)."""
        for m in self.members.values():
            if m.bot is not None and m.team == team:
                return m
        return None

    def students_in(self, team: str) -> list[Member]:
        return [m for m in self.members.values() if m.bot is None and m.team == team]

    def seat_for(self, binding: Binding) -> str:
        if binding.role == Role.HOST:
            return Seat.HOST
        if binding.role == Role.PLAYER and binding.player is not None:
            member = self.members.get(binding.player)
            if member is not None and member.team is not None:
                return team_seat(member.team)
        return Seat.PROJECTOR

    def bind(self, conn: ConnId, binding: Binding) -> None:
        """Seat ``conn`` (its seat follows from its role and its member's team now)."""
        binding.seat = self.seat_for(binding)
        self.links.add(conn, binding)

    def unbind(self, conn: ConnId) -> Binding | None:
        binding, emptied = self.links.remove(conn)
        if binding is not None and emptied:
            self.views.forget(binding.seat)
        return binding

    def is_online(self, player: str) -> bool:
        return self.links.is_online(player)
