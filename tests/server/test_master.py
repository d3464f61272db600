"""The sans-I/O Master: authorization, rules around the engine, timers, persistence."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from server.protocol import HOST_ONLY, PLAYER_ONLY, REQUESTS, UNBOUND

from .harness import Harness

ROLES = ["anon", "host", "player", "other", "projector"]


def _setup() -> tuple[Harness, dict[str, int], dict[str, Any]]:
    h = Harness()
    host, code, _host_token = h.game(timer=60, one_screen=True)
    player, pj = h.join(code, "Ania", "hawks")
    other, _ = h.join(code, "Borys", "doves")
    projector = h.connect()
    h.ok(projector, "watch", code=code)
    anon = h.connect()
    h.ok(host, "start")
    conns = {"anon": anon, "host": host, "player": player, "other": other, "projector": projector}
    info = {"code": code, "token": pj["resume_token"], "p": pj["player"]}
    return h, conns, info


def _sample(kind: str, info: dict[str, Any]) -> dict[str, Any]:
    return {
        "create_session": {"scenario": "mini"},
        "join": {"code": info["code"], "name": "Cyryl"},
        "watch": {"code": info["code"]},
        "resume": {"token": info["token"]},
        "delete_session": {"token": info["token"]},  # a player's token: not a host's
        "duplicate_session": {"token": info["token"]},
        "saved_export": {"token": info["token"]},
        "branch": {"token": info["token"], "at": 0, "team": "hawks"},
        "rename_branch": {"token": info["token"], "name": "Inna droga"},
        "pick_team": {"team": "hawks"},
        "vote": {"card": "talks", "option": "sign", "team": "hawks"},
        "unvote": {"card": "talks", "team": "hawks"},
        "extend": {"seconds": 30},
        "reveal": {"card": "talks"},
        "move_player": {"player": info["p"], "team": "doves"},
        "set_captain": {"team": "hawks", "player": info["p"]},
        "rename": {"player": info["p"], "name": "Ania K"},
        "kick": {"player": info["p"]},
        "team_choice": {"team": "hawks", "card": "talks", "option": "sign"},
        "add_bot": {"team": "hawks", "level": "easy"},
        "remove_bot": {"team": "hawks"},
    }.get(kind, {})


def _expected_denial(kind: str, role: str) -> str | None:
    """The error code ``role`` must get for ``kind`` (None: the request is allowed)."""
    if kind == "ping":
        return None
    if kind in UNBOUND:
        if role == "anon" and kind in ("delete_session", "duplicate_session", "saved_export", "branch",
                                       "rename_branch"):
            return "auth/bad_token"  # the sample carries a player's token, and only a host's opens a lesson
        return None if role == "anon" else "auth/already_joined"
    if role == "anon":
        return "auth/not_joined"
    if kind in HOST_ONLY:
        return None if role == "host" else "auth/not_host"
    if kind in PLAYER_ONLY:
        if role in ("host", "projector"):
            return "auth/not_player"
        if role == "other" and kind in ("vote", "unvote"):
            return "vote/not_your_team"
    return None


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", sorted(REQUESTS))
def test_authorization_matrix_denies_what_it_must(kind: str, role: str) -> None:
    h, conns, info = _setup()
    before = h.digest(info["code"])
    reply = h.send(conns[role], kind, **_sample(kind, info))
    denial = _expected_denial(kind, role)
    if denial is not None:
        assert reply["type"] == "error" and reply["code"] == denial, reply
        assert h.digest(info["code"]) == before
    else:
        assert not (reply["type"] == "error" and reply["code"].startswith(("auth/", "vote/not_your"))), reply


def test_every_request_type_is_in_the_matrix() -> None:
    """Each request is for unseated connections, the host or players; none is for anyone."""
    assert set(REQUESTS) == UNBOUND | HOST_ONLY | PLAYER_ONLY
    assert not (HOST_ONLY & PLAYER_ONLY) and not (UNBOUND & (HOST_ONLY | PLAYER_ONLY))
    from server.master import HANDLERS

    assert set(HANDLERS) == set(REQUESTS)  # and each has its handler


@pytest.mark.parametrize(
    ("message", "code"),
    [
        ({"type": "vote", "id": 1}, "msg/bad_version"),
        ({"v": 2, "type": "ping", "id": 1}, "msg/bad_version"),
        ({"v": 1, "type": "dance", "id": 1}, "msg/unknown_type"),
        ({"v": 1, "type": "ping"}, "msg/bad_field"),
        ({"v": 1, "type": "ping", "id": "7"}, "msg/bad_field"),
        ({"v": 1, "type": "join", "id": 1, "code": 5, "name": "x"}, "msg/bad_field"),
        ({"v": 1, "type": "extend", "id": 1, "seconds": True}, "msg/bad_field"),
        ({"v": 1, "type": "create_session", "id": 1, "scenario": "mini", "formation": "chaos"}, "msg/bad_field"),
        ({"v": 1, "type": "create_session", "id": 1, "scenario": "nope"}, "scenario/unknown"),
        ({"v": 1, "type": "create_session", "id": 1, "scenario": "mini", "teams": ["hawks", "owls"]}, "msg/bad_field"),
    ],
)
def test_master_replies_with_a_specific_error_when_a_message_is_malformed(message: dict, code: str) -> None:
    h = Harness()
    conn = h.connect()
    out = h.master.receive(conn, message)
    assert len(out) == 1 and out[0].message["type"] == "error" and out[0].message["code"] == code
    assert out[0].message["re"] == (message.get("id") if isinstance(message.get("id"), int) else None)
    assert h.master.sessions == {}  # a malformed request changes nothing


def test_players_votes_in_one_phase_never_invalidate_each_other() -> None:
    h = Harness()
    host, code, _ = h.game(timer=None, auto_resolve=False)
    a, _ = h.join(code, "A", "hawks")
    b, _ = h.join(code, "B", "hawks")
    c, _ = h.join(code, "C", "doves")
    h.ok(host, "start")
    for conn, option in ((a, "sign"), (b, "break_off"), (c, "sign"), (a, "break_off")):
        h.ok(conn, "vote", card="talks", option=option)
    for conn in (a, b):  # what both hawks were sent
        assert h.held(conn)["team"]["votes"]["talks"] == {"p1": "break_off", "p2": "break_off"}
    assert h.held(c)["team"]["votes"]["talks"] == {"p3": "sign"}


def test_names_are_cleaned_and_made_distinct() -> None:
    h = Harness()
    _, code, _ = h.game()
    _, r1 = h.join(code, "  Ania\x00\x1b  ")
    _, r2 = h.join(code, "ania")
    _, r3 = h.join(code, "X" * 80)
    assert (r1["name"], r2["name"]) == ("Ania", "ania (2)")
    assert r3["name"] == "X" * 24
    conn = h.connect()
    assert h.send(conn, "join", code=code, name="\x00\t ")["code"] == "join/bad_name"


def test_wrong_join_codes_are_throttled_per_address() -> None:
    h = Harness()
    _, code, _ = h.game()
    bad = h.connect("10.9.9.9")
    codes = [h.send(bad, "join", code="ZZZZZZ", name="x")["code"] for _ in range(8)]
    assert codes == ["join/bad_code"] * 8
    reply = h.send(bad, "join", code=code, name="x")
    assert reply["code"] == "join/throttled" and reply["retry_after"] > 0
    elsewhere = h.connect("10.9.9.10")
    h.ok(elsewhere, "join", code=code, name="y")
    h.clock.now += reply["retry_after"] + 0.1
    h.ok(bad, "join", code=code.lower()[:3] + "-" + code[3:], name="x")


def test_deliberation_resolves_with_defaults_when_the_deadline_passes() -> None:
    h = Harness()
    host, code, _ = h.game(timer=60, auto_resolve=False)
    _a, _ = h.join(code, "A", "hawks")
    h.ok(host, "start")
    s = h.session(code)
    assert s.state.phase == "deliberation" and s.timer.deadline == h.clock.now + 60
    h.tick(59)
    assert s.state.phase == "deliberation"
    h.tick(2)
    assert s.state.phase == "outcome" and s.timer.deadline is None
    h.ok(host, "advance")
    assert s.state.phase == "briefing" and s.timer.phase_ends == "advance"
    h.tick(31)
    assert s.state.phase == "deliberation" and s.state.turn == 2


def test_a_turn_with_nothing_to_decide_resolves_without_waiting_for_the_clock() -> None:
    h = Harness()
    host, code, _ = h.game(timer=60)
    a, _ = h.join(code, "A", "hawks")
    h.ok(host, "start")
    s = h.session(code)
    h.ok(a, "vote", card="talks", option="sign")  # the only voter: the vote closes at once
    assert s.state.phase == "outcome" and s.state.turn == 1
    h.ok(host, "advance")
    h.tick(31)  # turn 2 of mini has no card (no offensive was scheduled): nothing to wait for
    assert s.state.turn == 2 and s.state.cards == () and s.state.phase == "outcome"


def test_one_screen_sessions_never_resolve_by_themselves() -> None:
    h = Harness()
    host, code, _ = h.game(timer=None, one_screen=True)
    h.ok(host, "start")
    s = h.session(code)
    h.ok(host, "team_choice", team="hawks", card="talks", option="sign")
    assert s.state.phase == "deliberation"  # the host closes the vote when the class is ready


def test_pause_freezes_the_clock_and_the_votes_and_extend_moves_the_deadline() -> None:
    h = Harness()
    host, code, _ = h.game(timer=60)
    a, _ = h.join(code, "A", "hawks")
    h.ok(host, "start")
    s = h.session(code)
    h.tick(10)
    h.ok(host, "pause")
    assert s.timer.paused and s.timer.remaining == pytest.approx(50)
    assert h.send(a, "vote", card="talks", option="sign")["code"] == "session/paused"
    h.tick(1000)
    assert s.state.phase == "deliberation"
    h.ok(host, "extend", seconds=20)
    h.ok(host, "unpause")
    assert s.timer.deadline == pytest.approx(h.clock.now + 70)
    h.ok(host, "extend", seconds=-60)
    h.tick(9)
    assert s.state.phase == "deliberation"
    h.tick(2)
    assert s.state.phase == "outcome"


def test_untimed_sessions_wait_for_the_host_and_extend_starts_a_countdown() -> None:
    h = Harness()
    host, code, _ = h.game(timer=None)
    h.ok(host, "start")
    s = h.session(code)
    assert s.timer.deadline is None and s.config["briefing"] is None
    h.tick(100_000)
    assert s.state.phase == "deliberation"
    h.ok(host, "extend", seconds=30)
    h.tick(31)
    assert s.state.phase == "outcome"


def test_all_votes_in_resolve_the_turn_at_once() -> None:
    h = Harness()
    host, code, _ = h.game(timer=None)
    a, _ = h.join(code, "A", "hawks")
    g, _ = h.join(code, "G", "germans")
    h.ok(host, "start")
    h.ok(a, "vote", card="talks", option="sign")
    assert h.session(code).state.phase == "deliberation"
    h.ok(g, "vote", card="talks", option="mild")
    assert h.session(code).state.phase == "outcome"


def test_host_moves_a_player_mid_game_and_their_votes_are_withdrawn() -> None:
    h = Harness()
    host, code, _ = h.game(timer=None, auto_resolve=False)
    a, ja = h.join(code, "A", "hawks")
    b, _jb = h.join(code, "B", "hawks")
    h.ok(host, "start")
    h.ok(a, "vote", card="talks", option="sign")
    h.ok(host, "set_captain", team="hawks", player=ja["player"])
    assert h.held(b)["team"]["votes"]["talks"] == {ja["player"]: "sign"}
    h.ok(host, "move_player", player=ja["player"], team="doves")
    hawk = h.held(b)["team"]  # the hawk who stayed sees the vote and the captaincy gone
    assert hawk["votes"]["talks"] == {} and hawk["captain"] is None
    assert h.held(a)["seat"] == "team:doves" and h.held(a)["team"]["id"] == "doves"
    h.ok(a, "vote", card="talks", option="break_off")
    assert h.held(a)["team"]["votes"]["talks"] == {ja["player"]: "break_off"}


def test_kicked_player_loses_the_seat_and_the_token() -> None:
    h = Harness()
    host, code, _ = h.game()
    a, ja = h.join(code, "A", "hawks")
    h.ok(host, "kick", player=ja["player"])
    closes = [o for o in h.sent if o.close == 4001]
    assert closes and a in closes[0].to
    again = h.connect()
    assert h.send(again, "resume", token=ja["resume_token"])["code"] == "auth/bad_token"
    assert ja["player"] not in h.session(code).members


def test_one_screen_host_enters_team_choices() -> None:
    h = Harness()
    host, code, _ = h.game(timer=None, one_screen=True)
    h.ok(host, "start")
    h.ok(host, "team_choice", team="hawks", card="talks", option="sign")
    h.ok(host, "team_choice", team="germans", card="talks", option="mild")
    h.ok(host, "force_resolve")
    assert h.session(code).state.phase == "outcome"
    h2 = Harness()
    host2, _, _ = h2.game(one_screen=False)
    h2.ok(host2, "start")
    assert h2.send(host2, "team_choice", team="hawks", card="talks", option="sign")["code"] == "session/not_one_screen"


def test_a_restarted_master_replays_the_log_and_keeps_the_deadline(tmp_path: Path) -> None:
    db = str(tmp_path / "s.sqlite3")
    h = Harness(db)
    host, code, host_token = h.game(timer=120)
    a, ja = h.join(code, "A", "hawks")
    h.ok(host, "start")
    h.ok(a, "vote", card="talks", option="sign")
    before = h.digest(code)
    deadline = h.session(code).timer.deadline
    h.store.close()

    h2 = Harness(db, clock=h.clock)
    h2.clock.now += 5
    assert h2.master.restore() == 1
    assert h2.digest(code) == before and h2.session(code).timer.deadline == deadline
    conn = h2.connect()
    assert h2.ok(conn, "resume", token=ja["resume_token"])["team"] == "hawks"
    hconn = h2.connect()
    assert h2.ok(hconn, "resume", token=host_token)["role"] == "host"
    h2.tick(200)
    assert h2.session(code).state.phase == "outcome"


def test_a_deadline_that_passed_while_down_gets_a_grace_period(tmp_path: Path) -> None:
    db = str(tmp_path / "s.sqlite3")
    h = Harness(db)
    host, code, _ = h.game(timer=30)
    h.ok(host, "start")
    h.store.close()
    h2 = Harness(db, clock=h.clock)
    h2.clock.now += 3600
    h2.master.restore()
    assert h2.session(code).timer.deadline == pytest.approx(h2.clock.now + 15)


def test_ended_sessions_refuse_changes_but_export() -> None:
    h = Harness()
    host, code, _ = h.game()
    h.ok(host, "start")
    h.ok(host, "end")
    assert h.send(host, "advance")["code"] == "session/ended"
    data = h.ok(host, "export")["data"]
    assert data["session"]["code"] == code and data["log"][0]["type"] == "advance"
    assert h.send(h.connect(), "join", code=code, name="x")["code"] == "session/ended"


def test_storage_failure_changes_nothing(tmp_path: Path) -> None:
    db = str(tmp_path / "s.sqlite3")
    h = Harness(db)
    host, code, _ = h.game(timer=None)
    a, _ = h.join(code, "A", "hawks")
    h.ok(host, "start")
    before = h.digest(code)

    def broken(*args: Any, **kwargs: Any) -> None:
        from server.errors import StorageError

        raise StorageError("server/storage", "disk full")

    h.master.store.save = broken  # type: ignore[method-assign]
    assert h.send(a, "vote", card="talks", option="sign")["code"] == "server/storage"
    assert h.digest(code) == before
    del h.master.store.save  # the disk has room again
    h.ok(a, "vote", card="talks", option="sign")  # the same vote: nothing half-saved is in the way
    after = h.digest(code)
    h.store.close()
    h2 = Harness(db, clock=h.clock)
    h2.master.restore()
    assert h2.digest(code) == after  # the store holds exactly what memory does


def test_a_clock_jump_moves_running_deadlines_but_not_paused_ones() -> None:
    h = Harness()
    host, code, _ = h.game(timer=60, auto_resolve=False)
    h.join(code, "A", "hawks")
    h.ok(host, "start")
    s = h.session(code)
    deadline = s.timer.deadline
    h.master.clock_jumped(600)
    assert s.timer.deadline == deadline + 600
    h.ok(host, "pause")
    paused = s.timer
    h.master.clock_jumped(600)
    assert s.timer == paused


def test_a_session_whose_turn_ended_is_pushed_first_and_vote_counts_wait_for_their_own_batch() -> None:
    """Vote counts are batched per session; a phase change is due at once and goes out before any
    other session's counts, so one classroom's turn never waits behind another's votes."""
    h = Harness()
    games = []
    for i in range(3):
        host, code, _ = h.game(timer=None)
        a, _ = h.join(code, f"A{i}", "hawks")
        g, _ = h.join(code, f"G{i}", "germans")
        h.ok(host, "start")
        games.append((host, code, a, g))
    h.master.flush()
    m = h.master
    # two sessions get a vote (counts only: due after the batch delay); the third ends its turn
    for _host, _code, a, _g in games[:2]:
        m.receive(a, {"v": 1, "type": "vote", "id": 900, "card": "talks", "option": "sign"})
    assert m.flush_delay() == pytest.approx(m.batch_delay)
    assert m.flush_due() == []  # nothing is due yet
    host3, code3, a3, g3 = games[2]
    m.receive(a3, {"v": 1, "type": "vote", "id": 901, "card": "talks", "option": "sign"})
    m.receive(g3, {"v": 1, "type": "vote", "id": 902, "card": "talks", "option": "mild"})
    assert h.session(code3).state.phase == "outcome"
    assert m.flush_delay() == 0.0
    out = m.flush_due()
    third = {host3, a3, g3}
    assert out and all(set(o.to) <= third for o in out)  # only the session whose turn ended
    h.clock.now += m.batch_delay
    counts = m.flush_due()  # now the other two sessions' vote counts
    pushed = {c for o in counts for c in o.to}
    assert pushed and not pushed & third
    assert m.flush_delay() is None


