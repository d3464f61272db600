"""The frame envelope shared by the server and every client: msgpack, large frames zlib-compressed.

A server message packs to one msgpack map. When that is larger than
``COMPRESS_OVER`` bytes it is sent as ``{"v": 1, "type": "z", "data": <zlib bytes>}``
instead, and ``unpack_server_frame`` undoes it. The server encodes each update
once per seat, so compression costs once per seat, not per connection — unlike
permessage-deflate, which keeps a compression context for every connection.

A session may also have a **dictionary**: public bytes (the scenario's deck as
views show it) that every connection is sent once, in the ``zdict`` field of its
first ``view``. Updates are then compressed against it (``"d": 1`` in the
envelope), which takes about a fifth off each: a new card, the keys of a
timeline entry, the ids all refer back to it. ``FrameReader`` keeps a
connection's dictionary and reads its frames.

>>> msg = {"v": 1, "type": "view", "view": {"text": "Pokój " * 400}}
>>> frame = pack_server_message(msg)
>>> len(frame) < 200 and unpack_server_frame(frame) == msg
True
>>> zdict = b"Pokoj bez aneksji i kontrybucji " * 8
>>> reader = FrameReader()
>>> reader.read(pack_server_message({"type": "view", "zdict": zdict}))["type"]
'view'
>>> update = {"v": 1, "type": "update", "patch": [[["text"], "Pokoj bez aneksji i kontrybucji " * 9]]}
>>> reader.read(pack_server_message(update, zdict)) == update
True
"""

from __future__ import annotations

import zlib
from typing import Any

import msgpack

from .vocab import VERSION

COMPRESS_OVER = 256
MAX_INFLATED = 8 * 1024 * 1024  # a server frame never inflates beyond this


class WireError(ValueError):
    """A frame that is not a (possibly compressed) msgpack map."""


def pack_server_message(message: dict[str, Any], zdict: bytes | None = None) -> bytes:
    """Pack a server message (adds ``v``), compressing it when that makes it much smaller; with
    ``zdict``, against that dictionary (only for connections that were sent it)."""
    if "v" not in message:
        message = {"v": VERSION, **message}
    packed = msgpack.packb(message, use_bin_type=True)
    if len(packed) > COMPRESS_OVER:
        deflater = zlib.compressobj(6, zdict=zdict) if zdict else zlib.compressobj(6)
        squeezed = deflater.compress(packed) + deflater.flush()
        if len(squeezed) < len(packed) * 0.9:
            envelope: dict[str, Any] = {"v": VERSION, "type": "z", "data": squeezed}
            if zdict:
                envelope["d"] = 1
            return msgpack.packb(envelope, use_bin_type=True)
    return packed


def unpack_server_frame(frame: bytes, zdict: bytes | None = None) -> dict[str, Any]:
    """The message in a server frame, decompressed if it came in a ``z`` envelope (with ``zdict``
    if the envelope says it was compressed against the session's dictionary)."""
    try:
        msg = msgpack.unpackb(frame, raw=False, strict_map_key=False)
        if isinstance(msg, dict) and msg.get("type") == "z":
            msg = _inflate(msg, zdict)
    except WireError:
        raise
    except (ValueError, TypeError, KeyError, zlib.error, msgpack.UnpackException) as exc:
        raise WireError(f"bad server frame: {exc}") from None
    if not isinstance(msg, dict):
        raise WireError("a server frame must be a msgpack map")
    return msg


def _inflate(envelope: dict[str, Any], zdict: bytes | None) -> Any:
    """The message inside a ``z`` envelope."""
    if envelope.get("d"):
        if zdict is None:
            raise WireError("this frame needs the session's dictionary, which comes with the first view")
        inflater = zlib.decompressobj(zdict=zdict)
    else:
        inflater = zlib.decompressobj()
    raw = inflater.decompress(envelope["data"], MAX_INFLATED)
    if inflater.unconsumed_tail:
        raise WireError("compressed frame inflates beyond the limit")
    return msgpack.unpackb(raw, raw=False, strict_map_key=False)


class FrameReader:
    """Reads one connection's server frames, keeping the dictionary its first ``view`` brought."""

    __slots__ = ("zdict",)

    def __init__(self) -> None:
        self.zdict: bytes | None = None

    def read(self, frame: bytes) -> dict[str, Any]:
        msg = unpack_server_frame(frame, self.zdict)
        if msg.get("type") == "view":
            zdict = msg.pop("zdict", None)
            if isinstance(zdict, bytes) and zdict:
                self.zdict = zdict
        return msg
