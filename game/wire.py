"""The frame envelope shared by the server and every client: msgpack, large frames zlib-compressed.

A server message packs to one msgpack map. When that is larger than
``COMPRESS_OVER`` bytes it is sent as ``{"v": 1, "type": "z", "data": <zlib bytes>}``
instead, and ``unpack_server_frame`` undoes it. The server encodes each update
once per seat, so compression costs once per seat, not per connection — unlike
permessage-deflate, which keeps a compression context for every connection.

>>> msg = {"v": 1, "type": "view", "view": {"text": "Pokój " * 400}}
>>> frame = pack_server_message(msg)
>>> len(frame) < 200 and unpack_server_frame(frame) == msg
True
"""

from __future__ import annotations

import zlib
from typing import Any

import msgpack

VERSION = 1
COMPRESS_OVER = 256
MAX_INFLATED = 8 * 1024 * 1024  # a server frame never inflates beyond this


class WireError(ValueError):
    """A frame that is not a (possibly compressed) msgpack map."""


def pack_server_message(message: dict[str, Any]) -> bytes:
    """Pack a server message (adds ``v``), compressing it when that makes it much smaller."""
    if "v" not in message:
        message = {"v": VERSION, **message}
    packed = msgpack.packb(message, use_bin_type=True)
    if len(packed) > COMPRESS_OVER:
        squeezed = zlib.compress(packed, 6)
        if len(squeezed) < len(packed) * 0.9:
            return msgpack.packb({"v": VERSION, "type": "z", "data": squeezed}, use_bin_type=True)
    return packed


def unpack_server_frame(frame: bytes) -> dict[str, Any]:
    """The message in a server frame, decompressed if it came in a ``z`` envelope."""
    try:
        msg = msgpack.unpackb(frame, raw=False, strict_map_key=False)
        if isinstance(msg, dict) and msg.get("type") == "z":
            inflater = zlib.decompressobj()
            raw = inflater.decompress(msg["data"], MAX_INFLATED)
            if inflater.unconsumed_tail:
                raise WireError("compressed frame inflates beyond the limit")
            msg = msgpack.unpackb(raw, raw=False, strict_map_key=False)
    except (ValueError, TypeError, KeyError, zlib.error, msgpack.UnpackException) as exc:
        raise WireError(f"bad server frame: {exc}") from None
    if not isinstance(msg, dict):
        raise WireError("a server frame must be a msgpack map")
    return msg
