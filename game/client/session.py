"""What the client knows about its session: seat, latest view, lobby, timer.

`ClientSession.handle(msg)` folds one server message in; `version` grows with
every change so scenes know when to redraw. The session never talks to the
network itself: `App` feeds it what its transport's `poll` returned.
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any

from game.textpool import expand
from game.wire import PatchError, Phase, Role, apply_patch, expand_view

from .errors import ViewOutOfStep


def _patched(wire: dict, patch: Any) -> dict:
    """`wire` with an `update`'s patch applied; raises `ViewOutOfStep` (wrapping the wire's
    `PatchError`) if the patch does not fit the view held."""
    try:
        return apply_patch(wire, patch)
    except PatchError as exc:
        raise ViewOutOfStep(str(exc)) from exc


class ClientSession:
    def __init__(self, role: str, address: str = "") -> None:
        self.role = role                      # "host" | "player" | "projector"
        self.solo = False                     # the player's seat of a solo game (game.client.solo)
        self.fill_bots: str | None = None     # host: the bots' level for teams left empty at `start`
        self.address = address
        self.code: str | None = None
        self.player: str | None = None
        self.name: str | None = None
        self.team: str | None = None
        self.resume_token: str | None = None
        self.carried_read = False  # the campaign's "carried over" notes were read (scenes.game)
        self.view: dict | None = None      # expanded: what the scenes read
        self.wire: dict | None = None      # as received and patched: what `update` patches apply to
        self.state_id: int | None = None
        self.members: Any = None
        self.teams: Any = None
        self.info: dict = {}
        self.deadline_ms: int | None = None
        self._deadline_at: float | None = None
        self.paused = False
        self.timer_ends: str | None = None
        self.status = "connecting"
        self.errors: deque[dict] = deque(maxlen=5)
        self.events: deque[dict] = deque(maxlen=50)
        self.closing: str | None = None
        self.needs_full_view = False
        self.exports: deque[dict] = deque(maxlen=4)   # host: `export` replies not yet saved
        self.renamed: dict[int, str] = {}             # host: request id → the name the server gave
        self.version = 0

    # -- folding messages in ---------------------------------------------------------
    def handle(self, msg: dict) -> None:
        kind = msg.get("type")
        handler = getattr(self, f"_on_{kind}", None) if isinstance(kind, str) else None
        if handler is not None:
            handler(msg)
            self.version += 1

    def _on__net(self, msg: dict) -> None:
        self.status = msg.get("status", self.status)

    def _seat(self, msg: dict) -> None:
        for key in ("code", "player", "name", "team", "resume_token"):
            if msg.get(key) is not None:
                setattr(self, key, msg[key])
        if msg.get("host_token"):
            self.resume_token = msg["host_token"]
            self.role = Role.HOST
        if msg.get("role") in tuple(Role):
            self.role = msg["role"]
        sess = msg.get("session")
        if isinstance(sess, dict):
            self._session_info(sess)
        elif isinstance(sess, str) and not self.code:
            self.code = sess

    _on_session_created = _seat
    _on_joined = _seat
    _on_watching = _seat
    _on_resumed = _seat

    def _session_info(self, sess: dict) -> None:
        self.info = {**self.info, **sess}
        if sess.get("code"):
            self.code = sess["code"]
        if "members" in sess:
            self.members = sess["members"]
        if "teams" in sess and sess["teams"] is not None:
            self.teams = sess["teams"]
        if "paused" in sess:
            self.paused = bool(sess["paused"])
        if "deadline_ms" in sess:
            self._set_deadline(sess["deadline_ms"])
        if isinstance(sess.get("timer"), dict):
            self._on_timer(sess["timer"])
        you = sess.get("you")
        if isinstance(you, dict):
            if you.get("role") in tuple(Role):
                self.role = you["role"]
            for key in ("player", "name"):
                if you.get(key):
                    setattr(self, key, you[key])
            if self.role == Role.PLAYER:
                self.team = you.get("team")

    def _on_view(self, msg: dict) -> None:
        wire = msg.get("view")
        if isinstance(wire, dict):
            self.wire = wire
            self.state_id = msg.get("state_id", wire.get("state_id"))
            view = self.view = {**expand_view(wire), "state_id": self.state_id}  # the message carries it
            self.needs_full_view = False
            if isinstance(msg.get("session"), dict):
                self._session_info(msg["session"])
            elif isinstance(view.get("session"), dict):
                self._session_info(view["session"])
            self._track_team()

    def _on_update(self, msg: dict) -> None:
        if self.wire is None:
            self.needs_full_view = True
            return
        base = msg.get("base")
        if base is not None and self.state_id is not None and base != self.state_id:
            self.needs_full_view = True
            return
        try:
            self.wire = _patched(self.wire, msg.get("patch"))
        except ViewOutOfStep:
            self.needs_full_view = True
            return
        self.state_id = msg.get("state_id", self.state_id)
        self.view = {**expand_view(self.wire), "state_id": self.state_id}  # the message carries it
        texts = self.wire.get("texts") or {}
        self.events.extend(expand(e, texts) for e in msg.get("events") or [] if isinstance(e, dict))
        if isinstance(self.view.get("session"), dict):
            self._session_info(self.view["session"])
        self._track_team()

    def _on_lobby(self, msg: dict) -> None:
        if "members" in msg:
            self.members = msg["members"]
        if msg.get("teams") is not None:
            self.teams = msg["teams"]
        for key in ("started", "status", "paused"):
            if key in msg:
                self.info[key] = msg[key]
        self._track_team()

    def _on_timer(self, msg: dict) -> None:
        self.timer_ends = msg.get("ends")
        self._set_deadline(msg.get("remaining_ms", msg.get("deadline_ms")))
        if "paused" in msg:
            self.paused = bool(msg["paused"])

    def _on_export(self, msg: dict) -> None:
        if isinstance(msg.get("data"), dict):
            self.exports.append(msg)

    def _on_error(self, msg: dict) -> None:
        self.errors.append(msg)

    def _on_closing(self, msg: dict) -> None:
        self.closing = str(msg.get("reason") or "")

    def _set_deadline(self, ms: Any) -> None:
        self.deadline_ms = None if ms is None else int(ms)
        self._deadline_at = None if ms is None else time.monotonic() + int(ms) / 1000

    def _track_team(self) -> None:
        """Follow the host moving this player between teams."""
        if self.role != Role.PLAYER or not self.player:
            return
        for team, members in self.members_by_team().items():
            if any(m.get("player") == self.player for m in members):
                self.team = team or None
                return
        team_block = (self.view or {}).get("team")
        if isinstance(team_block, dict) and team_block.get("id"):
            self.team = team_block["id"]

    # -- queries ---------------------------------------------------------------------
    def time_left(self) -> float | None:
        """Seconds left on the vote clock (frozen while paused), or None when untimed."""
        if self._deadline_at is None:
            return None
        if self.paused:
            return max(0.0, (self.deadline_ms or 0) / 1000)
        return max(0.0, self._deadline_at - time.monotonic())

    @property
    def scenario_info(self) -> dict:
        """The scenario's public description (teams, tracks, controllers, turns)."""
        info = self.info.get("scenario")
        if isinstance(info, dict):
            return info
        sid = (self.view or {}).get("scenario")
        if sid:
            try:
                from game.scenarios import builtin_scenario
                self.info["scenario"] = builtin_scenario(sid).public_info()
                return self.info["scenario"]
            except Exception:
                pass
        return {}

    @property
    def config(self) -> dict:
        return self.info.get("config") or {}

    def members_by_team(self) -> dict[str, list[dict]]:
        """`{team_id or "": [{"player", "name", "connected"}, …]}` whatever shape the server sent."""
        raw = self.members
        out: dict[str, list[dict]] = {}
        if isinstance(raw, dict):
            for team, lst in raw.items():
                key = "" if team in (None, "", "none", "_none", "unassigned") else str(team)
                for m in lst or []:
                    out.setdefault(key, []).append(_member(m))
        elif isinstance(raw, list):
            for m in raw:
                mm = _member(m)
                out.setdefault(mm.get("team") or "", []).append(mm)
        return out

    @property
    def phase(self) -> str | None:
        return (self.view or {}).get("phase")

    @property
    def started(self) -> bool:
        """Has the host started the game (the lobby is over)?"""
        info_started = self.info.get("started")
        if info_started is not None:
            return bool(info_started)
        v = self.view or {}
        return v.get("phase") not in (None, Phase.BRIEFING, "lobby") or (v.get("turn") or 1) > 1 or bool(v.get("state_id"))

    def captain(self, team_id: str | None) -> str | None:
        """The player who captains `team_id` (the host sees every team's, a player their own)."""
        if not team_id:
            return None
        view = self.view or {}
        private = (view.get("teams_private") or {}).get(team_id)
        if isinstance(private, dict):
            return private.get("captain")
        team = view.get("team")
        if isinstance(team, dict) and team.get("id") == team_id:
            return team.get("captain")
        teams = view.get("teams")
        info = teams.get(team_id) if isinstance(teams, dict) else None
        return info.get("captain") if isinstance(info, dict) else None

    def team_name(self, team_id: str | None, pick) -> str:
        if not team_id:
            return ""
        teams = (self.view or {}).get("teams") or {}
        info = teams.get(team_id) if isinstance(teams, dict) else None
        if isinstance(info, dict) and info.get("name"):
            return pick(info["name"])
        return team_id


def _member(m: Any) -> dict:
    if isinstance(m, dict):
        d = dict(m)
        d.setdefault("player", d.get("id"))
        d.setdefault("name", d.get("player"))
        if d.get("bot"):  # a bot: named by its number and level in this client's language ("Bot 2 · Hard")
            from .widgets.bot_picker import bot_label

            d["name"] = bot_label(d["bot"], d.get("player"))
        return d
    return {"player": str(m), "name": str(m)}
