"""The teacher's report as one self-contained HTML file: inline CSS and SVG, nothing fetched, A4 print.

``render_html(report)`` returns the page as a string (UTF-8, in the report's language).
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from .chart import tracks_svg
from .labels import label
from .model import CardReport, Report, TeamDecision, TurnReport

CSS = """
:root { --ink:#1b1b1b; --muted:#5b5b5b; --line:#cfcfcf; --band:#f3efe6; --accent:#8a2b1d; --ok:#2e6b34; --no:#9a3b14; }
* { box-sizing: border-box; }
body { font-family: "DejaVu Sans", "Noto Sans", Arial, sans-serif; color: var(--ink); margin: 0 auto;
       max-width: 1040px; padding: 24px 32px; line-height: 1.4; font-size: 14px; background: #fff; }
h1 { font-size: 26px; margin: 0 0 4px; color: var(--accent); }
h2 { font-size: 20px; border-bottom: 2px solid var(--accent); padding-bottom: 3px; margin-top: 32px; }
h3 { font-size: 16px; margin: 22px 0 6px; background: var(--band); padding: 4px 8px; }
h4 { font-size: 14px; margin: 14px 0 4px; }
.sub { color: var(--muted); margin: 0 0 12px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; }
th, td { border: 1px solid var(--line); padding: 3px 6px; text-align: left; vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
.note { color: var(--muted); font-size: 12.5px; }
table.whatif td.ok { color: var(--ok); text-align: center; } table.whatif td.off { color: var(--no); text-align: center; }
.warn { color: var(--no); font-weight: 600; }
.ok { color: var(--ok); }
.badge { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px; border: 1px solid; }
.badge.same { color: var(--ok); } .badge.diff { color: var(--no); } .badge.silent { color: var(--muted); }
blockquote { margin: 4px 0 4px 12px; padding: 2px 10px; border-left: 3px solid var(--accent); }
blockquote .gloss { display: block; color: var(--muted); font-style: italic; }
blockquote .section { display: block; color: var(--muted); font-size: 12px; }
.chart { width: 100%; max-width: 760px; height: auto; }
nav ol { columns: 2; }
.ctl { white-space: nowrap; }
ul.taken { margin: 0 0 6px; padding-left: 20px; } p.taken { margin: 6px 0 0; }
p.team { margin: 10px 0 2px; }
.changed { font-weight: 700; }
footer { margin-top: 30px; color: var(--muted); font-size: 12px; border-top: 1px solid var(--line); padding-top: 6px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10pt; line-height: 1.3; }
  table { font-size: 9pt; } th, td { padding: 1px 4px; }
  h1 { font-size: 18pt; } h2 { font-size: 14pt; margin-top: 0; } h3 { font-size: 12pt; }
  nav { display: none; }
  h2 { break-before: page; page-break-before: always; }
  h2.first { break-before: auto; page-break-before: auto; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  tr, blockquote, .chart, .team-block { break-inside: avoid; page-break-inside: avoid; }
  th { background: #eee !important; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  td.ctl { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  a { color: inherit; text-decoration: none; }
}
"""


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _when(ts: object) -> str:
    if not isinstance(ts, int | float) or ts <= 0:
        return ""
    return datetime.fromtimestamp(ts, UTC).strftime("%Y-%m-%d %H:%M UTC")


def render_html(report: Report) -> str:
    """The whole report page (a string: write it as UTF-8)."""
    lang = report.lang
    r = report
    sections = [
        ("summary", label(lang, "sec.summary"), _summary(r)),
        ("turns", label(lang, "sec.turns"), "".join(_turn(r, t) for t in r.turns)),
        ("tracks", label(lang, "sec.tracks"), _tracks(r)),
        ("history", label(lang, "sec.history"), _history(r)),
        ("scores", label(lang, "sec.scores"), _scores(r)),
        ("learning", label(lang, "sec.learning"), _learning(r)),
        ("questions", label(lang, "sec.questions"), _questions(r)),
    ]
    if r.whatif is not None:
        from .whatif import render_whatif

        sections.insert(4, ("whatif", label(lang, "sec.whatif"), render_whatif(lang, r.scenario, r.whatif)))
    nav = "".join(f'<li><a href="#{key}">{_e(title)}</a></li>' for key, title, _ in sections)
    body = "".join(
        f'<section id="{key}"><h2{" class=first" if i == 0 else ""}>{_e(title)}</h2>{html}</section>'
        for i, (key, title, html) in enumerate(sections)
    )
    title = f"{label(lang, 'title')} — {r.text(r.scenario.title)} — {r.session.get('code', '')}"
    return (
        f'<!DOCTYPE html>\n<html lang="{_e(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head><body>"
        f"<header><h1>{_e(label(lang, 'title'))}</h1><p class=sub>{_e(r.text(r.scenario.title))}</p>"
        f"{_facts(r)}</header>"
        f"<nav><h4>{_e(label(lang, 'contents'))}</h4><ol>{nav}</ol></nav>{body}"
        f"<footer>{_e(label(lang, 'printed'))}: {_e(_when(r.session.get('exported_at')))} · Crossroads 1917–1922 · "
        f"{_e(r.scenario.id)} · {_e(r.scenario.digest[:12])}</footer></body></html>\n"
    )


def _facts(r: Report) -> str:
    lang, s = r.lang, r.session
    status = label(lang, "status.ended" if s.get("status") == "ended" or r.finished else "status.open")
    rows = [
        (label(lang, "code"), s.get("code", "")),
        (label(lang, "date"), _when(s.get("created_at"))),
        (label(lang, "status"), status),
        (label(lang, "turns_played"), f"{sum(t.resolved for t in r.turns)} / {r.scenario.turn_count}"),
        (label(lang, "players"), str(len(r.members))),
        (label(lang, "votes"), str(r.votes_total)),
    ]
    facts = "".join(f"<dt>{_e(k)}</dt><dd>{_e(v)}</dd>" for k, v in rows)
    digest = r.session.get("scenario_digest") or r.scenario.digest
    facts += (f'<dt>{_e(label(lang, "version"))}</dt><dd><code title="{_e(digest)}">{_e(digest[:16])}</code> '
              f'<span class=note>({_e(label(lang, "version_note"))})</span></dd>')
    notes = [f'<p class=ok>{_e(label(lang, "verified"))}</p>' if r.verified
             else f'<p class=warn>{_e(label(lang, "not_verified"))}</p>']
    if not r.digest_matches:
        notes.append(f'<p class=warn>{_e(label(lang, "version_mismatch"))}</p>')
    return f'<dl class="facts">{facts}</dl>{"".join(notes)}'


def _summary(r: Report) -> str:
    lang = r.lang
    if r.ending is not None:
        e = r.scenario.endings[r.ending]
        ending = f"<p><b>{_e(label(lang, 'ending'))}:</b> {_e(r.text(e.title))}</p><p>{_e(r.text(e.text))}</p>"
    else:
        ending = f"<p>{_e(label(lang, 'no_ending'))}</p>"
    rows = []
    for row in r.learning:
        pct = f" ({round(100 * row.matched / row.counted)}%)" if row.counted else ""
        total = r.scores.get(row.team, {}).get("total", 0)
        rows.append(f"<tr><td>{_e(r.team_name(row.team))}</td><td class=num>{_e(_num(total))}</td>"
                    f"<td class=num>{row.matched} / {row.counted}{pct}</td></tr>")
    head = (f"<tr><th>{_e(label(lang, 'team'))}</th><th class=num>{_e(label(lang, 'total'))}</th>"
            f"<th class=num>{_e(label(lang, 'matched'))}</th></tr>")
    return f"{ending}<table>{head}{''.join(rows)}</table>{_members(r)}"


def _members(r: Report) -> str:
    lang = r.lang
    cast: dict[str, int] = {}
    for _t, _c, _d, v in r.votes():
        if v.option is not None:
            cast[v.player] = cast.get(v.player, 0) + 1
    rows = "".join(
        f"<tr><td>{_e(m['name'])}</td><td>{_e(r.team_name(m['team']) if m.get('team') else '—')}</td>"
        f"<td class=num>{cast.get(m['player'], 0)}</td>"
        f"<td>{_e(label(lang, 'yes' if m.get('online', True) else 'no'))}</td></tr>"
        for m in sorted(r.members, key=lambda m: (str(m.get('team')), m["name"]))
    )
    head = (f"<tr><th>{_e(label(lang, 'name'))}</th><th>{_e(label(lang, 'team'))}</th>"
            f"<th class=num>{_e(label(lang, 'decisions_voted'))}</th><th>{_e(label(lang, 'online'))}</th></tr>")
    return f"<h4>{_e(label(lang, 'players'))}</h4><table class=members>{head}{rows}</table>"


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}"


def _turn(r: Report, t: TurnReport) -> str:
    lang = r.lang
    head = f'<h3 id="turn-{t.turn}">{_e(label(lang, "turn"))} {t.turn}: {_e(r.text(t.label))} ({_e(t.date)})</h3>'
    if not t.resolved:
        head += f"<p class=warn>{_e(label(lang, 'in_play'))}</p>"
    return head + "".join(_card(r, c) for c in t.cards)


def _card(r: Report, c: CardReport) -> str:
    lang = r.lang
    out = [f'<div class="card"><h4>{_e(r.text(c.title))}</h4>']
    if c.choices:
        taken = "".join(f"<li>{_e(r.decider_name(d))}: {_e(r.option_text(c.card, o))}</li>" for d, o in c.choices.items())
        out.append(f"<p class=taken><b>{_e(label(lang, 'taken'))}:</b></p><ul class=taken>{taken}</ul>")
    for d in c.teams:
        out.append(_team_votes(r, c, d))
    out.append("</div>")
    return "".join(out)


def _team_votes(r: Report, c: CardReport, d: TeamDecision) -> str:
    lang = r.lang
    if d.choice is not None:
        decision = _e(r.option_text(c.card, d.choice))
    else:
        decision = _e(label(lang, "defaulted" if d.defaulted else "no_decision"))
    split = "; ".join(f"{n} × {_e(r.option_text(c.card, o).rstrip('.'))}" for o, n in sorted(d.split.items(), key=lambda kv: -kv[1]))
    out = [f"<div class=team-block><p class=team><b>{_e(r.team_name(d.team))}</b> — {_e(label(lang, 'decision'))}: <b>{decision}</b>"
           f"{'<br>' + _e(label(lang, 'split')) + ': ' + split if split else ''}</p>"]
    if d.votes:
        head = "".join(f"<th{' class=num' if k in ('seconds', 'changes') else ''}>{_e(label(lang, k))}</th>"
                       for k in ("name", "option", "seconds", "changes", "became"))
        rows = []
        for v in d.votes:
            option = _e(r.option_text(c.card, v.option)) if v.option else f"<i>{_e(label(lang, 'withdrawn'))}</i>"
            secs = "" if v.seconds is None else f"{_num(v.seconds)} {label(lang, 'seconds_unit')}"
            name = _e(v.name) + ("" if v.name != v.player else f" {_e(label(lang, 'removed'))}")
            rows.append(f"<tr><td>{name}</td><td>{option}</td><td class=num>{_e(secs)}</td>"
                        f"<td class=num>{v.changes}</td><td>{_e(label(lang, 'yes' if v.became_choice else 'no'))}</td></tr>")
        out.append(f"<table class=votes><tr>{head}</tr>{''.join(rows)}</table>")
    if d.missing:
        who = ", ".join(_e(name) + ("" if online else f" ({_e(label(lang, 'offline'))})")
                        for _p, name, online in d.missing)
        out.append(f"<p class=note>{_e(label(lang, 'not_voted'))}: {who}</p>")
    elif d.votes:
        out.append(f"<p class=note>{_e(label(lang, 'nobody_missing'))}</p>")
    if d.away:
        out.append(f"<p class=note>{_e(label(lang, 'away'))}: {', '.join(_e(name) for _p, name in d.away)}</p>")
    out.append("</div>")
    return "".join(out)


def _tracks(r: Report) -> str:
    lang = r.lang
    x_labels = [label(lang, "start")] + [f"{label(lang, 'turn')[:1]}{t.turn}" for t in r.turns]
    series = {tid: [r.start_tracks[tid]] + [t.tracks.get(tid, 0) for t in r.turns] for tid in r.scenario.tracks}
    names = {tid: r.text(tr.name) for tid, tr in r.scenario.tracks.items()}
    lo = min((tr.min for tr in r.scenario.tracks.values()), default=0)
    hi = max((tr.max for tr in r.scenario.tracks.values()), default=10)
    svg = tracks_svg(series, names, x_labels, lo, hi, label(lang, "tracks_chart"))
    head = "".join(f"<th class=num>{_e(x)}</th>" for x in x_labels)
    values = "".join(
        f"<tr><td>{_e(names[tid])}</td>" + "".join(f"<td class=num>{v}</td>" for v in vals) + "</tr>"
        for tid, vals in series.items()
    )
    table = f"<table><tr><th>{_e(label(lang, 'tracks_chart'))}</th>{head}</tr>{values}</table>"
    return f"<h4>{_e(label(lang, 'tracks_chart'))}</h4>{svg}{table}{_control(r, x_labels)}"


def _abbrev(name: str, taken: set[str]) -> str:
    """A short mark for a controller's name in the control table ("Rosja radziecka" -> "RR")."""
    words = [w for w in name.replace("-", " ").split() if w[:1].isalpha() and len(w) > 2] or [name]
    mark = "".join(w[0].upper() for w in words)[:3]
    base, n = mark, 2
    while mark in taken:
        mark, n = f"{base}{n}", n + 1
    taken.add(mark)
    return mark


def _control(r: Report, x_labels: list[str]) -> str:
    lang = r.lang
    columns = [r.start_control] + [t.control for t in r.turns]
    seen = [c for c in r.scenario.controllers if any(c in col.values() for col in columns)]
    taken: set[str] = set()
    marks = {c: _abbrev(r.text(r.scenario.controllers[c].name), taken) for c in seen}
    rows = []
    for region in r.start_control:
        cells, before = [], None
        for col in columns:
            who = col.get(region, "")
            ctrl = r.scenario.controllers.get(who)
            colour = ctrl.color if ctrl else "#ffffff"
            name = r.text(ctrl.name) if ctrl else who
            cls = "ctl changed" if before is not None and who != before else "ctl"
            cells.append(f'<td class="{cls}" title="{_e(name)}" style="background:{_e(colour)}26;'
                         f'border-left:4px solid {_e(colour)}">{_e(marks.get(who, who))}</td>')
            before = who
        rows.append(f"<tr><td>{_e(r.region_name(region))}</td>{''.join(cells)}</tr>")
    head = "".join(f"<th>{_e(x)}</th>" for x in x_labels)
    legend = " · ".join(
        f'<span class=ctl style="border-left:4px solid {_e(r.scenario.controllers[c].color)};padding-left:4px">'
        f"<b>{_e(marks[c])}</b> {_e(r.text(r.scenario.controllers[c].name))}</span>" for c in seen)
    return (f"<h4>{_e(label(lang, 'control_table'))}</h4>"
            f"<table class=control><tr><th>{_e(label(lang, 'region'))}</th>{head}</tr>{''.join(rows)}</table>"
            f"<p class=note>{legend}</p>")


def _history(r: Report) -> str:
    lang = r.lang
    out = []
    for t in r.turns:
        if not t.resolved:
            continue  # nothing decided yet: no path to hold against history
        for c in t.cards:
            out.append(f'<div class="card"><h4>{_e(label(lang, "turn"))} {t.turn} · {_e(r.text(c.title))}</h4>')
            rows = []
            for decider, option in c.choices.items():
                history = c.history_options.get(decider, [])
                if c.off_turn:
                    badge, cls = label(lang, "off_turn"), "silent"
                elif not history:
                    badge, cls = label(lang, "silent"), "silent"
                elif option in history:
                    badge, cls = label(lang, "same"), "same"
                else:
                    badge, cls = label(lang, "different"), "diff"
                hist = "; ".join(_e(r.option_text(c.card, o)) for o in history) or "—"
                rows.append(f"<tr><td>{_e(r.decider_name(decider))}</td><td>{_e(r.option_text(c.card, option))}</td>"
                            f'<td>{hist}</td><td><span class="badge {cls}">{_e(badge)}</span></td></tr>')
            if rows:
                out.append(f"<table><tr><th>{_e(label(lang, 'team'))}</th><th>{_e(label(lang, 'our_choice'))}</th>"
                           f"<th>{_e(label(lang, 'history_choice'))}</th><th></th></tr>{''.join(rows)}</table>")
            ours = [r.text(o.get("text")) for o in c.outcomes or () if isinstance(o, dict) and r.text(o.get("text"))]
            if ours:
                out.append(f"<p><b>{_e(label(lang, 'our_outcome'))}:</b> {_e(' '.join(ours))}</p>")
            if r.text(c.history_text):
                out.append(f"<p><b>{_e(label(lang, 'history_text'))}:</b> {_e(r.text(c.history_text))}</p>")
            out.append("".join(_quote(r, q) for q in c.history_sources))
            out.append("</div>")
    return "".join(out)


def _quote(r: Report, q: dict[str, str]) -> str:
    gloss = q.get("en") if r.lang == "en" else None
    return (f"<blockquote><span class=quote>„{_e(q.get('quote', ''))}”</span>"
            f"{'<span class=gloss>' + _e(gloss) + '</span>' if gloss else ''}"
            f"<span class=section>{_e(label(r.lang, 'section'))}: {_e(q.get('section', ''))}</span></blockquote>")


def _scores(r: Report) -> str:
    lang = r.lang
    head = "".join(f"<th class=num>{_e(label(lang, k))}</th>" for k in ("public", "secret", "total"))
    rows = "".join(
        f"<tr><td>{_e(r.team_name(team))}</td>"
        + "".join(f"<td class=num>{_e(_num(row.get(k, 0)))}</td>" for k in ("public", "secret", "total")) + "</tr>"
        for team, row in r.scores.items() if team in r.playing_teams
    )
    return f"<table><tr><th>{_e(label(lang, 'team'))}</th>{head}</tr>{rows}</table>"


def _learning(r: Report) -> str:
    lang = r.lang
    rows = []
    for row in r.learning:
        pct = f"{round(100 * row.matched / row.counted)}%" if row.counted else "—"
        differed = "<br>".join(
            f"{_e(label(lang, 'turn'))} {turn}: {_e(r.text(r.scenario.cards[card].title))} — "
            f"{_e(label(lang, 'our_choice'))}: {_e(r.option_text(card, ours))} "
            f"{_e(label(lang, 'history_choice'))}: {_e('; '.join(r.option_text(card, o) for o in hist))}"
            for turn, card, ours, hist in row.differed
        ) or _e(label(lang, "none"))
        rows.append(f"<tr><td>{_e(r.team_name(row.team))}</td><td class=num>{row.matched}</td>"
                    f"<td class=num>{row.counted}</td><td class=num>{pct}</td><td class=num>{row.silent}</td>"
                    f"<td>{differed}</td></tr>")
    head = "".join(f"<th{' class=num' if k != 'differed' else ''}>{_e(label(lang, k))}</th>"
                   for k in ("matched", "counted"))
    head += f"<th class=num>%</th><th class=num>{_e(label(lang, 'silent_count'))}</th><th>{_e(label(lang, 'differed'))}</th>"
    return (f"<p class=note>{_e(label(lang, 'learning_note'))}</p>"
            f"<table><tr><th>{_e(label(lang, 'team'))}</th>{head}</tr>{''.join(rows)}</table>")


def _questions(r: Report) -> str:
    lang, q = r.lang, r.questions
    if q.items:
        items = "".join(f"<li>{_e(item)}</li>" for item in q.items)
        note = label(lang, "questions_from", source=q.source, heading=q.heading) if q.origin == "guide" else ""
        return f"<ol>{items}</ol><p class=note>{_e(note)}</p>"
    source = q.source or f"docs/history/{r.scenario.id}.md"
    return f"<p>{_e(label(lang, 'questions_missing', source=source))}</p>"
