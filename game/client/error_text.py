"""The server's refusals in the student's language.

The server says why it refused with a stable code (`game.wire.ErrorCode`, the full list in
docs/protocol.md) and an English `message` meant for logs. `error_text(msg)` is what a
screen shows: the translation of the code (`error.<code>` in assets/i18n), or, for a code
this client does not know (a newer server), a generic translated sentence with the code.
"""

from __future__ import annotations

from typing import Any

from .i18n import keys, language, tr


def error_text(msg: dict[str, Any]) -> str:
    """One sentence for an `error` message from the server, in the current language."""
    code = str(msg.get("code") or "")
    key = f"error.{code}"
    if code and key in keys(language()):
        if "{seconds}" not in tr(key):
            return tr(key)
        wait = msg.get("retry_after")
        return tr(key, seconds=round(float(wait)) if isinstance(wait, int | float) else "?")
    return tr("error.unknown", code=code or "?")