def test_untimed_phase_changes_send_no_timer_message() -> None:
    h = Harness()
    host, code, _ = h.game(timer=None)
    h.ok(host, "start")
    h.sent.clear()
    h.ok(host, "force_resolve")
    h.ok(host, "advance")
    assert h.session(code).state.turn == 2
    assert not [o for o in h.sent if o.message and o.message["type"] == "timer"]
    h.ok(host, "extend", seconds=30)  # a countdown starts: that is news
    assert [o for o in h.sent if o.message and o.message["type"] == "timer"]


def test_after_every_push_each_seat_holds_exactly_the_view_the_engine_would_build() -> None:
    """Vote batches rebuild only the vote parts of views (the engine's VOTE_KEYS); mixed with
    moves, captains, resolutions and new turns, what every seat was sent must still be the
    whole view, and a client applying the updates must end up with it."""
    import random

    from game.engine import view_for
    from game.wire import apply_patch, expand_view

    rng = random.Random(7)
    h = Harness()
    host, code, _ = h.game(scenario="brest-1918", timer=None, auto_resolve=False, formation="free")
    s = h.session(code)
    teams = s.teams
    players = []
    tokens = {}
    for i in range(9):
        conn, reply = h.join(code, f"P{i}", teams[i % len(teams)])
        players.append((conn, reply["player"]))
        tokens[reply["player"]] = reply["resume_token"]
    projector = h.connect()
    h.ok(projector, "watch", code=code)
    h.ok(host, "start")
    held: dict[int, Any] = {}  # what each client holds, from the messages it was sent

    def receive(outgoing) -> None:
        for o in outgoing:
            m = o.message
            for c in o.to if m is not None else ():
                if m["type"] == "view":
                    held[c] = m["view"]
                elif m["type"] == "update":
                    held[c] = apply_patch(held[c], m["patch"])

    receive(h.sent + h.master.flush())
    checked = 0
    for step in range(600):
        if s.state.phase == "ended":
            break
        rid = 10_000 + step
        roll = rng.random()
        conn, player = rng.choice(players)
        team = s.members[player].team
        if team is None and roll >= 0.12:
            continue  # a latecomer without a team yet
        if s.state.phase != "deliberation" or roll < 0.03:
            kind = "advance" if s.state.phase != "deliberation" else "force_resolve"
            out = h.master.receive(host, {"v": 1, "type": kind, "id": rid})
        elif roll < 0.06:
            out = h.master.receive(host, {"v": 1, "type": "move_player", "id": rid, "player": player,
                                          "team": rng.choice(teams)})
        elif roll < 0.08:
            out = h.master.receive(host, {"v": 1, "type": "set_captain", "id": rid, "team": team, "player": player})
        elif roll < 0.11:  # a dropped connection comes back with its token (between pushes: a full view)
            out = h.master.disconnect(conn)
            players.remove((conn, player))
            held.pop(conn, None)
            new = h.connect()
            out += h.master.receive(new, {"v": 1, "type": "resume", "id": rid, "token": tokens[player]})
            players.append((new, player))
        elif roll < 0.12 and len(players) < 14:  # a latecomer joins mid-game
            new = h.connect()
            out = h.master.receive(new, {"v": 1, "type": "join", "id": rid, "code": code, "name": f"L{step}"})
            joined = next(o.message for o in out if o.message and o.message.get("re") == rid)
            tokens[joined["player"]] = joined["resume_token"]
            players.append((new, joined["player"]))
        else:
            cards = [c for c in s.state.cards if team in s.scenario.cards[c].team_decider]
            if not cards:
                continue
            card = rng.choice(cards)
            if rng.random() < 0.2:
                out = h.master.receive(conn, {"v": 1, "type": "unvote", "id": rid, "card": card})
            else:
                option = rng.choice(list(s.scenario.cards[card].options))
                out = h.master.receive(conn, {"v": 1, "type": "vote", "id": rid, "card": card, "option": option})
        receive(out)
        if rng.random() < 0.3:
            receive(h.master.flush())
            seats = {host: "host", projector: "projector"}
            for conn, player in players:
                team = s.members[player].team
                seats[conn] = "projector" if team is None else f"team:{team}"
            for c, seat in seats.items():
                expected = view_for(s.state, seat)
                assert {**expand_view(held[c]), "state_id": s.state.state_id} == expected, (step, seat, c)
                checked += 1
    assert checked > 200 and s.state.phase == "ended"


