"""Bots in a session's seats: who they are, when they think, and how their votes come back.

A bot is a session ``Member`` with ``bot`` set to its level and a player id ``b1``, ``b2``…
(``Session.next_bot``), named by both (``bot_name``: "Bot 2 · hard"). It has no token and no connection. The host seats one per team
(``add_bot``, ``create_session``'s ``bots``, ``start``'s ``fill_bots``); with ``bots_yield``
(the default) it leaves its team when a student joins it or is moved into it.

Thinking is sans-I/O. When a team's vote opens (the game enters ``deliberation``, a bot is
added mid-vote, a session is restored or unpaused), ``BotSeats.wake`` makes a ``ThinkJob`` per
bot that still has something to vote on: the bot's **seat view** (``view_for(state,
team_seat(team))``, exactly what a student of that team receives) and its own seed
(``bot_seed(session seed, turn, team)``) — never the state nor the session's seed. The Driver
hands each job to its shell as an ``Outgoing`` with ``think`` set; the shell runs
``think(job)`` in a process pool (``BotPool``) and gives the ``BotAnswer`` back to
``Driver.bot_answered``. The Master then sends the bot's votes as ordinary ``vote`` requests of
the bot's player through the same parsing, checks and handlers as a person's
(``Master.act_as``), so a bot is refused exactly as a person would be. An answer for a turn
that has moved on, for a bot that left or changed level, or superseded by a newer job, is
dropped unread (``BotSeats.answered``).
"""

from __future__ import annotations

import contextlib
import itertools
import logging
import multiprocessing
import os
import pickle
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from game.bots.bot import Bot, bot_seed
from game.engine import Phase, Scenario, view_for, withdraw_player
from game.engine.voting import open_options
from game.wire import SessionStatus, team_seat
from server import replies
from server.connections import Binding, ConnId
from server.errors import SessionError
from server.protocol import Request
from server.replies import Outgoing
from server.session import Member, Session

if TYPE_CHECKING:
    from server.master import Master

log = logging.getLogger("crossroads.server.bots")

BOT_CONN: ConnId = 0  # the connection a bot's requests come from: no real connection has this id
MAX_WORKERS = 2  # processes thinking at most (a classroom laptop has 2-4 cores; the loop keeps one)


def bot_name(player: str, level: str) -> str:
    """A bot's display name: its number and level ("Bot 2 · hard"). The number is its player id's
    (``b2``), which is stored with the session's members: no two bots of a session share it, and
    it stays the same over a level change, a reconnect and a restart."""
    return f"Bot {player[1:]} · {level}"


# ------------------------------------------------------------------ the job (crosses the process boundary)


@dataclass(frozen=True, slots=True)
class ThinkJob:
    """One decision a bot has to make, with everything it may know and nothing more.

    ``view`` is its seat's view, ``seed`` its own seed for this turn; ``scenario_blob`` is the
    pickled scenario (the worker keeps one copy per ``scenario_digest``). ``ticket`` names this
    job: only the answer to a bot's latest job counts."""

    code: str
    player: str
    team: str
    level: str
    turn: int
    ticket: int
    view: dict[str, Any]
    seed: int
    scenario_digest: str
    scenario_blob: bytes = field(repr=False)


@dataclass(frozen=True, slots=True)
class BotAnswer:
    """What ``think`` returns: the bot's vote on each card (card -> option), or ``error``."""

    code: str
    player: str
    turn: int
    ticket: int
    choices: dict[str, str]
    seconds: float = 0.0  # how long the decision took in the worker
    error: str | None = None


_WORKER_SCENARIOS: dict[str, Scenario] = {}
_WORKER_BOTS: dict[tuple[str, str, str], Bot] = {}


def think(job: ThinkJob) -> BotAnswer:
    """Decide ``job`` (pure: the same job gives the same answer). Runs in a worker process; any
    failure comes back as ``BotAnswer.error``, never as an exception."""
    began = time.perf_counter()
    try:
        scenario = _WORKER_SCENARIOS.get(job.scenario_digest)
        if scenario is None:
            scenario = _WORKER_SCENARIOS[job.scenario_digest] = pickle.loads(job.scenario_blob)
        key = (job.scenario_digest, job.team, job.level)
        bot = _WORKER_BOTS.get(key)
        if bot is None:
            bot = _WORKER_BOTS[key] = Bot(scenario, job.team, job.level)
        choices = bot.decide(job.view, job.seed)
        return BotAnswer(job.code, job.player, job.turn, job.ticket, choices, time.perf_counter() - began)
    except Exception as exc:  # a bug in a bot must not kill the worker or the lesson
        return BotAnswer(job.code, job.player, job.turn, job.ticket, {}, time.perf_counter() - began,
                         error=f"{type(exc).__name__}: {exc}")


