"""The client application: window, frame loop, scene stack, session routing.

`run_client(argv)` opens the main menu. `App` can also run without a window
(`headless=True`, drawing to an off-screen surface): the tests drive several
`App`s in one process by calling `step()`.
"""

from __future__ import annotations

import argparse
import os
import queue
import time
from typing import Any

import pygame
import pygame_gui

from game.wire import DEFAULT_PORT, ErrorCode

from . import i18n
from .hosting import EmbeddedServer
from .net import NetClient, url_for
from .scenes.manager import SceneManager
from .seats import SavedSeat, SeatBook
from .session import ClientSession
from .settings import Settings
from .style import Fonts, TextCache, gui_theme, palette

BASE_SIZE = (1280, 720)
FPS = 30
HOT_SECONDS = 0.35   # keep redrawing this long after input (button hover fades)
IDLE_AFTER = 0.2     # seconds without input or redraw before the loop sleeps on the event queue
IDLE_WAIT_MS = 100   # the longest sleep: network messages and the clock are picked up within this


class App:
    """Everything a scene may reach: settings, palette, fonts, UI manager, session, network."""

    def __init__(self, settings: Settings | None = None, size: tuple[int, int] = BASE_SIZE,
                 headless: bool = False, save_settings: bool = True) -> None:
        if not pygame.display.get_init():
            pygame.display.init()  # not pygame.init(): sound is off, and an audio device may not exist
        if not pygame.font.get_init():
            pygame.font.init()
        self.settings = settings or Settings.load()
        self.save_settings = save_settings
        self.seats = SeatBook.default() if save_settings else SeatBook(None)
        self._fallback: dict | None = None  # the hello to send if resuming a saved seat fails
        self.headless = headless
        i18n.set_language(self.settings.language)
        self.size = size
        if headless:
            self.screen = pygame.Surface(size)
        else:
            flags = pygame.FULLSCREEN if self.settings.fullscreen else 0
            self.screen = pygame.display.set_mode((0, 0) if flags else size, flags)
            self.size = self.screen.get_size()
            pygame.display.set_caption(i18n.tr("app.title"))
            self._fit_window()
        self.fonts = Fonts()
        self.text = TextCache(self.fonts)
        self.palette = palette(self.settings.colourblind)
        self.ui = self._make_ui()
        self.scenes = SceneManager()
        self.session: ClientSession | None = None
        self.net: NetClient | None = None
        self.server: EmbeddedServer | None = None
        self.host_projector = False
        self.scenario_files: list[str] = []     # scenario files offered besides the built-in ones
        self.host_overrides: dict[str, Any] = {}  # e.g. {"port": 0, "db": …} for tests
        self.running = True
        self._seen_version = -1
        self._hot_until = 0.0
        self.frame_times: list[float] = []
        self._last_active = 0.0
        self._gui_dt = 0.0
        self.clock = pygame.time.Clock()
        self.toast: tuple[str, float, bool] | None = None   # (text, shown until (monotonic), is an error)
        self.exported: list[str] = []                      # paths written by "Export lesson", newest last
        self._done: queue.Queue[tuple] = queue.Queue()     # background work (export files) reporting back

    # -- settings that rebuild the UI ----------------------------------------------------
    @property
    def scale(self) -> float:
        """The UI scale in use: the chosen one, as far as the window allows (the layouts are designed
        for 1280x720 at 1x; a 1920x1080 screen takes 1.5x; a small window caps it)."""
        w, h = self.size
        fit = max(1.0, min(w / 1100, h / 640))
        return min(float(self.settings.scale), fit)

    def _make_ui(self) -> pygame_gui.UIManager:
        ui = pygame_gui.UIManager(self.size, gui_theme(self.settings.colourblind, self.scale),
                                  starting_language="pl" if self.settings.language == "pl" else "en")
        return ui  # the theme's fonts are loaded with the theme

    def apply_settings(self, language_only: bool = False) -> None:
        """Apply changed settings now: language, palette, scale, fullscreen — no restart."""
        i18n.set_language(self.settings.language)
        if not language_only:
            self.palette = palette(self.settings.colourblind)
            self._fit_window()
            for scene in self.scenes.stack:
                scene.clear()
            self.ui = self._make_ui()
        if not self.headless:
            pygame.display.set_caption(i18n.tr("app.title"))
        if self.save_settings:
            self.settings.save()
        top = self.scenes.top
        if top is not None:
            top.resume()

    def _fit_window(self) -> None:
        """In a window, grow it (up to the desktop) so the chosen UI scale fits."""
        if self.headless or self.settings.fullscreen:
            return
        want = (round(BASE_SIZE[0] * self.settings.scale), round(BASE_SIZE[1] * self.settings.scale))
        try:
            dw, dh = pygame.display.get_desktop_sizes()[0]
        except (pygame.error, IndexError):
            dw, dh = want
        size = (min(want[0], dw), min(want[1], dh))
        if size != self.size:
            self.screen = pygame.display.set_mode(size)
            self.size = self.screen.get_size()

    def set_fullscreen(self, on: bool) -> None:
        self.settings.fullscreen = on
        if not self.headless:
            self.screen = pygame.display.set_mode((0, 0) if on else BASE_SIZE, pygame.FULLSCREEN if on else 0)
            self.size = self.screen.get_size()
        self.apply_settings()

    # -- sessions ----------------------------------------------------------------------
    def connect(self, role: str, address: str, hello: dict, fallback: dict | None = None) -> ClientSession:
        """Open a session: start the network thread with `hello` as the first message.

        `fallback` is sent instead (on a new connection) if `hello` resumes a saved seat
        that the server no longer knows.
        """
        self.disconnect()
        self.session = ClientSession(role, address)
        self.net = NetClient(url_for(address), hello)
        self._seen_version = -1
        self._fallback = fallback
        return self.session

    def resume_seat(self, seat: SavedSeat, fallback: dict | None = None, **host_options: Any) -> ClientSession:
        """Take a saved seat again: the teacher's lesson (starting the in-process server on
        its database first) or a student's place in a lesson."""
        address = seat.address
        if seat.role == "host" and self.server is None:
            self.start_server(**host_options)
            address = f"127.0.0.1:{self.server.port}"  # type: ignore[union-attr]
        return self.connect(seat.role, address, {"type": "resume", "token": seat.token}, fallback)

    def _remember_seat(self) -> None:
        sess = self.session
        if sess is None or not sess.code or not sess.resume_token or sess.role not in ("host", "player"):
            return
        title = sess.scenario_info.get("title") or {}
        self.seats.remember(SavedSeat(code=sess.code, role=sess.role, token=sess.resume_token,
                                      address=sess.address, name=sess.name, title=dict(title)))

    def _note_progress(self) -> None:
        """Keep the saved seat's stage (lobby, turn n of N, ended) for the saved-lessons list."""
        sess = self.session
        if sess is None or not sess.code or sess.role not in ("host", "player"):
            return
        view = sess.view or {}
        if sess.info.get("status") == "ended" or view.get("phase") == "ended":
            stage = "ended"
        elif sess.info.get("started"):
            stage = "playing"
        else:
            stage = "lobby"
        turn = int(view.get("turn") or 0) if stage != "lobby" else 0
        self.seats.progress(sess.code, sess.role, stage, turn, int(view.get("turn_count") or 0))

    def _resume_refused(self, msg: dict) -> None:
        """A saved seat the server does not know (kicked, or another server): forget it."""
        sess = self.session
        if sess is None:
            return
        seat = next((s for s in self.seats.seats if s.token == getattr(self.net, "hello", {}).get("token")), None)
        if seat is not None:
            self.seats.forget(seat.code, seat.role)
        fallback, self._fallback = self._fallback, None
        if fallback is not None:
            self.connect(sess.role, sess.address, fallback)
        else:
            self.leave_to_menu()
            self.notify(i18n.tr("net.seat_gone"), 12, error=True)

    def host_lesson(self, options: dict, port: int = DEFAULT_PORT, db: str | None = None,
                    address: str | None = None, announce: bool = True,
                    scenario_files: list[str] | None = None) -> ClientSession:
        """Start the in-process server (unless `address` names a running one) and create a session."""
        if address is None:
            self.start_server(port, db, announce, scenario_files)
            address = f"127.0.0.1:{self.server.port}"  # type: ignore[union-attr]
        return self.connect("host", address, {"type": "create_session", **options})

    def start_server(self, port: int = DEFAULT_PORT, db: str | None = None, announce: bool = True,
                     scenario_files: list[str] | None = None) -> None:
        """Start the in-process classroom server (once); it restores every saved lesson of its database."""
        if self.server is None:
            self.server = EmbeddedServer("0.0.0.0", port, db, announce, scenario_files).start()
            if self.server.error is not None:
                err = self.server.error
                self.server = None
                raise RuntimeError(str(err))

    def notify(self, text: str, seconds: float = 10.0, error: bool = False) -> None:
        """A banner over every scene for a few seconds (e.g. where the export was saved)."""
        self.toast = (text, time.monotonic() + seconds, error)
        if self.scenes.top is not None:
            self.scenes.top.dirty = True

    def request_export(self) -> int | None:
        """Ask the server for the lesson's export; the reply is saved when it arrives (see `step`)."""
        rid = self.send("export")
        if rid is not None:
            self.notify(i18n.tr("export.waiting"), 30)
        return rid

    def _save_export(self, msg: dict) -> None:
        from .exporter import save_export

        code = self.session.code if self.session else None
        save_export(msg["data"], code, lambda path, err: self._done.put(("export", path, err)))

    def _finish_background(self) -> None:
        while True:
            try:
                kind, path, err = self._done.get_nowait()
            except queue.Empty:
                return
            if kind == "export":
                if path is not None:
                    self.exported.append(str(path))
                    self.notify(i18n.tr("export.saved", path=str(path)), 15)
                else:
                    self.notify(i18n.tr("export.failed", error=err or "?"), 15, error=True)

    def send(self, type_: str, **fields: Any) -> int | None:
        return self.net.send(type_, **fields) if self.net is not None else None

    def disconnect(self) -> None:
        if self.net is not None:
            self.net.close()
        self.net = None
        self.session = None
        self.host_projector = False

    def leave_to_menu(self) -> None:
        from .scenes.menu import MenuScene

        self.disconnect()
        self.scenes.reset(MenuScene(self))

    def shutdown(self) -> None:
        self.disconnect()
        if self.server is not None:
            self.server.stop()
            self.server = None

    # -- routing: the session decides which game screen is on top ------------------------
    def desired_scene(self) -> tuple[str, type] | None:
        sess = self.session
        if sess is None or (sess.view is None and sess.members is None):
            return None
        from .scenes.debrief import DebriefScene
        from .scenes.game import GameScene
        from .scenes.host_panel import HostPanelScene
        from .scenes.lobby import LobbyScene
        from .scenes.outcome import OutcomeScene
        from .scenes.projector import ProjectorScene

        phase = sess.phase
        if phase == "ended":
            return ("ended", ProjectorScene if sess.role == "projector" or self.host_projector else DebriefScene)
        if not sess.started:
            return ("lobby", LobbyScene)
        if sess.role == "projector" or (sess.role == "host" and self.host_projector):
            return ("projector", ProjectorScene)
        if phase == "outcome":
            return ("outcome", OutcomeScene)
        if sess.role == "host":
            return ("game", HostPanelScene)
        return ("game", GameScene)

    def route(self) -> None:
        want = self.desired_scene()
        top = self.scenes.top
        if want is None or top is None:
            return
        kind, cls = want
        if top.routed:
            if top.kind != kind or type(top) is not cls:
                self.scenes.replace(cls(self))
        elif getattr(top, "follows_session", False):
            self.scenes.replace(cls(self))

    # -- the frame ---------------------------------------------------------------------
    def step(self, events: list[pygame.event.Event] | None = None, dt: float = 1 / FPS) -> bool:
        """One frame: input, network, update, draw if anything changed. Returns True if drawn."""
        now = time.monotonic()
        events = events or []
        if self.net is not None and self.session is not None:
            for msg in self.net.poll():
                self.session.handle(msg)
                if msg.get("type") in ("joined", "session_created", "resumed") and self.session.resume_token:
                    self.net.resume_token = self.session.resume_token
                    self._fallback = None
                    self._remember_seat()
                refused = msg.get("code") == ErrorCode.BAD_TOKEN or (
                    msg.get("code") == "msg/bad_field" and msg.get("field") == "token")
                if (msg.get("type") == "error" and refused
                        and getattr(self.net, "hello", {}).get("type") == "resume"):
                    self._resume_refused(msg)
                    break
                if msg.get("type") == "export" and isinstance(msg.get("data"), dict):
                    self._save_export(msg)
            if self.session.needs_full_view:
                self.session.needs_full_view = False
                if self.session.resume_token:
                    self.net.send("resume", token=self.session.resume_token)
        if self.session is not None and self.session.closing == "kicked" and self.session.role == "player":
            self.leave_to_menu()     # the teacher removed this player: back to the menu, and say so
            self.notify(i18n.tr("net.kicked"), 15, error=True)
        self._finish_background()
        if self.toast is not None and now > self.toast[1]:
            self.toast = None
            if self.scenes.top is not None:
                self.scenes.top.dirty = True
        if self.session is not None and self.session.version != self._seen_version:
            self._seen_version = self.session.version
            self._note_progress()
            self.route()
            if self.scenes.top is not None:
                self.scenes.top.on_session_change()
        scene = self.scenes.top
        for event in events:
            if event.type == pygame.QUIT:
                self.running = False
                continue
            self._hot_until = now + HOT_SECONDS
            if event.type == pygame.KEYDOWN and event.key in (pygame.K_F2, pygame.K_F11):
                # anywhere, mid-game included: F2 switches the language, F11 full screen
                if event.key == pygame.K_F2:
                    self.settings.language = "en" if self.settings.language == "pl" else "pl"
                    self.apply_settings(language_only=True)
                else:
                    self.set_fullscreen(not self.settings.fullscreen)
                continue
            consumed = self.ui.process_events(event)
            scene = self.scenes.top
            if scene is not None and (not consumed or event.type >= pygame.USEREVENT or
                                      (event.type == pygame.KEYDOWN and event.key in (pygame.K_TAB, pygame.K_ESCAPE))):
                scene.process_event(event)
        scene = self.scenes.top
        if scene is not None:
            scene.update(dt)
        # pygame_gui only needs time while something moves (hover, clicks, a blinking text cursor)
        self._gui_dt += dt
        if events or now < self._hot_until or (scene is not None and (scene.dirty or scene.gui_ticks)):
            self.ui.update(self._gui_dt)
            self._gui_dt = 0.0
        if scene is None or not (scene.dirty or now < self._hot_until):
            return False
        t0 = time.perf_counter()
        scene.draw(self.screen)
        self.ui.draw_ui(self.screen)
        scene.dirty = False
        self.frame_times.append(time.perf_counter() - t0)
        if len(self.frame_times) > 2000:
            del self.frame_times[:1000]
        if not self.headless:
            pygame.display.flip()
        return True

    def loop_once(self) -> bool:
        """One iteration of the interactive loop: at most 30 frames a second while something happens;
        when idle, sleep on the event queue (up to 100 ms) instead of spinning. Returns True if drawn."""
        now = time.monotonic()
        if now - self._last_active > IDLE_AFTER and not (self.scenes.top and self.scenes.top.dirty):
            # sleep in short naps until input arrives (SDL's own wait polls under some video drivers)
            deadline = now + IDLE_WAIT_MS / 1000
            while not pygame.event.peek() and time.monotonic() < deadline:
                time.sleep(0.025)
            events = pygame.event.get()
            dt = self.clock.tick() / 1000
        else:
            dt = self.clock.tick(FPS) / 1000
            events = pygame.event.get()
        drawn = self.step(events, dt)
        if events or drawn:
            self._last_active = time.monotonic()
        return drawn

    def run(self) -> None:
        """The interactive loop (30 frames a second at most; idle frames skip drawing)."""
        from .scenes.menu import MenuScene

        if self.scenes.top is None:
            self.scenes.push(MenuScene(self))
        try:
            while self.running and self.scenes.top is not None:
                self.loop_once()
        finally:
            self.shutdown()
            pygame.quit()


def run_client(argv: list[str] | None = None) -> int:
    """Open the client's main menu (what `crossroads` does with no subcommand)."""
    parser = argparse.ArgumentParser(prog="crossroads", description="Crossroads 1917–1922")
    parser.add_argument("--lang", choices=("pl", "en"))
    parser.add_argument("--scale", type=float)
    parser.add_argument("--fullscreen", action="store_true")
    parser.add_argument("--join", metavar="ADDRESS", help="open the join screen with this server address")
    args = parser.parse_args(argv or [])
    os.environ.setdefault("SDL_VIDEO_CENTERED", "1")
    settings = Settings.load()
    if args.lang:
        settings.language = args.lang
    if args.scale:
        settings.scale = max(1.0, min(2.0, args.scale))
    if args.fullscreen:
        settings.fullscreen = True
    if args.join:
        settings.last_address = args.join
    app = App(settings)
    from server.app import tune_gc

    tune_gc()  # no 100 ms collector pauses in the frames (or in the lesson this game may host)
    app.run()
    return 0
