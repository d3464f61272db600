"""The what-if comparison in the teacher's report: history, our game and its branches turn by turn.

``comparison_of(export, scenario, branches)`` builds the paths with ``game.explore`` (history's,
the lesson's, and each branch's from its own export; a campaign lesson's and its branches' from
the carried start their configs hold, ``lesson_start``) as the plain data ``game.explore.compare``
defines; ``render_whatif(report, data)`` is the report's section (a table: one row per path, one
column per turn, where each path leaves history and how it ended; the odds when they were
computed). ``files.write_comparison`` writes the same data on its own as JSON and CSV.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any

from game.campaign import lesson_start
from game.engine import Scenario, Start
from game.explore import Odds, Path, comparison, game_path, history_path

from .labels import label


def _log(export: dict[str, Any]) -> list[dict[str, Any]]:
    return [{k: v for k, v in d.items() if k not in ("seq", "at")} for d in export.get("log") or []]


def _start(session: dict[str, Any]) -> Start | None:
    config = session.get("config") or {}
    return lesson_start(config) if isinstance(config, dict) else None


def paths_of(export: dict[str, Any], scenario: Scenario, branches: Sequence[dict[str, Any]] = ()) -> list[Path]:
    """History's path, the lesson's, then each branch's (exports of branch sessions), in that order."""
    history = history_path(scenario)
    session = export.get("session") or {}
    out = [history, game_path(scenario, int(session.get("seed") or 0), _log(export), history=history,
                              code=session.get("code"), start=_start(session))]
    for b in branches:
        s = b.get("session") or {}
        config = s.get("config") or {}
        out.append(game_path(scenario, int(s.get("seed") or 0), _log(b), "branch", history=history,
                             code=s.get("code"), parent=config.get("parent"), branched_at=config.get("branched_at"),
                             name=config.get("branch_name") or "", start=_start(s)))
    return out


def comparison_of(export: dict[str, Any], scenario: Scenario, branches: Sequence[dict[str, Any]] = (),
                  odds: Odds | None = None) -> dict[str, Any]:
    """The comparison data (``game.explore.compare.comparison``) of a lesson and its branches."""
    return comparison(scenario, paths_of(export, scenario, branches), odds)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def render_whatif(lang: str, scenario: Scenario, data: dict[str, Any]) -> str:
    """The report's "what if" section: the paths side by side, where each leaves history, the odds."""
    def text(t: dict[str, str] | None) -> str:
        return (t or {}).get(lang) or (t or {}).get("en") or ""

    def name(decider: str | None) -> str:
        if decider in scenario.teams:
            return text(scenario.teams[decider].name)
        if decider in scenario.blocs:
            return text(scenario.blocs[decider].name)
        return decider or ""

    turns = [t.number for t in scenario.turns]
    head = "".join(f"<th>{n}</th>" for n in turns)
    rows = []
    for p in data["paths"]:
        title = label(lang, f"whatif.{p['kind']}") + (f" {p['code']}" if p["kind"] == "branch" and p.get("code") else "")
        if p.get("name") and p["kind"] == "branch":
            title += f" ({p['name']})"
        by_turn = {t["turn"]: t for t in p["turns"]}
        cells = []
        for n in turns:
            t = by_turn.get(n)
            if t is None:
                cells.append("<td></td>")
            else:
                mark = "✓" if t["on_history"] else "✗"
                shared = p.get("branched_at") is not None and t["log_index"] < p["branched_at"]
                cells.append(f'<td class="{"ok" if t["on_history"] else "off"}">{mark}{"" if not shared else "·"}</td>')
        ending = scenario.endings.get(p.get("ending") or "")
        end = text(ending.title) if ending else label(lang, "whatif.no_ending")
        where = p.get("departure")
        if where:
            card = scenario.cards[where["card"]]
            if where["reason"] == "choice":
                chose = text(card.options[where["option"]].text) if where.get("option") else ""
                hist = ", ".join(text(card.options[o].text) for o in where.get("history") or [])
                leaves = label(lang, "whatif.leaves_choice").format(turn=where["turn"], card=text(card.title),
                                                                    who=name(where.get("decider")), chose=chose,
                                                                    history=hist)
            else:
                leaves = label(lang, "whatif.leaves_card").format(turn=where["turn"], card=text(card.title))
        else:
            leaves = label(lang, "whatif.on_history") if p["kind"] != "history" else ""
        rows.append(f"<tr><th>{_e(title)}</th>{''.join(cells)}<td>{_e(end)}</td><td>{_e(leaves)}</td></tr>")
    table = (f'<table class="whatif"><thead><tr><th>{_e(label(lang, "whatif.path"))}</th>{head}'
             f'<th>{_e(label(lang, "whatif.ending"))}</th><th>{_e(label(lang, "whatif.leaves"))}</th></tr></thead>'
             f"<tbody>{''.join(rows)}</tbody></table>")
    note = f"<p class=note>{_e(label(lang, 'whatif.legend'))}</p>"
    odds = data.get("odds")
    if odds:
        shares = "".join(
            f"<li>{_e(text(scenario.endings[e].title))}: {n / max(1, odds['draws']):.0%}</li>"
            for e, n in odds["endings"].items() if n and e in scenario.endings)
        note += f"<p>{_e(label(lang, 'whatif.odds').format(draws=odds['draws']))}</p><ul>{shares}</ul>"
    return table + note
