"""Finding lessons on the LAN: a zeroconf browser for `_crossroads._tcp.local.`.

A server announces itself and, since the announcement describes them (`server.announce.
lesson_properties`), the lessons open on it: `LanBrowser.found()` gives one `FoundSession`
per lesson. An older server's announcement has no lessons: it is listed once, by the
machine's name, with no code.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

SERVICE = "_crossroads._tcp.local."
_SEP = "\x1f"


@dataclass(frozen=True)
class FoundSession:
    name: str             # the machine's announced name ("Crossroads – <hostname>")
    address: str          # "host:port"
    code: str | None      # the lesson's join code (None: an older server that does not say)
    scenario: str | None
    title: dict[str, str] = field(default_factory=dict)   # the scenario's title, {"pl", "en"}
    teacher: str = ""
    started: float | None = None                          # when the lesson was created (unix seconds)


def parse_lessons(props: dict[str, str]) -> list[dict]:
    """The lessons an announcement's TXT properties describe (`l0`, `l1`, …), as dicts with
    `code`, `started`, `title` and `teacher`; [] for an older server's announcement."""
    out = []
    for i in range(16):
        raw = props.get(f"l{i}")
        if raw is None:
            break
        parts = [*raw.split(_SEP), "", "", "", "", ""][:5]
        code, created, pl, en, teacher = parts
        if not code:
            continue
        try:
            started: float | None = float(created)
        except ValueError:
            started = None
        out.append({"code": code, "started": started, "title": {k: v for k, v in (("pl", pl), ("en", en)) if v},
                    "teacher": teacher})
    return out


def sessions_of(service: str, address: str, props: dict[str, str]) -> list[FoundSession]:
    """The `FoundSession`s of one announcement: one per lesson, or the server alone (older servers)."""
    label = props.get("name") or service.removesuffix("." + SERVICE)
    lessons = parse_lessons(props)
    if not lessons:
        return [FoundSession(label, address, props.get("code"), props.get("scenario"))]
    return [FoundSession(label, address, lesson["code"], None, lesson["title"], lesson["teacher"],
                         lesson["started"]) for lesson in lessons]


class LanBrowser:
    """Browses in zeroconf's own threads; `found()` is safe to call every frame."""

    def __init__(self) -> None:
        self._found: dict[str, list[FoundSession]] = {}
        self._lock = threading.Lock()
        self._zc = None
        self._browser = None
        self.error: str | None = None
        self.version = 0

    def start(self) -> LanBrowser:
        try:
            from zeroconf import ServiceBrowser, Zeroconf

            self._zc = Zeroconf()
            self._browser = ServiceBrowser(self._zc, SERVICE, handlers=[self._on_change])
        except Exception as e:  # no multicast on this network: typing the address still works
            self.error = str(e)
        return self

    def _on_change(self, zeroconf, service_type: str, name: str, state_change) -> None:
        from zeroconf import ServiceStateChange

        if state_change is ServiceStateChange.Removed:
            with self._lock:
                self._found.pop(name, None)
                self.version += 1
            return
        try:
            info = zeroconf.get_service_info(service_type, name, timeout=1500)
        except Exception:
            info = None
        if info is None:
            return
        addrs = info.parsed_addresses()
        if not addrs:
            return
        props = {(k.decode() if isinstance(k, bytes) else k): (v.decode() if isinstance(v, bytes) else v)
                 for k, v in (info.properties or {}).items()}
        with self._lock:
            self._found[name] = sessions_of(name, f"{addrs[0]}:{info.port}", props)
            self.version += 1

    def found(self) -> list[FoundSession]:
        """Every lesson found, the newest first (servers that do not describe theirs last)."""
        with self._lock:
            every = [f for lst in self._found.values() for f in lst]
        return sorted(every, key=lambda f: (f.started is None, -(f.started or 0), f.name))

    def stop(self) -> None:
        zc, self._zc = self._zc, None
        if zc is not None:
            threading.Thread(target=zc.close, daemon=True).start()


class StaticBrowser:
    """A fixed list of found lessons in `LanBrowser`'s shape (screenshots, tests, a network without multicast)."""

    def __init__(self, found: list[FoundSession]) -> None:
        self._found, self.version, self.error = list(found), 1, None

    def found(self) -> list[FoundSession]:
        return list(self._found)

    def stop(self) -> None:
        pass