def test_vote_counts_still_go_out_when_the_wall_clock_is_set_back() -> None:
    h = Harness()
    host, code, _ = h.game(timer=None)
    a, _ = h.join(code, "A", "hawks")
    h.join(code, "G", "germans")
    h.ok(host, "start")
    h.master.flush()
    m = h.master
    m.receive(a, {"v": 1, "type": "vote", "id": 900, "card": "talks", "option": "sign"})
    h.clock.now -= 3600  # e.g. the laptop's clock corrected by an hour
    assert m.flush_delay() == 0.0
    assert m.flush_due()
    assert m.flush_delay() is None


def test_injected_randomness_gives_the_same_codes_seeds_and_tokens() -> None:
    import random

    from server.master import Master
    from server.names import Randomness
    from server.store import SqliteStore

    from .conftest import scenarios
    from .harness import FakeClock

    def lesson(seed: int) -> tuple[Any, ...]:
        m = Master(SqliteStore(":memory:"), FakeClock(), scenarios=scenarios, random=Randomness(random.Random(seed)))
        m.connect(1, "10.0.0.1")
        m.connect(2, "10.0.0.2")
        created = m.receive(1, {"v": 1, "type": "create_session", "id": 1, "scenario": "mini"})[0].message
        joined = m.receive(2, {"v": 1, "type": "join", "id": 2, "code": created["code"], "name": "Ala"})
        token = next(o.message for o in joined if o.message and o.message["type"] == "joined")["resume_token"]
        return created["code"], m.sessions[created["code"]].seed, created["host_token"], token

    first = lesson(7)
    assert lesson(7) == first
    assert lesson(8) != first
    assert len(first[2]) == len(first[3]) == 43  # 32 bytes, URL-safe base64


def test_a_vote_before_the_game_starts_is_refused_as_not_started() -> None:
    h = Harness()
    host, code, _ = h.game(timer=None)
    a, _ = h.join(code, "A", "hawks")
    before = h.digest(code)
    assert h.send(a, "vote", card="talks", option="sign")["code"] == "session/not_started"
    assert h.send(a, "unvote", card="talks")["code"] == "session/not_started"
    assert h.digest(code) == before
    h.ok(host, "start")
    h.ok(a, "vote", card="talks", option="sign")
