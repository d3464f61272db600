"""Which connections are in a session, and as what: bindings, seats, a player's connections."""

from __future__ import annotations

from dataclasses import dataclass, field

from game.wire import Role, Seat

ConnId = int


@dataclass(slots=True)
class Binding:
    """What a connection is, once it has joined, watched, created or resumed."""

    code: str
    role: Role
    player: str | None = None
    seat: str = Seat.PROJECTOR  # Seat.HOST, Seat.PROJECTOR or team_seat(team): whose view it gets
    accept: frozenset[str] | None = None  # the encodings it reads (server.protocol.ENCODINGS); None: all


@dataclass(slots=True)
class Connections:
    """A session's connections: each one's binding, the connections of each seat (they share
    its view) and of each player (a student may be connected twice)."""

    bindings: dict[ConnId, Binding] = field(default_factory=dict)
    seats: dict[str, set[ConnId]] = field(default_factory=dict)
    players: dict[str, set[ConnId]] = field(default_factory=dict)

    def add(self, conn: ConnId, binding: Binding) -> None:
        self.bindings[conn] = binding
        self.seats.setdefault(binding.seat, set()).add(conn)
        if binding.player is not None:
            self.players.setdefault(binding.player, set()).add(conn)

    def remove(self, conn: ConnId) -> tuple[Binding | None, bool]:
        """Take ``conn`` out: (its binding or None, whether its seat has no connection left)."""
        binding = self.bindings.pop(conn, None)
        if binding is None:
            return None, False
        emptied = False
        conns = self.seats.get(binding.seat)
        if conns is not None:
            conns.discard(conn)
            if not conns:
                del self.seats[binding.seat]
                emptied = True
        if binding.player is not None:
            pc = self.players.get(binding.player)
            if pc is not None:
                pc.discard(conn)
                if not pc:
                    del self.players[binding.player]
        return binding, emptied

    def of_player(self, player: str) -> tuple[ConnId, ...]:
        return tuple(self.players.get(player, ()))

    def is_online(self, player: str) -> bool:
        return bool(self.players.get(player))

    def everyone(self) -> tuple[ConnId, ...]:
        return tuple(self.bindings)
