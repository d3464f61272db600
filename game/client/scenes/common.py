"""Pieces the in-game scenes share: map state from the view, timer text, card choice."""

from __future__ import annotations

from typing import Any

from game.wire import DEFAULT_PORT, Phase, Role

from ..changes import remembered_changes
from ..i18n import pick, tr
from ..session import ClientSession
from ..style import controller_colours
from ..widgets.card_view import quote_line  # noqa: F401  (the scenes take it from here)
from ..widgets.map_view import MapView


def map_view_name(card: dict | None) -> str:
    """"russia", or "europe" when the card's place lies outside the Russian map."""
    try:
        from game.mapgeo import load_geometry
        views = load_geometry()["views"]
    except Exception:
        return "russia"
    place = (card or {}).get("place")
    if place and place not in views.get("russia", {}).get("places", {}) and place in views.get("europe", {}).get(
            "places", {}):
        return "europe"
    return "russia"


def make_map(app, rect, card: dict | None, sess: ClientSession | None, labels: bool = True,
             interactive: bool = True) -> MapView:
    """A map of the card's view, fitted to the regions the scenario uses (zoom and pan if `interactive`)."""
    focus = list((sess.scenario_info if sess else {}).get("regions") or [])
    name = map_view_name(card)
    return MapView(app.text, app.palette, rect, app.scale, name, labels=labels,
                   focus=focus if name == "russia" else None, interactive=interactive)


def sync_map(m: MapView, sess: ClientSession, card: dict | None, colourblind: bool) -> None:
    view = sess.view or {}
    controllers = sess.scenario_info.get("controllers", [])
    colours = controller_colours(controllers, colourblind)
    names = {c["id"]: c.get("name", c["id"]) for c in controllers}
    m.set_state(view.get("control", {}), colours, names,
                (card or {}).get("region"), (card or {}).get("place"))
    m.set_changes(remembered_changes(sess))  # last turn's changes of hands stay outlined until the next
    # a turn that changed who holds a region: flash it once, when its outcome is first shown
    key = (view.get("scenario"), view.get("turn"))
    if view.get("phase") == Phase.OUTCOME and view.get("control_changes") and m.flashed_for != key:
        m.flashed_for = key
        m.flash(view["control_changes"])


def join_address(sess: ClientSession, lan: str | None = None) -> str:
    """The "host:port" students type to reach this lesson: on the teacher's computer its LAN address
    (``lan``, else looked up) and the lesson's port; elsewhere the address typed to get here."""
    if sess.role != Role.HOST:
        return sess.address
    port = sess.address.rsplit(":", 1)[-1] if ":" in sess.address else str(DEFAULT_PORT)
    if lan is None:
        from ..hosting import lan_address

        lan = lan_address()
    return f"{lan}:{port}"


def timer_text(sess: ClientSession) -> str:
    """The clock in the header: only while a phase runs on it (briefing, vote)."""
    if sess.phase not in (Phase.BRIEFING, Phase.DELIBERATION):
        return ""
    if sess.paused:
        left = sess.time_left()
        return f"{tr('game.paused')} · {_mmss(left)}" if left is not None else tr("game.paused")
    left = sess.time_left()
    if left is None:
        return tr("game.no_timer")
    return _mmss(left)


def _mmss(seconds: float | None) -> str:
    s = max(0, int((seconds or 0) + 0.999))
    return f"{s // 60}:{s % 60:02d}"


def timer_tick(sess: ClientSession | None) -> Any:
    """A value that changes when the shown timer text must change (once a second)."""
    if sess is None:
        return None
    left = sess.time_left()
    return (sess.paused, None if left is None else int(left + 0.999))


def cards(view: dict | None) -> list[dict]:
    return list((view or {}).get("cards") or [])


def team_card_index(view: dict | None, team: str | None) -> int:
    """The first card this team decides (else the first card)."""
    for i, c in enumerate(cards(view)):
        if team and team in (c.get("teams") or c.get("deciders") or []):
            return i
    return 0


def option_text(card: dict, option_id: str | None) -> str:
    for o in card.get("options", []):
        if o.get("id") == option_id:
            return pick(o.get("text"))
    return option_id or ""


def decider_name(sess: ClientSession, decider: str) -> str:
    info = sess.scenario_info
    for t in info.get("teams", []):
        if t.get("id") == decider:
            return pick(t.get("name"))
    for b in info.get("blocs", []):
        if b.get("id") == decider:
            return pick(b.get("name"))
    return decider


def team_bloc(sess: ClientSession, team: str | None) -> set[str]:
    """The deciders a team acts as: itself and any bloc it belongs to."""
    out = {team} if team else set()
    for b in sess.scenario_info.get("blocs", []):
        if team in b.get("teams", []):
            out.add(b["id"])
    return out


def phase_text(phase: str | None) -> str:
    return tr(f"game.{phase}") if phase in (Phase.BRIEFING, Phase.DELIBERATION, Phase.OUTCOME, Phase.ENDED) else ""


# -- what the content carries (quotes with glosses, the history tag, the glossary) ----------------
_ALT_PREFIXES = ("Historia alternatywna:", "Alternative history:")


def history_tag(items: list[dict]) -> str:
    """"As in history", "Source silent" or "Alternative history" for outcomes (or an ending): as in
    history only if every one is; source silent if every other one is; else alternative."""
    if items and all(i.get("historical") for i in items):
        return tr("outcome.historical")
    if items and all(i.get("historical") or i.get("source_silent") for i in items):
        return tr("outcome.source_silent")
    return tr("outcome.alternative")


def without_tag(text: str) -> str:
    """An outcome's text without its leading "Alternative history:" (the screen says it once, as a tag)."""
    for prefix in _ALT_PREFIXES:
        if text.startswith(prefix):
            rest = text[len(prefix):].lstrip()
            return rest[:1].upper() + rest[1:]
    return text


def glossary_entries(sess: ClientSession, card: dict | None) -> list[tuple[str, str]]:
    """(term, definition) of the card's glossary terms, in the current language, in the card's order."""
    by_id = {g.get("id"): g for g in (sess.scenario_info.get("glossary") or []) if isinstance(g, dict)}
    out = []
    for tid in (card or {}).get("terms") or []:
        g = by_id.get(tid)
        if g:
            out.append((pick(g.get("term")), pick(g.get("text"))))
    return out
