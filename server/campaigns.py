"""A campaign's lessons on the server: which start a new lesson gets, and what clients see of it.

``create_session`` with ``campaign`` (the campaign's id) and ``campaign_step`` (0-based) starts
that step; with ``campaign_from`` (the previous lesson's host token, as the saved-lesson list
holds it) it starts the step after that lesson, carrying how it ended. Without
``campaign_from`` a later step starts from history's state (every earlier step played on
history's path). The lesson's config keeps ``campaign: {id, step, steps, from, start}``:
``start`` is the carried ``Start`` (wire form), which every replay of the log needs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from game.campaign import (
    builtin_campaign,
    builtin_campaign_ids,
    carry,
    historical_start,
    lesson_start,
    lesson_summary,
    start_entries,
)
from game.engine import Phase, Scenario, Start, replay
from game.wire import SessionStatus
from server import names
from server.errors import AuthError, SessionError

__all__ = ["lesson_start", "plan", "start_entries"]

if TYPE_CHECKING:
    from server.master import Master
    from server.protocol import Request


def plan(m: Master, req: Request, scenario: Scenario, seed: int) -> tuple[dict[str, Any] | None, Start | None]:
    """The ``campaign`` config entry and the start of a new lesson asked for by ``req``, or
    ``(None, None)`` when it is not a campaign lesson. Raises SessionError/AuthError."""
    copied = req.fields.get("copy_campaign")  # duplicate_session: the same step, the same carried start
    if copied:
        return dict(copied), lesson_start({"campaign": copied})
    campaign_id = req.fields.get("campaign")
    if campaign_id is None:
        if req.fields.get("campaign_from") is not None or req.fields.get("campaign_step") is not None:
            raise SessionError("campaign/unknown", "name the campaign (`campaign`) of this lesson")
        return None, None
    if campaign_id not in builtin_campaign_ids():
        raise SessionError("campaign/unknown", f"no campaign {campaign_id!r} on this server")
    campaign = builtin_campaign(campaign_id)
    step = req["campaign_step"]
    previous = None
    if req["campaign_from"] is not None:
        previous = _previous_lesson(m, req["campaign_from"], campaign_id)
        prev_step = previous.config["campaign"]["step"]
        if step is None:
            step = prev_step + 1
        if step != prev_step + 1 or step >= len(campaign.steps):
            raise SessionError("campaign/wrong_step",
                               f"the lesson after step {prev_step + 1} of {len(campaign.steps)} is step {prev_step + 2}")
    step = 0 if step is None else step
    if not 0 <= step < len(campaign.steps):
        raise SessionError("campaign/wrong_step", f"{campaign_id} has steps 1..{len(campaign.steps)}")
    if campaign.steps[step].scenario != scenario.id:
        raise SessionError("campaign/wrong_step",
                           f"step {step + 1} of {campaign_id} is {campaign.steps[step].scenario!r}, not {scenario.id!r}")
    if previous is not None:
        start: Start | None = carry(campaign.steps[step], previous.state, scenario)
    else:
        start = historical_start(campaign, step, seed, m.scenario)
    entry = {"id": campaign_id, "step": step, "steps": len(campaign.steps),
             "from": previous.code if previous is not None else None,
             "start": start.to_wire() if start is not None and not start.empty else None,
             "teams": dict(campaign.steps[step].teams),
             # the lessons before this one (for the campaign debrief): each one's ending and scores
             "path": ([*(previous.config["campaign"].get("path") or []),
                       lesson_summary(step - 1, previous.code, previous.state)] if previous is not None else [])}
    return entry, (start if start is not None and not start.empty else None)


class _Previous:
    def __init__(self, code: str, config: dict[str, Any], state: Any) -> None:
        self.code, self.config, self.state = code, config, state


def _previous_lesson(m: Master, token: str, campaign_id: str) -> _Previous:
    """The ended lesson whose host token is ``token``, of the same campaign (open or only stored)."""
    found = m.tokens.get(names.token_hash(token))
    if found is None or found[1] is not None:
        raise AuthError("auth/bad_token", "unknown host token of the previous lesson")
    code = found[0]
    s = m.sessions.get(code)
    if s is not None:
        config, state = s.config, s.state
    else:
        snap = m.store.load_session(code)
        if snap is None:
            raise AuthError("auth/bad_token", "the previous lesson is no longer saved")
        config = snap.record.config
        state = replay(m.scenario(snap.record.scenario), snap.record.seed, [e.decision for e in snap.log],
                       lesson_start(config))
    camp = config.get("campaign") or {}
    if camp.get("id") != campaign_id:
        raise SessionError("campaign/wrong_step", "the previous lesson is not a lesson of this campaign")
    if state.phase is not Phase.ENDED and (s is None or s.status != SessionStatus.ENDED):
        raise SessionError("campaign/not_finished", "end the previous lesson first (its debrief carries over)")
    return _Previous(code, config, state)