WORKER_NICENESS = 10  # how much lower the thinking processes run than the server (os.nice)


def _worker_start(niceness: int) -> None:
    """In each thinking process, first: yield the CPU to the server process. On a 2-core laptop
    two busy workers would otherwise take turns with the event loop; at niceness 10 the
    scheduler gives the loop ~90% of a contended core, so pushes and pings stay prompt."""
    if niceness:
        with contextlib.suppress(AttributeError, OSError):  # os.nice: not on Windows
            os.nice(niceness)


class BotPool:
    """The shells' process pool for ``think``: spawn context, at most ``MAX_WORKERS`` processes at
    a lower priority (``WORKER_NICENESS``), created on the first job (a lesson without bots never
    starts one). ``submit(job)`` returns a ``concurrent.futures.Future`` of the ``BotAnswer``; a
    broken pool (a worker killed) is replaced on the next job, and the jobs it lost answer with
    ``error`` (``answer_of``)."""

    def __init__(self, workers: int = MAX_WORKERS, niceness: int = WORKER_NICENESS) -> None:
        self.workers = max(1, min(workers, MAX_WORKERS))
        self.niceness = niceness
        self._pool: ProcessPoolExecutor | None = None

    def _new_pool(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_worker_start, initargs=(self.niceness,))

    def submit(self, job: ThinkJob) -> Future[BotAnswer]:
        if self._pool is None:
            self._pool = self._new_pool()
        try:
            return self._pool.submit(think, job)
        except (BrokenProcessPool, RuntimeError):
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = self._new_pool()
            return self._pool.submit(think, job)

    @staticmethod
    def answer_of(job: ThinkJob, future: Future[BotAnswer]) -> BotAnswer:
        """The future's answer; a lost job (broken pool, cancelled) as an answer with ``error``."""
        try:
            return future.result()
        except BaseException as exc:  # whatever happened to the worker, the lesson goes on
            return BotAnswer(job.code, job.player, job.turn, job.ticket, {}, error=f"{type(exc).__name__}: {exc}")

    def shutdown(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)


# ------------------------------------------------------------------ the Master's side


def still_to_vote(s: Session, bot: Member) -> list[str]:
    """The current cards on which ``bot`` could vote and has not (empty outside deliberation)."""
    state = s.state
    if bot.team is None or state.phase is not Phase.DELIBERATION:
        return []
    return [card for card in state.cards
            if open_options(state, card, bot.team)
            and all(entry[0] != bot.player for entry in state.votes.get((card, bot.team), ()))]


class BotSeats:
    """The Master's bookkeeping of bot thinking: the jobs for the shell, the latest ticket of each
    bot that is thinking. Sans-I/O: ``take_jobs`` hands jobs out, ``answered`` takes answers in."""

    def __init__(self) -> None:
        self._jobs: list[ThinkJob] = []
        self._thinking: dict[tuple[str, str], int] = {}  # (code, player) -> ticket of its latest job
        self._tickets = itertools.count(1)
        self._blobs: dict[str, bytes] = {}
        self.dropped = 0  # answers dropped as stale (for tests and logs)
        self.refused = 0  # votes of bots the handlers refused

    def has_jobs(self) -> bool:
        return bool(self._jobs)

    def take_jobs(self) -> list[ThinkJob]:
        jobs, self._jobs = self._jobs, []
        return jobs

    def is_thinking(self, code: str, player: str) -> bool:
        return (code, player) in self._thinking

    def wake(self, s: Session) -> None:
        """Start a job for every bot of ``s`` that has something to vote on now and is not already
        thinking about it (call when the vote opens, a bot is added, after a restore or unpause)."""
        if s.status != SessionStatus.OPEN or not s.started or s.timer.paused:
            return
        if s.state.phase is not Phase.DELIBERATION:
            return
        playing = set(s.teams)
        for bot in list(s.members.values()):
            if bot.bot is None or bot.team not in playing or self.is_thinking(s.code, bot.player):
                continue
            if still_to_vote(s, bot):
                self._jobs.append(self._job(s, bot))

    def forget(self, code: str, player: str) -> None:
        """``player`` left (or changed level): whatever it was thinking will be dropped."""
        if self._thinking.pop((code, player), None) is not None:
            self._jobs = [j for j in self._jobs if (j.code, j.player) != (code, player)]

    def _job(self, s: Session, bot: Member) -> ThinkJob:
        assert bot.team is not None and bot.bot is not None
        digest = s.scenario.digest
        blob = self._blobs.get(digest)
        if blob is None:
            blob = self._blobs[digest] = pickle.dumps(s.scenario, pickle.HIGHEST_PROTOCOL)
        ticket = next(self._tickets)
        self._thinking[(s.code, bot.player)] = ticket
        view = view_for(s.state, team_seat(bot.team))
        return ThinkJob(s.code, bot.player, bot.team, bot.bot, s.state.turn, ticket, view,
                        bot_seed(s.seed, s.state.turn, bot.team), digest, blob)

    def answered(self, m: Master, answer: BotAnswer) -> list[Outgoing]:
        """Apply a bot's answer as its ``vote`` requests, unless it is stale (then drop it)."""
        key = (answer.code, answer.player)
        if self._thinking.get(key) != answer.ticket:
            self.dropped += 1  # superseded, or the bot left meanwhile
            return []
        del self._thinking[key]
        s = m.sessions.get(answer.code)
        bot = s.members.get(answer.player) if s is not None else None
        if s is None or bot is None or bot.bot is None:
            self.dropped += 1
            return []
        if answer.error is not None:
            log.error("bot %s of session %s could not decide: %s", answer.player, answer.code, answer.error)
            return []
        if s.state.turn != answer.turn or s.state.phase is not Phase.DELIBERATION:
            self.dropped += 1  # the vote it thought about is over
            return []
        out: list[Outgoing] = []
        for card, option in sorted(answer.choices.items()):
            reply, pushed = m.act_as(s.code, answer.player, {"v": 1, "type": "vote", "id": 0, "card": card,
                                                               "option": option})
            out.extend(pushed)
            if reply.get("type") == "error":
                self.refused += 1
                log.warning("bot %s of session %s: vote %s=%s refused: %s", answer.player, answer.code, card,
                            option, reply.get("code"))
        return out


