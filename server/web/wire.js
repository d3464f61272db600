// The wire protocol in the browser (docs/protocol.md): msgpack frames over one WebSocket,
// `z` envelopes inflated with DecompressionStream, `update` patches applied exactly as
// game/wire/patch.py does, and text references ("§n") expanded as game/textpool.py does.
"use strict";
(function () {
  const VERSION = 1;
  const REF = "§";

  class PatchError extends Error {}

  // game/wire/patch.py apply_patch(doc, patch, in_place=True): returns the new document.
  function applyPatch(doc, patch) {
    if (!Array.isArray(patch)) throw new PatchError("a patch is a list of operations");
    for (const op of patch) {
      if (!Array.isArray(op) || (op.length !== 1 && op.length !== 2) || !Array.isArray(op[0])) {
        throw new PatchError("bad operation " + JSON.stringify(op));
      }
      const path = op[0];
      const setting = op.length === 2;
      if (path.length === 0) {
        if (!setting) throw new PatchError("cannot delete the whole view");
        doc = op[1];
        continue;
      }
      let parent = doc;
      for (let i = 0; i < path.length - 1; i++) parent = child(parent, path[i], path.slice(0, i + 2));
      setOrDelete(parent, path[path.length - 1], setting, op[1], path);
    }
    return doc;
  }

  const isIndex = (key) => typeof key === "number" && Number.isInteger(key) && key >= 0;
  const isMap = (node) => node !== null && typeof node === "object" && !Array.isArray(node) && !(node instanceof Uint8Array);

  function child(node, key, where) {
    if (isMap(node) && typeof key === "string" && Object.prototype.hasOwnProperty.call(node, key)) return node[key];
    if (Array.isArray(node) && isIndex(key) && key < node.length) return node[key];
    throw new PatchError("missing " + JSON.stringify(where[where.length - 2]) + " at " + JSON.stringify(where));
  }

  function setOrDelete(parent, key, setting, value, path) {
    if (isMap(parent)) {
      if (setting) parent[key] = value;
      else if (Object.prototype.hasOwnProperty.call(parent, key)) delete parent[key];
      else throw new PatchError("missing " + JSON.stringify(key) + " at " + JSON.stringify(path));
      return;
    }
    if (Array.isArray(parent) && isIndex(key)) {
      if (setting && key === parent.length) parent.push(value);
      else if (key < parent.length) {
        if (setting) parent[key] = value;
        else parent.splice(key, 1);
      } else throw new PatchError("index " + key + " out of range at " + JSON.stringify(path));
      return;
    }
    throw new PatchError("cannot set " + JSON.stringify(key) + " at " + JSON.stringify(path));
  }

  // game/textpool.py expand(): every string "§…" that is a key of `texts` becomes its text, and
  // maps lose their "texts" key (the pool).
  function expand(node, texts) {
    if (typeof node === "string") {
      if (node.startsWith(REF) && Object.prototype.hasOwnProperty.call(texts, node) && texts[node] !== null) {
        return { ...texts[node] };
      }
      return node;
    }
    if (Array.isArray(node)) return node.map((v) => expand(v, texts));
    if (isMap(node)) {
      const out = {};
      for (const k of Object.keys(node)) if (k !== "texts") out[k] = expand(node[k], texts);
      return out;
    }
    return node;
  }

  // game/textpool.py expand_view(): the view as the app reads it, texts expanded, the pool left out.
  function expandView(wire) { return expand(wire, wire.texts || {}); }

  const canInflate = typeof DecompressionStream === "function";
  // What this browser reads: zlib envelopes if it can inflate them, never the session dictionary
  // (DecompressionStream has no preset dictionary). See docs/web.md.
  const ACCEPT = canInflate ? ["zlib"] : [];

  async function inflate(bytes) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  async function readFrame(data) {
    let msg = MessagePack.decode(new Uint8Array(data));
    if (isMap(msg) && msg.type === "z") {
      if (msg.d) throw new Error("a frame compressed against the session dictionary, which this client did not accept");
      msg = MessagePack.decode(await inflate(msg.data));
    }
    if (!isMap(msg)) throw new Error("a server frame must be a map");
    return msg;
  }

  // One connection to the server, reopened after a drop: `onopen()` (send join/watch/resume from
  // there), `onmessage(msg)` in arrival order, `onstatus(status)` ("connecting", "open", "lost").
  class Connection {
    constructor(url, handlers) {
      this.url = url;
      this.h = handlers;
      this.ids = 1;
      this.waiting = new Map(); // request id -> {resolve, reject}
      this.retry = 0;
      this.stopped = false;
      this.ws = null;
      this.queue = Promise.resolve();
      this.open();
    }

    open() {
      if (this.stopped) return;
      this.h.onstatus && this.h.onstatus("connecting");
      const ws = new WebSocket(this.url);
      ws.binaryType = "arraybuffer";
      this.ws = ws;
      ws.onopen = () => { this.retry = 0; this.h.onstatus && this.h.onstatus("open"); this.h.onopen && this.h.onopen(); };
      ws.onmessage = (ev) => {
        if (typeof ev.data === "string") return;
        // inflating is asynchronous: chain the frames so they are handled in the order they came
        this.queue = this.queue.then(() => readFrame(ev.data)).then((msg) => this.dispatch(msg))
          .catch((err) => { console.error(err); this.reconnect(); });
      };
      ws.onclose = (ev) => {
        if (this.ws !== ws) return;
        for (const w of this.waiting.values()) w.reject(new Error("connection closed"));
        this.waiting.clear();
        const final = this.h.onclose ? this.h.onclose(ev.code) : false;
        if (final || this.stopped) { this.stopped = true; return; }
        this.h.onstatus && this.h.onstatus("lost");
        const wait = Math.min(5000, 300 * 2 ** this.retry++) * (0.75 + Math.random() / 2);
        setTimeout(() => this.open(), wait);
      };
    }

    dispatch(msg) {
      if (msg.re !== undefined && msg.re !== null && this.waiting.has(msg.re)) {
        const w = this.waiting.get(msg.re);
        this.waiting.delete(msg.re);
        this.h.onmessage(msg);
        w.resolve(msg);
        return;
      }
      this.h.onmessage(msg);
    }

    // Send a request; the promise resolves with its reply (an `error` reply too).
    request(type, fields) {
      const id = this.ids++;
      const ws = this.ws;
      if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.reject(new Error("not connected"));
      const p = new Promise((resolve, reject) => this.waiting.set(id, { resolve, reject }));
      ws.send(MessagePack.encode({ v: VERSION, type, id, ...(fields || {}) }));
      return p;
    }

    // Close and open again (a patch that does not fit: `resume` brings a full view).
    reconnect() {
      if (this.ws) { const ws = this.ws; this.ws = null; ws.close(); setTimeout(() => this.open(), 100); }
    }

    stop() { this.stopped = true; if (this.ws) this.ws.close(); }
  }

  window.Wire = { VERSION, ACCEPT, PatchError, applyPatch, expand, expandView, Connection };
})();
