"""Finding lessons on the LAN: a zeroconf browser for `_crossroads._tcp.local.`."""

from __future__ import annotations

import threading
from dataclasses import dataclass

SERVICE = "_crossroads._tcp.local."


@dataclass(frozen=True)
class FoundSession:
    name: str
    address: str          # "host:port"
    code: str | None
    scenario: str | None


class LanBrowser:
    """Browses in zeroconf's own threads; `found()` is safe to call every frame."""

    def __init__(self) -> None:
        self._found: dict[str, FoundSession] = {}
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
        label = props.get("name") or name.removesuffix("." + SERVICE)
        with self._lock:
            self._found[name] = FoundSession(label, f"{addrs[0]}:{info.port}", props.get("code"),
                                             props.get("scenario"))
            self.version += 1

    def found(self) -> list[FoundSession]:
        with self._lock:
            return sorted(self._found.values(), key=lambda f: f.name)

    def stop(self) -> None:
        zc, self._zc = self._zc, None
        if zc is not None:
            threading.Thread(target=zc.close, daemon=True).start()
