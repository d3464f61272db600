"""Every error code the server sends, what it means and what a client should do about it.

``ERRORS`` is the one table: ``docs/protocol.md`` shows it (``error_table()`` renders it and a
test holds the document to it), the published JSON Schema lists its codes as the only values
of ``error.code``, and a test checks that every code the server and the engine can raise is in
it. ``ErrorCode`` (``game.wire.vocab``) names the ones clients branch on.

>>> ERRORS["join/throttled"].todo.startswith("wait")
True
"""

from __future__ import annotations

from typing import NamedTuple


class ErrorInfo(NamedTuple):
    meaning: str
    todo: str  # what a client should do


def _e(meaning: str, todo: str) -> ErrorInfo:
    return ErrorInfo(meaning, todo)


ERRORS: dict[str, ErrorInfo] = {
    # --- the frame (the connection is closed 1003 after the reply, which has "re": null)
    "frame/not_msgpack": _e("the bytes are not one msgpack value, or a text frame was sent",
                            "fix the client: send each message as one binary frame holding one msgpack map"),
    "frame/not_map": _e("the msgpack value is not a map", "fix the client: every message is a map"),
    # --- the message (nothing changed; the connection stays open)
    "msg/bad_version": _e('`v` is missing or is not the integer 1 (`true` and `1.0` are refused too)',
                          "send `\"v\": 1`; another value means this server speaks another protocol version"),
    "msg/unknown_type": _e("no request has this `type`", "fix the client (see the request table)"),
    "msg/bad_field": _e("a field is missing, of the wrong type or out of range (`field` names it; also a "
                        "missing or non-integer `id`, a map key that is not a string, unknown `teams` in "
                        "`create_session`, or `bots` for teams that do not play; an unknown bot `level`)", "fix the request; `message` says what was expected"),
    # --- joining
    "join/bad_code": _e("no open session has this code", "let the student retype it (each wrong code counts "
                        "towards `join/throttled`)"),
    "join/throttled": _e("too many wrong codes or tokens from this address (8 at once, then 1 every 2 s); "
                         "while it lasts every `join`, `watch` and `resume` from the address is refused, "
                         "valid ones too", "wait `retry_after` seconds, then try again"),
    "join/bad_name": _e("the name is empty once control characters and spaces are removed (`join`, `rename`)",
                        "ask for another name"),
    # --- who may send what
    "auth/not_joined": _e("this connection has no seat yet (or its player was kicked meanwhile)",
                          "send `join`, `watch`, `resume` or `create_session` first"),
    "auth/already_joined": _e("this connection already has a seat", "open a new connection for another seat"),
    "auth/not_host": _e("only the host may send this", "do not offer the control to this seat"),
    "auth/not_player": _e("only a player may send this", "do not offer the control to this seat"),
    "auth/bad_token": _e("unknown or revoked resume or host token (kicked, or another server)",
                         "forget the token and `join` anew"),
    # --- voting
    "vote/not_your_team": _e("`team` names another team than the player's", "leave `team` out"),
    "vote/no_team": _e("the player has no team yet", "wait for the `view` of a team seat (or `pick_team`)"),
    # --- the session
    "session/paused": _e("the host paused the game: votes are refused", "wait for a `timer` with `paused: false`"),
    "session/ended": _e("the host ended the session (only `export` still works)",
                        "show the ending; forget the session"),
    "session/not_started": _e("the host has not started the game (`advance`, `force_resolve`, `extend`; "
                              "votes before `start`)", "wait for `lobby` with `started: true`"),
    "session/already_started": _e("`start` was sent twice", "nothing to do"),
    "session/full": _e("the session has 60 members", "tell the student; the host may kick someone"),
    "session/not_one_screen": _e("`team_choice` in a session created without `one_screen`",
                                 "let the teams vote"),
    "team/unknown": _e("the team does not play in this session", "pick one of `session.config.teams`"),
    "team/not_free": _e("`pick_team` in a session whose formation is not `free`",
                        "wait for the host to place the player"),
    "team/started": _e("`pick_team` after `start` by a player who already has a team",
                       "ask the host (`move_player`)"),
    "player/unknown": _e("no member with this player id", "refresh the member list from `lobby`"),
    "player/not_in_team": _e("`set_captain` names a player of another team", "pick a member of that team"),
    "bot/none": _e("`remove_bot` names a team that has no bot", "refresh the member list from `lobby` "
                   "(members with `bot`)"),
    "bot/not_movable": _e("`move_player` names a bot: a bot stays in its team",
                          "`remove_bot` it and `add_bot` to the other team"),
    "timer/none": _e("`extend` in a phase without a clock (`outcome`, `ended`)", "nothing to extend"),
    "scenario/unknown": _e("no such scenario on this server", "offer another scenario"),
    # --- what-if branches (server.branching)
    "branch/bad_point": _e("`branch` with an `at` that is not the log position of a turn's briefing",
                           "branch at a turn's briefing (game.explore.prefix_at)"),
    "branch/other_version": _e("`branch` of a game played on another version of the scenario file than the "
                               "server's (`source.scenario_digest`)", "open the game with the scenario it was "
                               "played on"),
    "branch/not_a_branch": _e("`rename_branch` of a session that is not a branch", "rename only branches"),
    "campaign/unknown": _e("no such campaign on this server (or `campaign_step`/`campaign_from` without `campaign`)",
                           "offer another campaign"),
    "campaign/wrong_step": _e("the scenario is not that step's, the step is out of range, or not the one after "
                              "`campaign_from`'s lesson (or that lesson is of another campaign)",
                              "create the step the campaign names next"),
    "campaign/not_finished": _e("the previous lesson named by `campaign_from` has not ended",
                                "end it (its debrief is what carries over), then start the next"),
    # --- the server (nothing was changed)
    "server/closing": _e("the server is shutting down (`create_session`)", "try again later"),
    "server/full": _e("the server holds its maximum of 2000 sessions", "try again later"),
    "server/storage": _e("the change could not be saved, so it was not made", "send the request again"),
    "server/internal": _e("a bug in the server; the request changed nothing", "send it again or report it"),
    # --- the engine's refusals (their `message` says which rule)
    "decision/wrong_phase": _e("not in this phase (e.g. a vote outside `deliberation`, `advance` in "
                               "`deliberation`, `force_resolve` outside it, `reveal` before the outcome)",
                               "wait for the phase in the next `view`/`update`"),
    "decision/unknown_team": _e("the engine knows no such team", "use a team id from the scenario"),
    "decision/unknown_card": _e("the card is not on the table this turn (`reveal`: not in the scenario)",
                                "use an id from `view.cards` (`reveal`: from `view.timeline`)"),
    "decision/unknown_option": _e("the card has no such option", "use an id from the card's `options`"),
    "decision/not_a_decider": _e("the player's team does not decide this card", "vote only on cards whose "
                                 "`teams` hold your team"),
    "decision/option_not_allowed": _e("the option belongs to another decider", "vote only for options whose "
                                      "`for` holds your decider (your team or its bloc)"),
    "decision/condition_not_met": _e("the option's conditions do not hold now", "vote only for options with "
                                     "`available: true`"),
    "decision/no_vote": _e("`unvote` on a card the player has no vote on", "nothing to withdraw"),
    "decision/not_resolved": _e("`reveal` of a card not played yet", "reveal cards of `view.timeline`"),
    "decision/already_revealed": _e("`reveal` of a card already revealed", "nothing to do"),
    "decision/game_over": _e("the game has ended", "nothing more to decide"),
    "game/bad_start": _e("`branch` with a `source.start` that is not a start of that scenario (not a map of "
                         "tracks, flags, control and notes; a track outside its range, a flag the scenario does "
                         "not take from a campaign, an unknown region or controller); nothing is created",
                         "send the start the game was played from (its export's `session.config.campaign.start`, "
                         "or `session.config.start` for a branch), or null"),
}


def error_table() -> str:
    """``ERRORS`` as the Markdown table ``docs/protocol.md`` shows."""
    rows = ["| code | meaning | what the client should do |", "|---|---|---|"]
    rows += [f"| `{code}` | {info.meaning} | {info.todo} |" for code, info in ERRORS.items()]
    return "\n".join(rows)
