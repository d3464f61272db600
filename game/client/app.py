"""The client application: window, frame loop, scene stack, the session and its transport.

`run_client(argv)` opens the main menu. `App` can also run without a window
(`headless=True`, drawing to an off-screen surface): the tests drive several
`App`s in one process by calling `step()`. Which scene the session wants on top
is `routing`'s business; hosting, seats, progress and exports are `lessons`'.
"""

from __future__ import annotations

import argparse
import os
import time
from typing import Any

import pygame
import pygame_gui

from game.wire import Role

from . import i18n
from .lessons import Lessons
from .routing import Router
from .scenes.manager import SceneManager
from .seats import SeatBook
from .session import ClientSession
from .settings import Settings
from .solo import Solo
from .style import Fonts, TextCache, gui_theme, palette
from .transport import InProcessFactory, Transport, TransportFactory, WebSocketFactory

BASE_SIZE = (1280, 720)
FPS = 30
HOT_SECONDS = 0.35   # keep redrawing this long after input (button hover fades)
IDLE_AFTER = 0.2     # seconds without input or redraw before the loop sleeps on the event queue
IDLE_WAIT_MS = 100   # the longest sleep: network messages and the clock are picked up within this


class App:
    """Everything a scene may reach: settings, palette, fonts, UI manager, session, transport,
    `router` (which scene is on top) and `lessons` (opening lessons, seats, exports)."""

    def __init__(self, settings: Settings | None = None, size: tuple[int, int] = BASE_SIZE,
                 headless: bool = False, save_settings: bool = True,
                 transport_factory: TransportFactory | None = None,
                 solo_factory: InProcessFactory | None = None) -> None:
        """`transport_factory` opens the connections and hosts the teacher's lesson (default: websockets,
        the server on game.wire.DEFAULT_PORT with the user's lesson database, announced on the LAN);
        `solo_factory` serves solo games (default: an in-process server on the user's solo database);
        `save_settings=False` keeps settings, saved seats and the saved solo games' list in memory only."""
        if not pygame.display.get_init():
            pygame.display.init()  # not pygame.init(): sound is off, and an audio device may not exist
        if not pygame.font.get_init():
            pygame.font.init()
        self.settings = settings or Settings.load()
        self.save_settings = save_settings
        self.transport_factory: TransportFactory = transport_factory or WebSocketFactory()
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
        self.transport: Transport | None = None
        self.router = Router(self)
        self.lessons = Lessons(self, self.transport_factory, SeatBook.default() if save_settings else SeatBook(None))
        self.solo = Solo(self, solo_factory)
        self.running = True
        self._seen_version = -1
        self._hot_until = 0.0
        self.frame_times: list[float] = []
        self._last_active = 0.0
        self._gui_dt = 0.0
        self.clock = pygame.time.Clock()
        self.toast: tuple[str, float, bool] | None = None   # (text, shown until (monotonic), is an error)

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
    def connect(self, role: str, address: str, hello: dict,
                transports: TransportFactory | None = None) -> ClientSession:
        """Open a session: a transport to `address` with `hello` as its first message (the lesson
        screens go through `self.lessons`, which also remembers the seat). `transports` opens it
        instead of the app's factory (a solo game's player seat; any other session ends solo play)."""
        if transports is None:
            self.solo.close_game()
        self._close_session()
        self.session = ClientSession(role, address)
        self.transport = (transports or self.transport_factory)(address, hello)
        self._seen_version = -1
        return self.session

    def notify(self, text: str, seconds: float = 10.0, error: bool = False) -> None:
        """A banner over every scene for a few seconds (e.g. where the export was saved)."""
        self.toast = (text, time.monotonic() + seconds, error)
        if self.scenes.top is not None:
            self.scenes.top.dirty = True

    def send(self, type_: str, **fields: Any) -> int | None:
        return self.transport.send(type_, **fields) if self.transport is not None else None

    def disconnect(self) -> None:
        """Leave the session on the screen (a solo game too: it stays saved)."""
        self.solo.close_game()
        self._close_session()

    def _close_session(self) -> None:
        if self.transport is not None:
            self.transport.close()
        self.transport = None
        self.session = None
        self.router.reset()

    def leave_to_menu(self) -> None:
        from .scenes.menu import MenuScene

        self.disconnect()
        self.scenes.reset(MenuScene(self))

    def shutdown(self) -> None:
        self.disconnect()
        self.lessons.stop()
        self.solo.stop()

    # -- the frame ---------------------------------------------------------------------
    def step(self, events: list[pygame.event.Event] | None = None, dt: float = 1 / FPS) -> bool:
        """One frame: input, network, update, draw if anything changed. Returns True if drawn."""
        now = time.monotonic()
        events = events or []
        self.solo.poll()
        self._receive()
        if self.session is not None and self.session.closing == "kicked" and self.session.role == Role.PLAYER:
            self.leave_to_menu()     # the teacher removed this player: back to the menu, and say so
            self.notify(i18n.tr("net.kicked"), 15, error=True)
        self.lessons.finish_background()
        if self.toast is not None and now > self.toast[1]:
            self.toast = None
            if self.scenes.top is not None:
                self.scenes.top.dirty = True
        if self.session is not None and self.session.version != self._seen_version:
            self._seen_version = self.session.version
            self.lessons.note_progress()
            self.router.route()
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

    def _receive(self) -> None:
        """Fold what the transport received into the session (and let the lessons note it)."""
        if self.transport is None or self.session is None:
            return
        for msg in self.transport.poll():
            self.session.handle(msg)
            if not self.lessons.on_message(msg):
                return  # the session was replaced: the rest of the batch was the old one's
            if self.session is None or self.transport is None:
                return  # a message left the session (back to the menu): nothing more to fold
        if self.session.needs_full_view:
            self.session.needs_full_view = False
            if self.session.resume_token:
                self.transport.send("resume", token=self.session.resume_token)

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
