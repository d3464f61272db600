// The browser client's screens: each is drawn whole from the state in app.js (window.CR),
// keeping the focused control and the open disclosures as they were.
"use strict";
(function () {
  const CR = window.CR;
  const {
    $, S, t, pick, h, say, info, teamName, blocOf, memberName, myTeam, myOptions, myVote, optionText, placeName,
    riskLabel, formatTime, formatDate, remainingMs, vote, unvote, pickTeam, setLang, suggestName, submitJoin,
  } = CR;

  // ------------------------------------------------------------------ rendering

  function render() {
    document.documentElement.lang = S.lang;
    document.title = t("app.title");
    const focused = document.activeElement && document.activeElement.id;
    const app = $("#app");
    const open = new Set([...app.querySelectorAll("details[open]")].map((d) => d.id));
    const screen = chooseScreen();
    const fresh = h("div", {}, header(), S.notice ? h("p", { class: "notice", role: "alert", id: "notice" }, S.notice) : null, screen());
    morphChildren(app, fresh); // only what changed is touched: the browser lays out and paints only that
    placeMap(app);
    const name = screen.name.replace(/^screen/, "").toLowerCase();
    const turned = document.body.dataset.screen !== name || S.shownTurn !== (S.view && S.view.turn);
    document.body.dataset.screen = name;
    S.shownTurn = S.view && S.view.turn;
    for (const id of open) { const d = document.getElementById(id); if (d) d.open = true; }
    const still = focused && document.getElementById(focused);
    if (still) still.focus({ preventScroll: true });
    if (turned) {
      window.scrollTo(0, 0); // a new screen (or turn) starts at its top
      if (!still && focused) { const main = $("#main"); if (main) { main.setAttribute("tabindex", "-1"); main.focus({ preventScroll: true }); } }
    }
    renderClock();
    speakPhase();
  }

  // Redraw one card of the game screen in place (a vote sent or acknowledged changes only its
  // card): far cheaper than render(), which rebuilds the page, the map included. Anything else on
  // screen is as the last render() drew it; when the card is not on screen, render() it all.
  function renderCard(cardId) {
    const old = document.getElementById("card-" + cardId);
    const card = S.view && S.view.cards.find((c) => c.id === cardId);
    if (!old || !card || chooseScreen() !== screenGame) { render(); return; }
    const focused = document.activeElement && document.activeElement.id;
    morph(old, cardSection(card));
    if (focused && !document.getElementById(focused)) { // e.g. "withdraw my vote", gone with the vote
      const f = old.querySelector(".vote[aria-pressed=true]") || old.querySelector(".vote:not([disabled])");
      if (f) f.focus({ preventScroll: true });
    }
  }

  // Make the live element `old` look like the freshly built `fresh` (same tag), changing only what
  // differs: attributes, handlers (h() sets them as properties), text, children. Elements are
  // matched in order by tag and id; a mismatch is replaced by the fresh one. A <details> keeps the
  // "open" the student gave it. The map's SVG is matched by its key (see mapPanel).
  function morph(old, fresh) {
    if (old.dataset && old.dataset.mapKey && old.dataset.mapKey === fresh.dataset.mapKey) return; // the same map
    for (const a of [...old.attributes]) {
      if (!fresh.hasAttribute(a.name) && !(a.name === "open" && old.localName === "details")) old.removeAttribute(a.name);
    }
    for (const a of fresh.attributes) if (old.getAttribute(a.name) !== a.value) old.setAttribute(a.name, a.value);
    for (const k of new Set([...(old.handlers || []), ...(fresh.handlers || [])])) old[k] = fresh[k] || null;
    old.handlers = fresh.handlers;
    morphChildren(old, fresh);
  }

  function morphChildren(old, fresh) {
    const was = [...old.childNodes];
    const now = [...fresh.childNodes];
    now.forEach((n, i) => {
      const o = was[i];
      if (!o) old.appendChild(n);
      else if (o.nodeType !== n.nodeType || o.nodeName !== n.nodeName || (o.nodeType === 1 && o.id !== n.id)) old.replaceChild(n, o);
      else if (o.nodeType === 1) morph(o, n);
      else if (o.nodeValue !== n.nodeValue) o.nodeValue = n.nodeValue;
    });
    for (const o of was.slice(now.length)) old.removeChild(o);
  }

  function chooseScreen() {
    if (!S.view) return S.status === "final" ? screenGone : screenJoin;
    if (S.session.status === "ended" && S.view.phase !== "ended" && !S.notice) S.notice = t("error.session/ended");
    if (S.mode === "projector") return screenProjector;
    if (!S.session.started) return screenLobby;
    if (S.view.phase === "ended") return screenDebrief;
    if (!myTeam()) return screenLobby;
    return S.view.phase === "outcome" ? screenOutcome : screenGame;
  }

  function header() {
    const sc = info();
    const other = S.lang === "pl" ? "en" : "pl";
    return h("header", { class: "top" },
      h("div", { class: "brand" },
        h("span", { class: "game-name" }, t("app.title")),
        sc ? h("span", { class: "scenario" }, pick(sc.title)) : null),
      h("div", { class: "top-right" },
        S.view ? h("span", { class: "code", "aria-label": t("lobby.code") + " " + S.session.code }, S.session.code) : null,
        h("span", { id: "net", class: "net net-" + S.status }, S.status === "lost" ? t("net.reconnecting") : S.status === "connecting" ? t("net.connecting") : ""),
        h("button", { id: "lang", type: "button", class: "lang", lang: other, "aria-label": t("lang.switch_label"), onclick: () => setLang(other) }, t("lang.switch"))));
  }

  function renderStatus() {
    const el = $("#net");
    if (el) {
      el.className = "net net-" + S.status;
      el.textContent = S.status === "lost" ? t("net.reconnecting") : S.status === "connecting" ? t("net.connecting") : "";
    }
  }

  function screenGone() {
    return h("main", { id: "main", class: "center" }, h("div", { class: "panel join" }, h("h1", {}, t("net.seat_gone")),
      h("a", { href: "./", class: "button-link" }, t("join.title"))));
  }

  function screenJoin() {
    const form = h("form", { class: "panel join", id: "join-form", novalidate: true, onsubmit: (ev) => { ev.preventDefault(); submitJoin(false); } },
      h("h1", {}, t("join.title")),
      h("label", { for: "code" }, t("join.code")),
      h("input", { id: "code", name: "code", autocomplete: "off", autocapitalize: "characters", spellcheck: "false",
        inputmode: "text", maxlength: "16", "aria-describedby": "code-hint", value: S.code, class: "code-input", oninput: (ev) => { S.code = ev.target.value; } }),
      h("p", { id: "code-hint", class: "hint" }, t("join.code_hint")),
      h("label", { for: "name" }, t("join.name")),
      h("div", { class: "row" },
        h("input", { id: "name", name: "name", autocomplete: "nickname", maxlength: "24", value: S.name, oninput: (ev) => { S.name = ev.target.value; } }),
        h("button", { type: "button", id: "suggest", class: "secondary", onclick: () => { const n = $("#name"); n.value = suggestName(); S.name = n.value; n.focus(); } }, t("join.suggest"))),
      h("div", { class: "row actions" },
        h("button", { type: "submit", id: "join", class: "primary" }, S.status === "connecting" ? t("join.connecting") : t("join.join")),
        h("button", { type: "button", id: "watch", class: "secondary", onclick: () => submitJoin(true) }, t("join.watch"))));
    return h("main", { id: "main", class: "center" }, form);
  }


  function teamCard(team, withSecret) {
    const sc = info().teams.find((x) => x.id === team.id) || {};
    return h("section", { class: "panel team", "aria-labelledby": "team-title" },
      h("h2", { id: "team-title" }, t("lobby.your_team") + ": " + pick(team.name)),
      team.captain ? h("p", { class: "hint" }, t("game.captain") + ": " + memberName(team.captain)) : null,
      h("p", {}, h("strong", {}, t("game.role") + ": "), pick(team.role || sc.role)),
      h("p", {}, h("strong", {}, t("game.aim") + ": "), pick(team.aim || sc.aim)),
      withSecret && team.secret ? h("details", { class: "secret", id: "secret-box" },
        h("summary", { id: "secret-toggle" }, t("game.secret")),
        h("p", { id: "secret-text" }, pick(team.secret))) : null,
      h("ul", { class: "members" }, S.members.filter((m) => m.team === team.id).map((m) =>
        h("li", { class: m.online ? "" : "offline" }, m.name, m.player === (S.you && S.you.player) ? " (" + t("lobby.you") + ")" : ""))));
  }

  function screenLobby() {
    const cfg = S.session.config;
    const me = S.you && S.you.player;
    const team = S.view.team;
    const parts = [h("h1", {}, t("lobby.title")),
      h("p", { class: "lead" }, S.you && S.you.name ? S.you.name + (team ? " · " + pick(team.name) : "") : "")];
    if (team) parts.push(teamCard(team, true));
    const mayPick = cfg.formation === "free" && (!S.session.started || !team);
    if (mayPick) {
      parts.push(h("section", { class: "panel", "aria-labelledby": "pick-title" },
        h("h2", { id: "pick-title" }, t("lobby.pick_title")),
        h("ul", { class: "teams" }, cfg.teams.map((id) => {
          const sc = info().teams.find((x) => x.id === id);
          const n = S.members.filter((m) => m.team === id).length;
          const mine = team && team.id === id;
          return h("li", { class: mine ? "team-row mine" : "team-row" },
            h("div", {}, h("strong", {}, pick(sc.name)), h("p", { class: "hint" }, pick(sc.aim)), h("span", { class: "hint" }, t("lobby.members", { n }))),
            h("button", { type: "button", id: "pick-" + id, class: mine ? "primary" : "secondary", "aria-pressed": mine ? "true" : "false",
              onclick: () => pickTeam(id) }, mine ? "✓ " + t("lobby.your_team") : t("lobby.pick")));
        }))));
    } else if (!team) parts.push(h("p", {}, cfg.formation === "host" ? t("lobby.host_picks") : t("lobby.unassigned")));
    if (S.session.started && !team) parts.push(h("p", {}, t("game.observer")));
    else parts.push(h("p", { class: "waiting", role: "status" }, t("lobby.waiting")));
    parts.push(h("p", { class: "hint" }, t("lobby.members", { n: S.members.length }), me ? "" : ""));
    return h("main", { id: "main", class: "narrow" }, parts);
  }

  function phaseLine() {
    const v = S.view;
    return h("div", { class: "phase-line" },
      h("span", { class: "turn" }, t("game.turn", { turn: v.turn, count: v.turn_count })),
      h("span", { class: "date" }, pick(v.turn_label)),
      h("span", { class: "phase phase-" + v.phase }, t("game." + v.phase)),
      h("span", { class: "clock", id: "clock", role: "timer", "aria-live": "off" }, ""));
  }

  function renderClock() {
    const el = $("#clock");
    if (!el || !S.view) return;
    const ms = remainingMs();
    const tm = S.timer || {};
    const text = ms === null ? (["briefing", "deliberation"].includes(S.view.phase) ? t("game.no_timer") : "")
      : (tm.paused ? t("game.paused") + " " : "") + formatTime(ms);
    if (el.textContent !== text) el.textContent = text; // four times a second: no layout unless it changed
    const low = ms !== null && ms < 30000 && !tm.paused;
    if (el.classList.contains("low") !== low) el.classList.toggle("low", low);
    // the live region hears the clock at a few moments only, not every second
    if (ms !== null && !tm.paused) {
      const mark = [60, 30, 10].find((s) => ms <= s * 1000 && ms > (s - 1) * 1000);
      if (mark && S.spoken.clock !== mark + ":" + S.stateId) { S.spoken.clock = mark + ":" + S.stateId; say(t("game.clock_left", { time: formatTime(ms) })); }
    }
  }

  function speakPhase() {
    if (!S.view) return;
    const key = S.view.turn + ":" + S.view.phase;
    if (S.spoken.phase !== key) {
      S.spoken.phase = key;
      say(t("game.turn", { turn: S.view.turn, count: S.view.turn_count }) + ". " + t("game." + S.view.phase) + ".");
    }
  }

  function sources(list) {
    if (!list || !list.length) return null;
    return h("ul", { class: "sources" }, list.map((c) =>
      h("li", {}, h("q", {}, c.quote), " ", h("cite", {}, t("game.source", { section: c.section })))));
  }

  function cardHead(card) {
    return [h("p", { class: "card-meta" },
      h("span", { class: "card-date" }, card.date_label ? pick(card.date_label) : formatDate(card.date)),
      placeName(card) ? h("span", { class: "card-place" }, t("game.place", { place: placeName(card) })) : null),
    h("h2", { id: "card-" + card.id + "-title" }, pick(card.title)),
    h("p", { class: "card-text" }, pick(card.text))];
  }

  function cardSection(card) {
    const v = S.view;
    const options = myOptions(card);
    const voting = v.phase === "deliberation" && !(S.timer && S.timer.paused);
    const votes = (v.team && v.team.votes[card.id]) || {};
    const lean = v.team && v.team.choice[card.id];
    const mine = myVote(card.id);
    const teamSize = S.members.filter((m) => m.team === myTeam()).length;
    const others = card.deciders.filter((d) => d !== myTeam() && d !== blocOf(myTeam()));
    return h("article", { class: "panel card", id: "card-" + card.id, "aria-labelledby": "card-" + card.id + "-title" },
      cardHead(card),
      options.length ? h("fieldset", { class: "options" },
        h("legend", {}, voting ? t("game.vote") : t("game.waiting_start")),
        options.map((o) => {
          const chosen = mine && mine.option === o.id;
          const state = chosen ? (mine.acked ? "cast" : "sending") : "";
          const n = Object.values(votes).filter((x) => x === o.id).length;
          return h("div", { class: "option" + (chosen ? " chosen" : "") + (o.available ? "" : " unavailable") },
            h("button", { type: "button", id: "vote-" + card.id + "-" + o.id, class: "vote", "aria-pressed": chosen ? "true" : "false",
              "data-state": state, disabled: !voting || !o.available, onclick: () => vote(card.id, o.id) },
              h("span", { class: "option-text" }, pick(o.text)),
              o.odds ? h("span", { class: "odds" }, riskLabel(o.odds)) : null,
              !o.available ? h("span", { class: "odds" }, t("game.not_available")) : null,
              chosen ? h("span", { class: "badge" }, state === "cast" ? t("game.your_vote") : t("game.sending")) : null),
            n ? h("span", { class: "count", "aria-label": t("game.votes_n", { n }) }, String(n)) : null);
        }),
        mine && mine.option && voting ? h("button", { type: "button", id: "unvote-" + card.id, class: "secondary small", onclick: () => unvote(card.id) }, t("game.unvote")) : null)
        : h("p", { class: "hint" }, card.deciders.length ? "" : t("game.info_card")),
      others.length ? h("p", { class: "hint" }, t("game.not_yours", { who: others.map(teamName).join(", ") })) : null,
      options.length ? h("div", { class: "team-votes", id: "team-votes-" + card.id },
        h("p", {}, h("strong", {}, t("game.leaning") + " "), lean ? optionText(card, lean) : "—"),
        h("p", { class: "hint" }, t("game.voted", { n: Object.keys(votes).length, m: teamSize })),
        Object.keys(votes).length ? h("details", { class: "who", id: "who-box-" + card.id }, h("summary", { id: "who-" + card.id }, t("game.who_voted")),
          h("ul", {}, Object.entries(votes).map(([p, o]) => h("li", {}, memberName(p) + ": " + optionText(card, o)))))
          : h("p", { class: "hint" }, t("game.no_votes"))) : null,
      glossary(card),
      sources(card.sources));
  }

  // The card's glossary terms with their definitions, behind a disclosure (the pygame card's "G").
  function glossary(card) {
    const by = new Map(((info() && info().glossary) || []).map((g) => [g.id, g]));
    const entries = (card.terms || []).map((id) => by.get(id)).filter(Boolean);
    if (!entries.length) return null;
    return h("details", { class: "who terms", id: "terms-" + card.id },
      h("summary", { id: "terms-toggle-" + card.id }, t("game.terms") + " (" + entries.length + ")"),
      h("dl", {}, entries.map((g) => [h("dt", {}, pick(g.term)), h("dd", {}, pick(g.text))])));
  }

  function gauges() {
    const v = S.view;
    const sc = info();
    return h("section", { class: "panel gauges", "aria-labelledby": "tracks-title" },
      h("h2", { id: "tracks-title" }, t("game.tracks")),
      h("ul", {}, sc.tracks.map((tr) => {
        const value = v.tracks[tr.id];
        const change = v.track_changes[tr.id];
        return h("li", { class: "gauge" },
          h("span", { class: "gauge-name", id: "g-" + tr.id }, pick(tr.name)),
          h("meter", { min: tr.min, max: tr.max, value, "aria-labelledby": "g-" + tr.id }),
          h("span", { class: "gauge-value" }, String(value),
            change ? h("span", { class: change > 0 ? "up" : "down" }, " (" + (change > 0 ? "+" : "−") + Math.abs(change) + ")") : null));
      })));
  }

  function timeline() {
    const v = S.view;
    if (!v.timeline.length) return null;
    return h("section", { class: "panel timeline", "aria-labelledby": "timeline-title" },
      h("h2", { id: "timeline-title" }, t("game.timeline")),
      h("ol", {}, v.timeline.map((rec) => h("li", {},
        h("strong", {}, t("game.turn", { turn: rec.turn, count: v.turn_count }) + " · " + formatDate(rec.date)),
        h("ul", {}, rec.cards.map((c) => h("li", {}, pick(c.title) + ": ",
          Object.entries(c.choice_text).map(([d, text]) => teamName(d) + " — " + pick(text)).join("; "))))))));
  }

  let mapCache = { doc: null, key: null, svg: null };
  function mapSvg(doc, mv, colours) {
    const NS = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(NS, "svg");
    svg.setAttribute("viewBox", "0 0 " + mv.width + " " + mv.height);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-labelledby", "map-title");
    const add = (tag, attrs, parent) => { const el = document.createElementNS(NS, tag); for (const [k, val] of Object.entries(attrs)) el.setAttribute(k, val); (parent || svg).append(el); return el; };
    add("path", { d: mv.context, class: "land" });
    for (const [rid, d] of Object.entries(mv.regions)) {
      const owner = S.view.control[rid];
      const path = add("path", { d, class: "region" + (S.view.control_changes[rid] ? " changed" : ""), fill: colours[owner] || "#e8e4da" });
      const title = document.createElementNS(NS, "title");
      title.textContent = (doc.regions[rid] ? pick(doc.regions[rid]) : rid) + (owner ? ": " + teamNameController(owner) : "");
      path.append(title);
    }
    for (const [rid, [x, y]] of Object.entries(mv.labels)) {
      if (!doc.regions[rid]) continue;
      const label = add("text", { x, y, class: "map-label", "text-anchor": "middle" });
      label.textContent = pick(doc.regions[rid]);
    }
    for (const c of S.view.cards) {
      const at = c.place && mv.places[c.place];
      if (at) { add("circle", { cx: at[0], cy: at[1], r: 9, class: "marker" }); }
    }
    return svg;
  }

  function placeMap(root) {
    for (const stub of root.querySelectorAll("svg[data-map-key]:empty")) {
      if (stub.dataset.mapKey !== mapCache.key) continue;
      stub.replaceWith(mapCache.svg.isConnected ? mapCache.svg.cloneNode(true) : mapCache.svg);
    }
  }

  function mapPanel() {
    const doc = S.map;
    if (!doc) return null;
    const card = S.view.cards[0];
    let name = "russia";
    if (card && card.place && !(card.place in doc.views.russia.places) && doc.views.europe && card.place in doc.views.europe.places) name = "europe";
    const mv = doc.views[name];
    const colours = {};
    for (const c of info().controllers || []) colours[c.id] = c.color;
    // the SVG is rebuilt only when what it shows changed (its paths are most of the page's layout
    // and paint): every other render puts the same element back
    const key = JSON.stringify([S.lang, name, S.view.control, S.view.control_changes, S.view.cards.map((c) => c.place), colours]);
    if (mapCache.doc !== doc || mapCache.key !== key) {
      mapCache = { doc, key, svg: mapSvg(doc, mv, colours) };
      mapCache.svg.dataset.mapKey = key;
    }
    // an empty stand-in with the key: morph keeps the SVG on screen if it has this key, else placeMap
    // puts the cached one in
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    svg.dataset.mapKey = key;
    const legend = h("ul", { class: "legend" }, (info().controllers || []).filter((c) => Object.values(S.view.control).includes(c.id)).map((c) =>
      h("li", {}, h("span", { class: "swatch", style: null, "data-colour": c.color }), pick(c.name))));
    for (const sw of legend.querySelectorAll(".swatch")) sw.style.background = sw.dataset.colour;
    return h("section", { class: "panel map", "aria-labelledby": "map-title" }, h("h2", { id: "map-title" }, t("game.map")), svg, legend);
  }
  function teamNameController(id) { const c = (info().controllers || []).find((x) => x.id === id); return c ? pick(c.name) : id; }

  function screenGame() {
    const v = S.view;
    return h("main", { id: "main", class: "grid" },
      h("div", { class: "col-main" }, phaseLine(), v.cards.map(cardSection)),
      h("aside", { class: "col-side" }, teamCard(v.team, true), gauges(), mapPanel(), timeline()));
  }

  function outcomeOf(rec) {
    return rec.cards.map((c) => {
      const card = S.view.cards.find((x) => x.id === c.card);
      return h("article", { class: "panel card outcome", id: "outcome-" + c.card },
        h("h2", {}, pick(c.title)),
        h("h3", {}, t("outcome.in_game")),
        h("ul", { class: "choices" }, Object.entries(c.choice_text).map(([d, text]) =>
          h("li", {}, h("strong", {}, teamName(d) + ": "), pick(text), c.defaulted.includes(d) ? " " + t("outcome.default") : ""))),
        h("ul", { class: "outcomes" }, (c.outcomes || []).map((o) => h("li", {},
          h("p", {}, pick(o.text)),
          h("span", { class: o.historical ? "badge hist" : "badge alt" }, o.historical ? t("outcome.historical") : t("outcome.alternative")),
          sources(o.sources)))),
        h("h3", {}, t("outcome.in_history")),
        c.history ? [h("p", { class: "history" }, pick(c.history.text)), sources(c.history.sources)]
          : (card && card.history ? [h("p", { class: "history" }, pick(card.history.text)), sources(card.history.sources)]
            : h("p", { class: "hint" }, t("outcome.hidden"))));
    });
  }

  function screenOutcome() {
    const v = S.view;
    const rec = v.timeline.filter((r) => r.turn === v.turn).pop();
    return h("main", { id: "main", class: "grid" },
      h("div", { class: "col-main" }, phaseLine(), h("h1", {}, t("outcome.title")), rec ? outcomeOf(rec) : null,
        h("p", { class: "waiting", role: "status" }, t("outcome.waiting"))),
      h("aside", { class: "col-side" }, v.team ? teamCard(v.team, true) : null, gauges(), mapPanel(), timeline()));
  }

  function screenDebrief() {
    const v = S.view;
    const e = v.ending;
    const playing = S.session.config.teams || Object.keys(v.scores || {});
    const scores = Object.fromEntries(Object.entries(v.scores || {}).filter(([team]) => playing.includes(team)));
    const learn = v.learning || { cards: [] };
    const decided = learn.cards.flatMap((c) => Object.values(c.historical || {}));
    return h("main", { id: "main", class: "grid" },
      h("div", { class: "col-main" },
        h("h1", {}, t("debrief.title")),
        e ? h("article", { class: "panel card" }, h("h2", {}, t("debrief.ending", { title: pick(e.title) })), h("p", {}, pick(e.text)),
          h("span", { class: e.historical ? "badge hist" : "badge alt" }, e.historical ? t("outcome.historical") : t("outcome.alternative")), sources(e.sources)) : null,
        h("section", { class: "panel", "aria-labelledby": "scores-title" }, h("h2", { id: "scores-title" }, t("debrief.scores")),
          h("table", { class: "scores" }, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, t("debrief.team")), h("th", { scope: "col" }, t("debrief.public")), h("th", { scope: "col" }, t("debrief.secret")), h("th", { scope: "col" }, t("debrief.total")))),
            h("tbody", {}, Object.entries(scores).sort((a, b) => b[1].total - a[1].total).map(([team, sc]) =>
              h("tr", { class: team === myTeam() ? "mine" : "" }, h("th", { scope: "row" }, teamName(team)), h("td", {}, String(sc.public)), h("td", {}, String(sc.secret)), h("td", {}, String(sc.total)))))),
          h("p", {}, t("debrief.learning", { n: decided.filter(Boolean).length, m: decided.length }))),
        v.secrets ? h("section", { class: "panel", "aria-labelledby": "secrets-title" }, h("h2", { id: "secrets-title" }, t("debrief.secrets")),
          h("ul", {}, Object.entries(v.secrets).filter(([team]) => playing.includes(team)).map(([team, text]) => h("li", {}, h("strong", {}, teamName(team) + ": "), pick(text))))) : null,
        h("h2", {}, t("debrief.path")),
        v.timeline.map((rec) => [h("h3", {}, t("game.turn", { turn: rec.turn, count: v.turn_count }) + " · " + formatDate(rec.date)), outcomeOf(rec)])),
      h("aside", { class: "col-side" }, gauges(), mapPanel()));
  }

  function screenProjector() {
    const v = S.view;
    // opened on the teacher's own machine (localhost), show the addresses students can reach
    const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(location.hostname);
    const lan = loopback && S.where && S.where.length ? S.where.map((a) => a + (location.port ? ":" + location.port : "")) : null;
    const address = lan ? lan.join(" · ") : location.host;
    const progress = v.progress || {};
    return h("main", { id: "main", class: "grid projector" },
      h("div", { class: "col-main" },
        // before the start the way in fills the board; once the game runs it shrinks to one band
        // (latecomers can still join) and the card comes first
        h("div", { class: "panel join-banner" + (S.session.started ? " compact" : "") },
          h("p", {}, t("projector.join_at", { address: (lan || [address]).map((a) => "http://" + a + "/").join(" / ") })),
          h("p", { class: "big-code", id: "big-code" }, S.session.code),
          h("img", { class: "qr", id: "qr", src: "/qr.svg?code=" + encodeURIComponent(S.session.code), width: "240", height: "240",
                     alt: t("projector.qr_alt") })),
        S.session.started ? phaseLine() : h("p", { class: "lead" }, t("lobby.waiting")),
        S.session.started && v.phase !== "outcome" && v.phase !== "ended" ? v.cards.map((card) => h("article", { class: "panel card", id: "card-" + card.id },
          cardHead(card),
          progress[card.id] ? h("ul", { class: "progress" }, Object.entries(progress[card.id]).filter(([team]) => S.session.config.teams.includes(team)).map(([team, p]) =>
            h("li", {}, h("strong", {}, teamName(team) + ": "), t("game.votes_n", { n: p.votes }) + " · " + (p.decided ? t("game.decided") : t("game.deciding"))))) : null,
          card.deciders.map((d) => h("section", { class: "decider" },
            h("h3", {}, teamName(d)),
            h("ul", { class: "options plain" }, card.options.filter((o) => o.for.includes(d)).map((o) =>
              h("li", {}, pick(o.text), o.odds ? h("span", { class: "odds" }, " " + riskLabel(o.odds)) : null))))),
          sources(card.sources))) : null,
        v.phase === "outcome" ? (() => { const rec = v.timeline.filter((r) => r.turn === v.turn).pop(); return rec ? outcomeOf(rec) : null; })() : null,
        v.phase === "ended" && v.ending ? h("article", { class: "panel card" }, h("h2", {}, t("debrief.ending", { title: pick(v.ending.title) })), h("p", {}, pick(v.ending.text))) : null,
        h("p", { class: "hint" }, t("lobby.members", { n: S.members.length }))),
      h("aside", { class: "col-side" }, mapPanel(), gauges(), timeline()));
  }

  Object.assign(CR, { render, renderCard, renderClock, renderStatus });
})();
