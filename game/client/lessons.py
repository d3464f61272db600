"""Lessons as the client keeps them: hosting, joining and resuming, saved seats, progress, exports.

`Lessons` is what the menu, host setup, join and saved-lessons screens call to open
a lesson; `App` feeds it every server message (`on_message`) so that it can
remember the seat the server gave (to resume it from the saved-lessons list), note
how far the lesson went, forget a seat the server no longer knows, and save the
lesson's export to a file when it arrives.
"""

from __future__ import annotations

import queue
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from game.wire import ErrorCode, Phase, Role, SessionStatus

from . import i18n
from .errand import Errand
from .seats import SavedSeat, SeatBook
from .transport.base import SEAT_REPLIES, TransportFactory

if TYPE_CHECKING:
    from .app import App
    from .session import ClientSession


def _refuses_token(msg: dict) -> bool:
    """The server's answer to a `resume` with a token it does not know."""
    if msg.get("type") != "error":
        return False
    # "msg/bad_field" on the token: not in game.wire.ErrorCode (a malformed token, e.g. from an older server)
    return msg.get("code") == ErrorCode.BAD_TOKEN or (msg.get("code") == "msg/bad_field"
                                                      and msg.get("field") == "token")


class Lessons:
    """Opening lessons through the app's transport factory, and what the client remembers of them."""

    def __init__(self, app: App, transports: TransportFactory, seats: SeatBook) -> None:
        self.app = app
        self.transports = transports
        self.seats = seats
        self.exported: list[str] = []                       # paths written by "Export lesson", newest last
        self._hello: dict | None = None                     # the first message of the open session
        self._fallback: dict | None = None                  # the hello to send if resuming a saved seat fails
        self._done: queue.Queue[tuple[str, Any, Any]] = queue.Queue()  # export files reporting back

    @property
    def scenario_files(self) -> Sequence[str]:
        """Scenario files the teacher's server offers besides the built-in ones."""
        return self.transports.scenario_files

    # -- opening lessons -----------------------------------------------------------------
    def open(self, role: str, address: str, hello: dict, fallback: dict | None = None) -> ClientSession:
        """Connect to `address` as `role`, sending `hello` (join, watch, resume); `fallback` is sent
        instead (on a new connection) if `hello` resumes a saved seat the server no longer knows."""
        session = self.app.connect(role, address, hello)
        self._hello, self._fallback = hello, fallback
        return session

    def host(self, options: dict) -> ClientSession:
        """Start this machine's lesson server (once) and create a lesson on it with `options`.
        Raises `HostingError` if the server cannot start."""
        address = self.transports.host()
        options = dict(options)
        fill_bots = options.pop("fill_bots", None)   # sent with `start`, when the class has joined
        session = self.open(Role.HOST, address, {"type": "create_session", **options})
        session.fill_bots = fill_bots
        return session

    def next_in_campaign_scenario(self) -> str | None:
        """The scenario of the campaign's next lesson, when this is the host of an ended campaign lesson
        that has one (else None)."""
        sess = self.app.session
        if sess is None or sess.role != Role.HOST or not sess.resume_token:
            return None
        camp = sess.config.get("campaign") or {}
        if not camp or (sess.view or {}).get("phase") != "ended":
            return None
        from game.campaign import builtin_campaign, builtin_campaign_ids

        if camp.get("id") not in builtin_campaign_ids():
            return None
        steps = builtin_campaign(camp["id"]).steps
        nxt = int(camp.get("step", 0)) + 1
        return steps[nxt].scenario if nxt < len(steps) else None

    def next_in_campaign(self) -> ClientSession | None:
        """Create the campaign's next lesson on this machine's server, carrying this one's end (same
        language, clock and team forming); it opens its lobby. None if there is no next lesson."""
        scenario = self.next_in_campaign_scenario()
        sess = self.app.session
        if scenario is None or sess is None:
            return None
        config = sess.config
        options = {"scenario": scenario, "campaign": config["campaign"]["id"], "campaign_from": sess.resume_token,
                   "lang": config.get("lang", "pl"),
                   "formation": config.get("formation", "free"), "one_screen": bool(config.get("one_screen")),
                   "teacher": config.get("teacher")}
        if config.get("timer") != "scenario":  # "scenario": the cards' own timers (the field left out)
            options["timer"] = config.get("timer")
        return self.host(options)

    def resume(self, seat: SavedSeat, fallback: dict | None = None) -> ClientSession:
        """Take a saved seat again: the teacher's lesson (starting this machine's server on its database
        first; it restores every saved lesson) or a student's place in a lesson."""
        address = self.transports.host() if seat.role == Role.HOST else seat.address
        return self.open(seat.role, address, {"type": "resume", "token": seat.token}, fallback)

    def duplicate(self, seat: SavedSeat) -> ClientSession:
        """A fresh start of a saved lesson on this machine's server: the same scenario and settings
        (teams, timers, formation), a new join code, no students and no votes; it opens its lobby.
        Raises `HostingError` if the server cannot start."""
        address = self.transports.host()
        return self.open(Role.HOST, address, {"type": "duplicate_session", "token": seat.token})

    def delete(self, seat: SavedSeat) -> LessonErrand:
        """Delete a saved lesson from this machine's server (students' seats, votes, log) and from the
        saved list. Poll the returned errand each frame (`poll()`) until it is `done`.
        Raises `HostingError` if the server cannot start."""
        address = self.transports.host()
        transport = self.transports(address, None)  # type: ignore[arg-type]  # no hello: one request
        return LessonErrand(transport, "delete_session", seat, self.seats)

    def fetch_export(self, seat: SavedSeat) -> LessonErrand:
        """Ask this machine's server for a saved lesson's export (to replay it); when the errand is
        `done`, its `result` is the export data (or its `error` says why not).
        Raises `HostingError` if the server cannot start."""
        address = self.transports.host()
        transport = self.transports(address, None)  # type: ignore[arg-type]
        return LessonErrand(transport, "saved_export", seat, self.seats)

    def request_export(self) -> int | None:
        """Ask the server for the lesson's export; the reply is saved to a file when it arrives."""
        rid = self.app.send("export")
        if rid is not None:
            self.app.notify(i18n.tr("export.waiting"), 30)
        return rid

    def stop(self) -> None:
        """Stop the lesson server this machine hosts, if any."""
        self.transports.stop()

    # -- what the server says --------------------------------------------------------------
    def on_message(self, msg: dict) -> bool:
        """Note one server message (already folded into the session). False if it ended the session
        (a saved seat refused): the rest of the batch belongs to a session that is gone."""
        sess = self.app.session
        if sess is None:
            return False
        if sess.solo:
            return True   # a solo game keeps its own list (game.client.solo)
        if msg.get("type") in SEAT_REPLIES and sess.resume_token:
            self._fallback = None
            self._remember_seat(sess)
        if _refuses_token(msg) and (self._hello or {}).get("type") == "resume":
            self._resume_refused(sess)
            return False
        if msg.get("type") == "export" and isinstance(msg.get("data"), dict):
            from .exporter import save_export

            save_export(msg["data"], sess.code, lambda path, err: self._done.put(("export", path, err)),
                        scenario_files=list(self.scenario_files))
        return True

    def note_progress(self) -> None:
        """Keep the saved seat's stage (lobby, turn n of N, ended) for the saved-lessons list."""
        sess = self.app.session
        if sess is None or not sess.code or sess.role not in (Role.HOST, Role.PLAYER) or sess.solo:
            return
        view = sess.view or {}
        if view.get("phase") == Phase.ENDED and (view.get("ending") or {}).get("early"):
            stage = "ended_early"  # stopped before the last turn: not "finished"
        elif view.get("phase") == Phase.ENDED or (sess.info.get("status") == SessionStatus.ENDED and not view):
            stage = "ended"
        elif sess.info.get("started"):
            stage = "playing"
        else:
            stage = "lobby"
        turn = int(view.get("turn") or 0) if stage != "lobby" else 0
        self.seats.progress(sess.code, sess.role, stage, turn, int(view.get("turn_count") or 0))

    def finish_background(self) -> None:
        """Report the export files written since the last frame (a notice with the path, or the error)."""
        while True:
            try:
                kind, path, err = self._done.get_nowait()
            except queue.Empty:
                return
            if kind == "export":
                if path is not None:
                    self.exported.append(str(path))
                    key = "report.saved" if str(path).endswith(".html") else "export.saved"
                    self.app.notify(i18n.tr(key, path=str(path)), 15)
                else:
                    self.app.notify(i18n.tr("export.failed", error=err or "?"), 15, error=True)

    def _remember_seat(self, sess: ClientSession) -> None:
        if not sess.code or not sess.resume_token or sess.role not in (Role.HOST, Role.PLAYER):
            return
        title = sess.scenario_info.get("title") or {}
        self.seats.remember(SavedSeat(code=sess.code, role=sess.role, token=sess.resume_token,
                                      address=sess.address, name=sess.name, title=dict(title)))

    def _resume_refused(self, sess: ClientSession) -> None:
        """A saved seat the server does not know (kicked, or another server): forget it, and join
        anew with the fallback if there is one."""
        token = (self._hello or {}).get("token")
        seat = next((s for s in self.seats.seats if s.token == token), None)
        if seat is not None:
            self.seats.forget(seat.code, seat.role)
        fallback, self._fallback = self._fallback, None
        if fallback is not None:
            self.open(sess.role, sess.address, fallback)
        else:
            self.app.leave_to_menu()
            self.app.notify(i18n.tr("net.seat_gone"), 12, error=True)


class LessonErrand(Errand):
    """One request about a saved lesson on a connection of its own (not the app's session).

    `poll()` reads the reply; then `done` is True and `error` is None (done; `result` holds the
    reply's `data`, if any) or the server's message. A deleted lesson is forgotten here, and so
    is one the server no longer knows (deleted elsewhere, another server's database).
    """

    def __init__(self, transport: Any, kind: str, seat: SavedSeat, seats: SeatBook) -> None:
        self.seat, self.seats = seat, seats
        self.result: Any = None
        super().__init__(transport, kind, seat, token=seat.token)

    def answered(self, msg: dict[str, Any]) -> None:
        super().answered(msg)
        if self.error is None:
            self.result = msg.get("data")
        if self.kind == "delete_session" and (self.error is None or _refuses_token(msg)):
            self.error = None
            self.seats.forget(self.seat.code, self.seat.role)
        elif _refuses_token(msg):
            self.seats.forget(self.seat.code, self.seat.role)

    def timeout_message(self) -> str:
        return i18n.tr("net.offline")


