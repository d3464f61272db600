"""Announce the server on the classroom LAN with mDNS/DNS-SD (zeroconf).

Clients browse ``_crossroads._tcp.local.`` and find "Crossroads – <hostname>".
Announcing is a convenience: any failure is logged and the server carries on.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from zeroconf import ServiceInfo
    from zeroconf.asyncio import AsyncZeroconf

log = logging.getLogger("crossroads.server")

SERVICE_TYPE = "_crossroads._tcp.local."


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
    def __init__(self, port: int, name: str | None = None) -> None:
        self.port = port
        host = socket.gethostname().split(".")[0] or "server"
        self.name = name or f"Crossroads – {host}"
        self._zc: AsyncZeroconf | None = None
        self._info: ServiceInfo | None = None

    async def start(self) -> None:
        try:
            from zeroconf import ServiceInfo
            from zeroconf.asyncio import AsyncZeroconf

            addresses = local_addresses()
            if not addresses:
                log.info("no LAN address: not announcing")
                return
            self._info = ServiceInfo(
                SERVICE_TYPE,
                f"{self.name}.{SERVICE_TYPE}",
                port=self.port,
                properties={"v": "1", "path": "/"},
                parsed_addresses=addresses,
                server=f"{socket.gethostname().split('.')[0]}.local.",
            )
            self._zc = AsyncZeroconf()
            await asyncio.wait_for(self._zc.async_register_service(self._info, allow_name_change=True), 10)
            log.info("announced %r on %s", self.name, ", ".join(addresses))
        except Exception as exc:  # never let the LAN announcement stop the lesson
            log.warning("could not announce the server on the LAN: %s", exc)
            await self._close()

    async def stop(self) -> None:
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