# ------------------------------------------------------------------ seating bots (host requests)


def _check_team(s: Session, team: str) -> None:
    if team not in s.config["teams"]:
        raise SessionError("team/unknown", f"team {team!r} does not play in this session")


def seat_bot(m: Master, s: Session, team: str, level: str) -> Member:
    """Give ``team`` a bot of ``level`` (its bot's level changes if it has one); saved first. A bot
    added while its team's vote is open starts thinking at once."""
    _check_team(s, team)
    old = s.bot_of(team)
    if old is not None:
        if old.bot == level:
            return old
        bot = replace(old, bot=level, name=bot_name(old.player, level))
        m.store.save(s.code, members=[bot.record()])
        s.members[bot.player] = bot
        m.bots.forget(s.code, bot.player)  # what the old level was thinking no longer counts
    else:
        player = f"b{s.next_bot}"
        bot = Member(player, bot_name(player, level), team, "", m.clock(), level)
        m.store.save(s.code, members=[bot.record()])
        s.next_bot += 1
        s.members[bot.player] = bot
    m.push.mark(s, lobby=True)
    m.bots.wake(s)
    return bot


def unseat_bot(m: Master, s: Session, bot: Member) -> None:
    """Take ``bot`` out of its team and the session: its votes are withdrawn (as a kicked player's)."""
    decisions = [] if bot.team is None else withdraw_player(s.state, bot.team, bot.player)
    m.apply(s, decisions, removed=[bot.player])
    del s.members[bot.player]
    m.bots.forget(s.code, bot.player)
    m.push.mark(s, lobby=True)
    m.maybe_auto_resolve(s)  # the last one who had not voted may have been the bot


def yield_team(m: Master, s: Session, team: str | None) -> None:
    """A student came into ``team``: its bot leaves, if the session's bots yield (the default)."""
    if team is None or not s.config.get("bots_yield", True):
        return
    bot = s.bot_of(team)
    if bot is not None:
        unseat_bot(m, s, bot)


def fill_empty(m: Master, s: Session, level: str) -> None:
    """Every playing team without a member gets a bot of ``level``."""
    for team in s.teams:
        if not any(mem.team == team for mem in s.members.values()):
            seat_bot(m, s, team, level)


def add_bot(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    s = m.sessions[binding.code]
    bot = seat_bot(m, s, req["team"], req["level"])
    return [replies.reply(conn, req, player=bot.player)]


def remove_bot(m: Master, conn: ConnId, binding: Binding, req: Request) -> list[Outgoing]:
    s = m.sessions[binding.code]
    _check_team(s, req["team"])
    bot = s.bot_of(req["team"])
    if bot is None:
        raise SessionError("bot/none", f"team {req['team']!r} has no bot")
    unseat_bot(m, s, bot)
    return [replies.reply(conn, req)]


HANDLERS = {"add_bot": add_bot, "remove_bot": remove_bot}
