"""What-if branches: a new solo session that shares a played game's log up to a turn's briefing.

``branch {token | source, at, team, level, lang, name}`` (on a fresh connection, like the saved
lessons' requests) creates a NEW solo session with the source's scenario and seed whose log
starts with the source's first ``at`` decisions; the caller becomes its host (the reply is the
``session_created`` that ``create_session`` gives, plus ``branch_of`` and ``branched_at``), bots of
``level`` sit in every team but ``team`` (the player's side: the caller joins it as a student,
as a solo game does), and its config keeps ``parent`` (the source's code), ``branched_at``,
``branch_name``, ``player_team`` and ``bot_level``. The source is either a session on this server,
named by its host token (``token``: a lesson, a solo game or another branch, so branches of
branches are branches of sessions), or a game sent whole (``source``: an exported lesson file's
scenario, seed, log and carried ``start``). ``at`` must be the log position of a turn's briefing
(``game.explore.prefix_at``); the prefix is replayed by the engine, so a log that does not replay
is refused with the engine's own error and nothing is created.

A branch starts where its source started: a campaign lesson's branch (from its token) keeps the
lesson's ``campaign`` entry and with it the carried start; a game sent whole with a ``start``
(e.g. a campaign lesson's exported file) gives the branch's config a top-level ``start`` (its
wire form, as ``game.engine.Start`` reads it back), which ``game.campaign.lesson_start`` reads
after the campaign's. A start that does not fit the scenario is refused with the engine's
``game/bad_start`` and nothing is created.

``rename_branch {token, name}`` renames a branch (its own host token); a branch is deleted with
``delete_session`` (``server.lessons``) like any saved session — its own branches stay, and still
name it as their parent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.engine import Decision, Phase, Start, replay
from game.wire import ErrorCode
from server import lessons, names, replies, seating
from server.campaigns import lesson_start, start_entries
from server.connections import ConnId
from server.errors import AuthError, MessageError, SessionError
from server.protocol import Request
from server.replies import Outgoing

if TYPE_CHECKING:
    from game.engine import Scenario
    from server.master import Master


def _source_from_token(m: Master, conn: ConnId, token: str) -> tuple[Scenario, int, list[dict[str, Any]], str,
                                                                     dict[str, Any]]:
    code = lessons._host_code(m, conn, token)
    s = m.sessions.get(code)
    if s is not None:
        return s.scenario, s.seed, [d.to_wire() for d in s.state.log], code, s.config
    snap = m.store.load_session(code)
    if snap is None:
        raise AuthError(ErrorCode.BAD_TOKEN, "unknown host token (deleted, or another server)")
    return (m.scenario(snap.record.scenario), snap.record.seed, [e.decision for e in snap.log], code,
            snap.record.config)


def _source_sent(m: Master, source: dict[str, Any]) -> tuple[Scenario, int, list[dict[str, Any]], str | None,
                                                              dict[str, Any]]:
    """The sent game's scenario, seed, log, code and the config entries that carry its start."""
    scenario = m.scenario(source["scenario"])
    if source["scenario_digest"] is not None and source["scenario_digest"] != scenario.digest:
        raise SessionError("branch/other_version", f"the game was played on another version of {scenario.id!r} "
                                                   "than this server's")
    carried: dict[str, Any] = {}
    if source.get("start") is not None:  # InvalidDecision game/bad_start if it is not one; replay checks the fit
        carried["start"] = Start.from_wire(source["start"]).to_wire()
    return scenario, source["seed"], source["log"], source["code"], carried


def branch(m: Master, conn: ConnId, _binding: Any, req: Request) -> list[Outgoing]:
    if (req["token"] is None) == (req["source"] is None):
        raise MessageError("msg/bad_field", "give the source session's `token` or the game as `source`, one of them",
                           field="token")
    parent: str | None
    if req["token"] is not None:  # a campaign lesson's branch starts from the same carried start
        scenario, seed, log, parent, source_config = _source_from_token(m, conn, req["token"])
        carried = start_entries(source_config)
    else:
        scenario, seed, log, parent, carried = _source_sent(m, req["source"])
    at, team = req["at"], req["team"]
    if at > len(log):
        raise MessageError("msg/bad_field", f"the source has {len(log)} logged decisions, not {at}", field="at")
    if team not in scenario.team_ids:
        raise MessageError("msg/bad_field", f"no team {team!r} in {scenario.id}", field="team")
    prefix = tuple(Decision.from_wire(d) for d in log[:at])
    state = replay(scenario, seed, prefix, lesson_start(carried))  # an EngineError: nothing made
    if state.phase is not Phase.BRIEFING:
        raise SessionError("branch/bad_point", f"a branch starts at a turn's briefing; after {at} decisions the "
                                               f"game is in turn {state.turn}'s {state.phase}")
    name = names.normalise_name(req["name"], names.BRANCH_NAME_MAX) if req["name"] else ""
    extra = {"parent": parent, "branched_at": at, "branch_name": name or None, "player_team": team,
             "bot_level": req["level"], **carried}
    fields = {
        "scenario": scenario.id, "lang": req["lang"], "teams": None, "timer": None, "briefing": None,
        "formation": "free", "one_screen": False, "auto_resolve": True, "teacher": None,
        "bots": {t: req["level"] for t in scenario.team_ids if t != team}, "bots_yield": True, "solo": True,
    }
    start = seating.StartFrom(seed, prefix, extra)
    out = seating.create_session(m, conn, None, Request("create_session", req.id, fields), start=start)
    out[0].message.update(branch_of=parent, branched_at=at)  # type: ignore[union-attr]
    return out


def rename_branch(m: Master, conn: ConnId, _binding: Any, req: Request) -> list[Outgoing]:
    code = lessons._host_code(m, conn, req["token"])
    s = m.sessions.get(code)
    snap = None if s is not None else m.store.load_session(code)
    config = dict(s.config) if s is not None else dict(snap.record.config) if snap is not None else None
    if config is None:
        raise AuthError(ErrorCode.BAD_TOKEN, "unknown host token (deleted, or another server)")
    if "branched_at" not in config:
        raise SessionError("branch/not_a_branch", f"session {code} is not a branch")
    name = names.normalise_name(req["name"], names.BRANCH_NAME_MAX)
    if not name:
        raise MessageError("msg/bad_field", "the name is empty once control characters are removed", field="name")
    config["branch_name"] = name
    m.store.save(code, config=config)  # first: if it fails, nothing changed
    if s is not None:
        s.config = config  # its seats read it in the session info of their next view
    return [replies.reply(conn, req, "renamed", code=code, name=name)]


HANDLERS = {"branch": branch, "rename_branch": rename_branch}
