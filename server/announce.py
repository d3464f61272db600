"""Announce the server on the classroom LAN with mDNS/DNS-SD (zeroconf).

Clients browse ``_crossroads._tcp.local.`` and find "Crossroads – <hostname>". The TXT
properties also describe the lessons open on the server (``lesson_properties``), so a
student's join screen lists the lesson itself: its scenario's title, the teacher's name
when given, when it started. ``Announcer(port, lessons=...)`` re-reads the lessons every
few seconds and updates the announcement when they change. Announcing is a convenience:
any failure is logged and the server carries on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from zeroconf import ServiceInfo
    from zeroconf.asyncio import AsyncZeroconf

log = logging.getLogger("crossroads.server")

SERVICE_TYPE = "_crossroads._tcp.local."
MAX_LESSONS = 4          # announced lessons, newest first (a TXT record should stay well under 1 KB)
FOLLOW_SECONDS = 3.0     # how often the announcer looks at the lessons again
_SEP = "\x1f"            # between the fields of one lesson's property (unit separator: in no title)
_MAX_VALUE = 240         # a DNS-SD key=value string holds at most 255 bytes


def lesson_properties(sessions: Iterable[Any]) -> dict[str, str]:
    """TXT properties describing the open lessons (``l0``, ``l1``, …; the newest first).

    Each value is ``code, created (unix seconds), Polish title, English title, teacher`` joined
    by U+001F, cut to fit a TXT string. ``sessions`` are ``server.session.Session``s; ended
    ones and solo games (``config.solo``: nobody else may join them) are left out. A client reads them with ``game.client.discovery.parse_lessons``.
    """
    from game.wire import SessionStatus
    from server.session import is_solo

    open_ = [s for s in sessions if s.status != SessionStatus.ENDED and not is_solo(s.config)]
    open_.sort(key=lambda s: s.created_at, reverse=True)
    out: dict[str, str] = {"n": str(len(open_))}
    for i, s in enumerate(open_[:MAX_LESSONS]):
        title = s.scenario.title
        teacher = str(s.config.get("teacher") or "")
        fields = [s.code, str(int(s.created_at)), title.get("pl", ""), title.get("en", ""), teacher]
        value = _SEP.join(f.replace(_SEP, " ") for f in fields)
        while len(value.encode("utf-8")) > _MAX_VALUE:
            value = value[:-1]
        out[f"l{i}"] = value
    return out


def local_addresses() -> list[str]:
    """This machine's IPv4 addresses other than loopback (best effort, no internet needed)."""
    found: set[str] = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None, socket.AF_INET):
            found.add(str(info[4][0]))
    except OSError:
        pass
    try:  # the address of the default route; connecting a UDP socket sends nothing
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("10.255.255.255", 1))
            found.add(s.getsockname()[0])
    except OSError:
        pass
    return sorted(a for a in found if not a.startswith("127."))


class Announcer:
    """The server's LAN announcement; ``lessons`` (e.g. ``lambda: master.sessions.values()``) is
    called on the server's event loop to describe the open lessons in the TXT properties."""

    def __init__(self, port: int, name: str | None = None,
                 lessons: Callable[[], Iterable[Any]] | None = None) -> None:
        self.port = port
        host = socket.gethostname().split(".")[0] or "server"
        self.host = host
        self.name = name or f"Crossroads – {host}"
        self.lessons = lessons
        self._zc: AsyncZeroconf | None = None
        self._info: ServiceInfo | None = None
        self._props: dict[str, str] = {}
        self._follow: asyncio.Task[None] | None = None

    def properties(self) -> dict[str, str]:
        """What the announcement says now: version, path, the machine's name and the open lessons."""
        props = {"v": "1", "path": "/", "name": self.name, "host": self.host}
        if self.lessons is not None:
            try:
                props.update(lesson_properties(self.lessons()))
            except Exception as exc:  # describing lessons must never stop the announcement
                log.warning("could not describe the lessons for the LAN announcement: %s", exc)
        return props

    async def start(self) -> None:
        try:
            from zeroconf import ServiceInfo
            from zeroconf.asyncio import AsyncZeroconf

            addresses = local_addresses()
            if not addresses:
                log.info("no LAN address: not announcing")
                return
            self._props = self.properties()
            self._info = self._service_info(ServiceInfo, addresses)
            self._zc = AsyncZeroconf()
            await asyncio.wait_for(self._zc.async_register_service(self._info, allow_name_change=True), 10)
            log.info("announced %r on %s", self.name, ", ".join(addresses))
            if self.lessons is not None:
                self._follow = asyncio.create_task(self._follow_lessons(addresses))
        except Exception as exc:  # never let the LAN announcement stop the lesson
            log.warning("could not announce the server on the LAN: %s", exc)
            await self._close()

    def _service_info(self, service_info: Any, addresses: list[str]) -> ServiceInfo:
        name = self._info.name if self._info is not None else f"{self.name}.{SERVICE_TYPE}"
        info: ServiceInfo = service_info(SERVICE_TYPE, name, port=self.port, properties=self._props,
                                         parsed_addresses=addresses,
                                         server=f"{socket.gethostname().split('.')[0]}.local.")
        return info

    async def _follow_lessons(self, addresses: list[str]) -> None:
        """Update the announcement whenever the open lessons change (checked every few seconds)."""
        from zeroconf import ServiceInfo

        while self._zc is not None:
            await asyncio.sleep(FOLLOW_SECONDS)
            props = self.properties()
            if props == self._props or self._zc is None:
                continue
            self._props = props
            try:
                self._info = self._service_info(ServiceInfo, addresses)
                await asyncio.wait_for(self._zc.async_update_service(self._info), 5)
            except Exception as exc:
                log.warning("could not update the LAN announcement: %s", exc)

    async def stop(self) -> None:
        follow, self._follow = self._follow, None
        if follow is not None:
            follow.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await follow
        try:
            if self._zc is not None and self._info is not None:
                await asyncio.wait_for(self._zc.async_unregister_service(self._info), 3)
        except Exception as exc:
            log.warning("could not withdraw the LAN announcement: %s", exc)
        await self._close()

    async def _close(self) -> None:
        zc, self._zc = self._zc, None
        if zc is not None:
            with contextlib.suppress(Exception):
                await zc.async_close()
