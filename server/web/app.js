// The browser client's state, connection and actions (docs/web.md); screens.js draws it.
// State comes from the server's view (game/engine/views.py) kept current by `update` patches;
// after every change CR.render() redraws the screen from it.
"use strict";
(function () {
  const CR = (window.CR = {}); // what screens.js needs from here, and CR.render & co. from there
  const $ = (sel) => document.querySelector(sel);
  const params = new URLSearchParams(location.search);
  const store = {
    get(key) { try { return JSON.parse(localStorage.getItem(key)); } catch (e) { return null; } },
    set(key, value) { try { localStorage.setItem(key, JSON.stringify(value)); } catch (e) { /* private mode */ } },
    del(key) { try { localStorage.removeItem(key); } catch (e) { /* private mode */ } },
  };
  const seatKey = (code) => "crossroads.seat." + code;

  const S = {
    lang: store.get("crossroads.lang") || ((navigator.language || "").toLowerCase().startsWith("pl") ? "pl" : "en"),
    mode: params.has("projector") ? "projector" : "player",
    code: normalizeCode(params.get("projector") || params.get("code") || ""),
    name: "",
    status: "idle", // idle | connecting | open | lost | final
    notice: "", // a message shown above the screen (errors, kicked)
    wire: null, // the view as sent (texts as references)
    view: null, // the view with texts expanded
    stateId: null,
    session: null,
    members: [],
    timer: null, // {ends, remaining_ms, paused, at: performance.now() when received}
    you: null,
    mine: {}, // card -> {option, acked, base}: my vote as sent, until a view shows it
    map: null,
    conn: null,
    spoken: { phase: null, clock: null },
  };

  function normalizeCode(raw) { return String(raw).toUpperCase().replace(/[\s-]+/g, "").slice(0, 16); }
  function t(key, vars) {
    let s = (I18N[S.lang] && I18N[S.lang][key]) || I18N.en[key] || key;
    for (const [k, v] of Object.entries(vars || {})) s = s.split("{" + k + "}").join(String(v));
    return s;
  }
  const pick = (text) => (text && typeof text === "object" ? text[S.lang] || text.en || text.pl || "" : text || "");

  // ------------------------------------------------------------------ DOM helpers

  function h(tag, attrs, ...children) {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") el.className = v;
      else if (k.startsWith("on")) { el[k] = v; (el.handlers || (el.handlers = [])).push(k); } // a property: CR.morph carries it over
      else if (k === "text") el.textContent = v;
      else el.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children.flat(Infinity)) {
      if (c === null || c === undefined || c === false) continue;
      el.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return el;
  }

  function say(text) {
    const live = $("#live");
    if (live.textContent !== text) live.textContent = text;
  }

  // ------------------------------------------------------------------ connection

  function wsURL() { return (location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/"; }

  function connect(first) {
    if (S.conn) S.conn.stop();
    S.status = "connecting";
    S.conn = new Wire.Connection(wsURL(), {
      onstatus(status) { S.status = status === "open" ? "open" : status; CR.renderStatus(); },
      onopen() { seat(first); first = null; },
      onmessage: handle,
      onclose(code) {
        if (code === 4001) { S.notice = t("net.kicked"); forget(); S.status = "final"; S.view = null; CR.render(); return true; }
        return S.status === "final";
      },
    });
  }

  // Take (or take back) the seat on a freshly opened connection.
  async function seat(first) {
    const accept = Wire.ACCEPT;
    let reply;
    if (S.mode === "projector") reply = await S.conn.request("watch", { code: S.code, accept });
    else {
      const saved = store.get(seatKey(S.code));
      if (saved && saved.token) reply = await S.conn.request("resume", { token: saved.token, accept });
      else if (first && first.name) reply = await S.conn.request("join", { code: S.code, name: first.name, accept });
      else { S.conn.stop(); S.conn = null; S.status = "idle"; CR.render(); return; }
    }
    if (reply.type === "error") {
      if (reply.code === "auth/bad_token" || reply.code === "session/ended") forget();
      S.notice = errorText(reply);
      S.conn.stop(); S.conn = null; S.status = "idle";
      S.view = null;
      CR.render();
      const field = $("#name") || $("#code");
      if (field) field.focus();
      return;
    }
    S.notice = "";
    if (reply.type === "joined") {
      store.set(seatKey(S.code), { token: reply.resume_token, player: reply.player, name: reply.name });
      history.replaceState(null, "", "?code=" + encodeURIComponent(S.code));
    }
  }

  function forget() { store.del(seatKey(S.code)); }

  function errorText(reply) {
    const key = "error." + reply.code;
    if (I18N.en[key]) return t(key, { s: Math.ceil(reply.retry_after || 0) });
    return t("error.generic", { code: reply.code });
  }

  function handle(msg) {
    switch (msg.type) {
      case "view":
        S.wire = msg.view;
        S.stateId = msg.state_id;
        S.session = msg.session;
        S.members = msg.session.members;
        S.you = msg.session.you;
        if (!store.get("crossroads.lang") && msg.session.config.lang) S.lang = msg.session.config.lang; // the lesson's language until one is picked
        setTimer(msg.session.timer);
        afterState();
        break;
      case "update":
        if (!S.wire || msg.base !== S.stateId) { S.conn.reconnect(); return; }
        try { S.wire = Wire.applyPatch(S.wire, msg.patch); } catch (e) { S.conn.reconnect(); return; }
        S.stateId = msg.state_id;
        afterState();
        break;
      case "lobby":
        S.members = msg.members;
        if (S.session) { S.session.started = msg.started; S.session.status = msg.status; }
        syncYou();
        CR.render();
        break;
      case "timer":
        setTimer(msg);
        CR.renderClock();
        break;
      case "joined": case "resumed": case "watching":
        break;
      case "closing":
        S.notice = msg.reason === "kicked" ? t("net.kicked") : t("net.closing");
        CR.render();
        break;
      default:
        break;
    }
  }

  function afterState() {
    S.view = Wire.expandView(S.wire);
    // my votes as sent are shown until a view from after their ack carries them
    for (const [card, v] of Object.entries(S.mine)) if (v.acked && S.stateId !== v.base) delete S.mine[card];
    syncYou();
    CR.render();
  }

  function syncYou() {
    if (!S.you || !S.you.player) return;
    const me = S.members.find((m) => m.player === S.you.player);
    if (me) { S.you.team = me.team; S.you.name = me.name; }
  }

  function setTimer(timer) {
    S.timer = { ...timer, at: performance.now() };
    clockTick();
  }

  // The shown clock changes once a second, and only while it runs: wake then, not on an interval
  // (an idle tab, or one whose lesson has no clock, does no work at all).
  let clockHandle = null;
  function clockTick() {
    if (clockHandle !== null) clearTimeout(clockHandle);
    clockHandle = null;
    if (CR.renderClock) CR.renderClock();
    const ms = remainingMs();
    if (ms !== null && ms > 0 && !S.timer.paused) clockHandle = setTimeout(clockTick, (Math.floor(ms) % 1000 || 1000) + 5);
  }

  function remainingMs() {
    const tm = S.timer;
    if (!tm || tm.remaining_ms === null || tm.remaining_ms === undefined) return null;
    return tm.paused ? tm.remaining_ms : Math.max(0, tm.remaining_ms - (performance.now() - tm.at));
  }

  // ------------------------------------------------------------------ what the view says

  const info = () => (S.session ? S.session.scenario : null);
  function teamName(id) {
    const sc = info();
    const team = sc && sc.teams.find((x) => x.id === id);
    if (team) return pick(team.name);
    const bloc = sc && (sc.blocs || []).find((b) => b.id === id);
    return bloc ? pick(bloc.name) : id;
  }
  function blocOf(team) {
    const bloc = ((info() && info().blocs) || []).find((b) => b.teams.includes(team));
    return bloc ? bloc.id : null;
  }
  function memberName(player) { const m = S.members.find((x) => x.player === player); return m ? m.name : player; }
  function myTeam() { return S.view && S.view.team ? S.view.team.id : null; }
  function myOptions(card) {
    const team = myTeam();
    if (!team) return [];
    const bloc = blocOf(team);
    return card.options.filter((o) => o.for.includes(team) || (bloc && o.for.includes(bloc)));
  }
  function myVote(cardId) {
    if (S.mine[cardId]) return S.mine[cardId];
    const votes = S.view.team && S.view.team.votes[cardId];
    const option = votes && S.you ? votes[S.you.player] : undefined;
    return option ? { option, acked: true } : null;
  }
  function optionText(card, optionId) {
    const o = card.options.find((x) => x.id === optionId);
    return o ? pick(o.text) : optionId;
  }
  function placeName(card) {
    const names = S.map;
    if (card.place && names && names.places[card.place]) return pick(names.places[card.place]);
    if (card.region && names && names.regions[card.region]) return pick(names.regions[card.region]);
    return card.place || card.region || "";
  }
  function riskLabel(odds) {
    if (!odds || !odds.length) return "";
    const worst = 1 - Math.max(...odds);
    const risk = worst < 0.25 ? "low" : worst < 0.5 ? "medium" : "high";
    return t("game.odds", { odds: odds.map((p) => Math.round(p * 100) + "%").join(" / ") }) + " (" + t("game.risk." + risk) + ")";
  }
  function formatTime(ms) {
    const s = Math.ceil(ms / 1000);
    return Math.floor(s / 60) + ":" + String(s % 60).padStart(2, "0");
  }
  function formatDate(date) {
    const [y, m, d] = String(date).split("-").map(Number);
    if (!m) return String(y);
    const opts = d ? { year: "numeric", month: "long", day: "numeric" } : { year: "numeric", month: "long" };
    return new Date(Date.UTC(y, m - 1, d || 1)).toLocaleDateString(S.lang === "pl" ? "pl-PL" : "en-GB", { ...opts, timeZone: "UTC" });
  }

  // ------------------------------------------------------------------ actions

  // A vote is sent first and drawn after (the request leaves before any drawing can delay it);
  // the click and the ack redraw only that card (CR.renderCard), not the whole screen, so the
  // ack is shown within the frame it arrives in. A full view from after the ack replaces the mark.
  async function vote(card, option) {
    const prev = S.mine[card];
    let sent;
    try { sent = S.conn.request("vote", { card, option }); } catch (e) { sent = Promise.reject(e); }
    S.mine[card] = { option, acked: false };
    CR.renderCard(card);
    let reply;
    try { reply = await sent; } catch (e) { reply = null; }
    if (!reply || reply.type === "error") {
      if (prev) S.mine[card] = prev; else delete S.mine[card];
      if (reply) { S.notice = errorText(reply); CR.render(); }
    } else {
      S.mine[card] = { option, acked: true, base: S.stateId };
      if (S.notice) { S.notice = ""; CR.render(); } // an earlier refusal (a pause) no longer applies
    }
    CR.renderCard(card);
    announceVote(card);
  }

  async function unvote(card) {
    let reply;
    try { reply = await S.conn.request("unvote", { card }); } catch (e) { reply = null; }
    if (reply && reply.type !== "error") { S.mine[card] = { option: null, acked: true, base: S.stateId }; CR.renderCard(card); }
    else if (reply) { S.notice = errorText(reply); CR.render(); }
    announceVote(card);
  }

  async function pickTeam(team) {
    const reply = await S.conn.request("pick_team", { team });
    if (reply.type === "error") { S.notice = errorText(reply); CR.render(); }
  }

  function announceVote(cardId) {
    const card = S.view && S.view.cards.find((c) => c.id === cardId);
    if (!card) return;
    const mine = myVote(cardId);
    const lean = S.view.team && S.view.team.choice[cardId];
    say(mine && mine.option ? t("game.vote_state", { option: optionText(card, mine.option), lean: lean ? optionText(card, lean) : t("game.nobody") })
      : t("game.vote_none"));
  }

  function setLang(lang) {
    S.lang = lang;
    store.set("crossroads.lang", lang);
    CR.render();
  }

  function suggestName() {
    const [a, b] = NAME_WORDS[S.lang] || NAME_WORDS.en;
    const r = (xs) => xs[Math.floor(Math.random() * xs.length)];
    return r(a) + " " + r(b);
  }

  function submitJoin(projector) {
    S.code = normalizeCode($("#code").value);
    S.name = $("#name").value.trim();
    if (!S.code) { S.notice = t("join.need_code"); CR.render(); $("#code").focus(); return; }
    if (projector) {
      S.mode = "projector";
      history.replaceState(null, "", "?projector=" + encodeURIComponent(S.code));
      connect(null);
      return;
    }
    if (!S.name && !store.get(seatKey(S.code))) { S.notice = t("join.need_name"); CR.render(); $("#name").focus(); return; }
    S.notice = "";
    connect({ name: S.name });
    CR.render();
  }

  Object.assign(CR, {
    $, S, t, pick, h, say, info, teamName, blocOf, memberName, myTeam, myOptions, myVote, optionText, placeName,
    riskLabel, formatTime, formatDate, remainingMs, vote, unvote, pickTeam, setLang, suggestName, submitJoin,
  });

  // ------------------------------------------------------------------ start (after screens.js: scripts are deferred)

  document.addEventListener("DOMContentLoaded", () => {
    if (S.mode === "projector") {
      fetch("static/where.json").then((r) => (r.ok ? r.json() : null)).then((w) => { S.where = w && w.addresses; if (S.view) CR.render(); }).catch(() => {});
    }
    fetch("static/map.json").then((r) => (r.ok ? r.json() : null)).then((doc) => { S.map = doc; if (S.view) CR.render(); }).catch(() => {});
    CR.render();
    if (S.mode === "projector" && S.code) connect(null);
    else if (S.code && store.get(seatKey(S.code))) connect(null);
  });
  window.crossroads = S; // for the tests and the curious: the client's state
})();
