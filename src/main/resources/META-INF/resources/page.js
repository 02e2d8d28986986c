"use strict";
// Everything the server sends (source names, times, problem details) is written as text: textContent, never
// innerHTML. Each canvas stands for a 1920x1080 screen, the simulated sampler's default.
const SCREEN_WIDTH = 1920, TRAIL = 200;
// Bounds on what the page fetches: the recent history of this many sources on open, this many pages of a list
const RECENT_SOURCES = 20, SOURCE_PAGES = 10, HISTORY_PAGES = 20;
const canvas = document.getElementById("screen"), ctx = canvas.getContext("2d");
const me = localStorage.getItem("posflow-source") || "browser-" + Math.random().toString(36).slice(2, 8);
localStorage.setItem("posflow-source", me);
document.getElementById("me").textContent = me;
const trails = new Map(), colours = new Map();
const status = document.getElementById("status");
const login = document.getElementById("login"), tokenInput = document.getElementById("token");
let token = sessionStorage.getItem("posflow-token");
let streaming = null;

function headers(extra) {
  const all = Object.assign({}, extra);
  if (token) all.Authorization = "Bearer " + token;
  return all;
}

async function problemDetail(answer) {
  try { return (await answer.json()).detail || answer.statusText; } catch (e) { return answer.statusText; }
}

function askForToken(reason) {
  token = null;
  sessionStorage.removeItem("posflow-token");
  if (streaming) streaming.abort();
  document.getElementById("login-reason").textContent = reason;
  login.hidden = false;
  status.textContent = "posflow needs a token";
  tokenInput.focus();
}

class NeedsToken extends Error {}

// GET a JSON resource; 401/403 ask for a token (and stop what asked), other errors throw with the problem's detail
async function getJson(path) {
  const answer = await fetch(path, { headers: headers() });
  if (answer.status === 401 || answer.status === 403) {
    askForToken(await problemDetail(answer));
    throw new NeedsToken();
  }
  if (!answer.ok) {
    const error = new Error(await problemDetail(answer));
    error.status = answer.status;
    throw error;
  }
  return answer.json();
}

// A list answered either as a plain array or as a page {"items": [...], "next": cursor|null}; follows next up to
// maxPages pages. Returns the items and whether it stopped before the end.
async function getAll(path, maxPages) {
  const items = [];
  let after = null;
  for (let page = 0; page < maxPages; page++) {
    const separator = path.includes("?") ? "&" : "?";
    const answer = await getJson(after ? path + separator + "after=" + encodeURIComponent(after) : path);
    if (Array.isArray(answer)) return { items: answer, more: false };
    items.push(...answer.items);
    after = answer.next;
    if (!after) return { items, more: false };
  }
  return { items, more: true };
}

function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) if (value !== undefined && value !== "") search.set(name, value);
  return search.toString();
}

login.addEventListener("submit", event => {
  event.preventDefault();
  token = tokenInput.value.trim();
  tokenInput.value = "";
  sessionStorage.setItem("posflow-token", token);
  login.hidden = true;
  start();
});

function colour(source) {
  if (!colours.has(source)) colours.set(source, `hsl(${(colours.size * 137) % 360} 70% 45%)`);
  return colours.get(source);
}

// One trail on a canvas: a line through the points, a dot on the last one
function drawTrail(context, points, style) {
  if (!points.length) return;
  const scale = SCREEN_WIDTH / context.canvas.width;
  context.strokeStyle = context.fillStyle = style;
  context.lineWidth = 2;
  context.beginPath();
  points.forEach((p, i) => i ? context.lineTo(p.x / scale, p.y / scale) : context.moveTo(p.x / scale, p.y / scale));
  context.stroke();
  const last = points[points.length - 1];
  context.beginPath(); context.arc(last.x / scale, last.y / scale, 5, 0, 2 * Math.PI); context.fill();
}

// ---- live: the recent history of each source, then what the stream brings

function draw() {
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const items = [];
  for (const [source, points] of trails) {
    drawTrail(ctx, points, colour(source));
    const last = points[points.length - 1];
    const item = document.createElement("li"), dot = document.createElement("span");
    dot.style.background = colour(source);
    item.append(dot, document.createTextNode(`${source} (${last.x}, ${last.y}) ${last.sampledAt}`));
    items.push(item);
  }
  document.getElementById("sources").replaceChildren(...items);
}

let drawing = false;
function redraw() {
  if (drawing) return;
  drawing = true;
  requestAnimationFrame(() => { drawing = false; draw(); });
}

// Adds positions to their sources' trails, kept in sampling order (ISO instants of one form sort as text)
function add(...positions) {
  for (const p of positions) {
    const points = trails.get(p.source) || [];
    const last = points[points.length - 1];
    if (last && last.sampledAt === p.sampledAt && last.x === p.x && last.y === p.y) continue; // loaded and streamed
    points.push(p);
    if (last && last.sampledAt > p.sampledAt) points.sort((a, b) => a.sampledAt < b.sampledAt ? -1 : 1);
    if (points.length > TRAIL) points.splice(0, points.length - TRAIL);
    trails.set(p.source, points);
  }
  redraw();
}

// So that the live view is not empty while data exists: each source's latest position, and the last TRAIL positions
// of the RECENT_SOURCES sources sampled last
async function loadRecent(sources) {
  add(...(await getAll("/positions/latest?" + query({ limit: 1000 }), SOURCE_PAGES)).items);
  const recent = sources.filter(s => s.last).sort((a, b) => a.last < b.last ? 1 : -1).slice(0, RECENT_SOURCES);
  await Promise.all(recent.map(async s => {
    try {
      const page = await getJson("/positions?" + query({ source: s.source, order: "desc", limit: TRAIL }));
      add(...(Array.isArray(page) ? page : page.items).reverse());
    } catch (error) {
      if (error instanceof NeedsToken) throw error;
      // a source name the API refuses as a parameter (stored before the rule existed): its latest position shows
    }
  }));
}

// Server-sent events read with fetch, because EventSource cannot send an Authorization header.
async function stream() {
  streaming = new AbortController();
  const answer = await fetch("/positions/stream", { headers: headers({ Accept: "text/event-stream" }),
                                                    signal: streaming.signal });
  if (answer.status === 401 || answer.status === 403) return askForToken(await problemDetail(answer));
  if (!answer.ok) throw new Error(await problemDetail(answer));
  status.textContent = "live";
  const reader = answer.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) throw new Error("the stream ended");
    buffer += value.replace(/\r\n?/g, "\n");
    let end;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const data = event.split("\n").filter(line => line.startsWith("data:"))
                        .map(line => line.slice(line.startsWith("data: ") ? 6 : 5)).join("\n");
      if (data) add(JSON.parse(data));
    }
  }
}

// ---- the source list

let sourceList = [];

function cell(text, className) {
  const td = document.createElement("td");
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function showSources(list, more) {
  sourceList = list;
  const rows = list.map(s => {
    const row = document.createElement("tr"), pick = document.createElement("button");
    pick.type = "button";
    pick.textContent = "history";
    pick.addEventListener("click", () => chooseSource(s));
    const action = document.createElement("td");
    action.append(pick);
    row.append(cell(s.source), cell(String(s.count), "count"), cell(s.first || ""), cell(s.last || ""), action);
    return row;
  });
  document.querySelector("#source-table tbody").replaceChildren(...rows);
  document.getElementById("source-status").textContent =
      list.length + " sources" + (more ? " (the first " + list.length + "; more exist)" : "");
  const select = document.getElementById("history-source"), chosen = select.value;
  select.replaceChildren(...list.map(s => {
    const option = document.createElement("option");
    option.value = option.textContent = s.source;
    return option;
  }));
  if (chosen && list.some(s => s.source === chosen)) select.value = chosen;
  else if (list.length) fillRange(list[0]);
}

async function loadSources() {
  const { items, more } = await getAll("/sources?" + query({ limit: 1000 }), SOURCE_PAGES);
  showSources(items, more);
  return items;
}

// ---- history: a source's positions over a range, replayed with the slider or play

const historyCanvas = document.getElementById("history-canvas"), historyCtx = historyCanvas.getContext("2d");
const slider = document.getElementById("history-slider"), play = document.getElementById("history-play");
const historyStatus = document.getElementById("history-status");
let replay = [], playing = null;

// The range that holds all of a source: from its first time to just after its last ('to' is exclusive)
function fillRange(s) {
  document.getElementById("history-source").value = s.source;
  document.getElementById("history-from").value = s.first || "";
  document.getElementById("history-to").value = s.last ? new Date(Date.parse(s.last) + 1).toISOString() : "";
}

function chooseSource(s) {
  fillRange(s);
  showHistory();
}

function drawHistory() {
  historyCtx.clearRect(0, 0, historyCanvas.width, historyCanvas.height);
  const shown = replay.slice(0, Number(slider.value) + 1);
  drawTrail(historyCtx, shown, colour(document.getElementById("history-source").value));
  const at = shown[shown.length - 1];
  historyStatus.textContent = replay.length
      ? `${shown.length} of ${replay.length} positions; ${at.sampledAt} (${at.x}, ${at.y})`
        + (replay.more ? "; the range holds more, shortened to the first " + replay.length : "")
      : "no position in this range";
}

async function showHistory() {
  stopPlaying();
  const source = document.getElementById("history-source").value;
  const from = document.getElementById("history-from").value.trim(), to = document.getElementById("history-to").value.trim();
  historyStatus.textContent = "loading…";
  try {
    const { items, more } = await getAll("/positions?" + query({ source, from, to, limit: 1000 }), HISTORY_PAGES);
    replay = items;
    replay.more = more;
    slider.max = Math.max(0, items.length - 1);
    slider.value = slider.max;
    slider.disabled = play.disabled = items.length < 2;
    drawHistory();
  } catch (error) {
    if (!(error instanceof NeedsToken)) historyStatus.textContent = error.message;
    return;
  }
  showHeatmap(source, from, to);
}

function stopPlaying() {
  if (playing) clearInterval(playing);
  playing = null;
  play.textContent = "play";
}

document.getElementById("history-form").addEventListener("submit", event => { event.preventDefault(); showHistory(); });
document.getElementById("history-source").addEventListener("change", event => {
  const s = sourceList.find(s => s.source === event.target.value);
  if (s) fillRange(s);
});
slider.addEventListener("input", () => { stopPlaying(); drawHistory(); });
// Replays the range in about ten seconds, whatever its length
play.addEventListener("click", () => {
  if (playing) return stopPlaying();
  if (Number(slider.value) >= replay.length - 1) slider.value = 0;
  const step = Math.max(1, Math.ceil(replay.length / 200));
  play.textContent = "pause";
  playing = setInterval(() => {
    slider.value = Math.min(replay.length - 1, Number(slider.value) + step);
    drawHistory();
    if (Number(slider.value) >= replay.length - 1) stopPlaying();
  }, 50);
});

// ---- heatmap: counts per grid cell, aggregated by posflow:
// {"cell": 32, "origin": {"x": 0, "y": 0}, "cells": [{"cx": 0, "cy": 1, "count": 5}, ...]} (view.HeatmapView)

const heatmapCanvas = document.getElementById("heatmap"), heatmapCtx = heatmapCanvas.getContext("2d");
const heatmapStatus = document.getElementById("heatmap-status");

async function showHeatmap(source, from, to) {
  heatmapCtx.clearRect(0, 0, heatmapCanvas.width, heatmapCanvas.height);
  heatmapStatus.textContent = "loading…";
  const size = document.getElementById("heatmap-cell").value;
  let map;
  try {
    // the part of the plane the canvas shows: posflow refuses a grid of too many cells before counting
    const bbox = `0,0,${SCREEN_WIDTH - 1},${Math.round(SCREEN_WIDTH * heatmapCanvas.height / heatmapCanvas.width) - 1}`;
    map = await getJson("/positions/heatmap?" + query({ source, from, to, cell: size, bbox }));
  } catch (error) {
    if (!(error instanceof NeedsToken)) heatmapStatus.textContent = "heatmap not available (" + error.message + ")";
    return;
  }
  if (!map || !Array.isArray(map.cells) || !(map.cell > 0)) {
    heatmapStatus.textContent = "heatmap not available (an answer of an unknown form)";
    return;
  }
  const scale = SCREEN_WIDTH / heatmapCanvas.width;
  const max = map.cells.reduce((m, c) => Math.max(m, c.count), 0);
  let total = 0;
  for (const c of map.cells) {
    total += c.count;
    // white to red by count, on a logarithmic scale so that a few hot cells do not hide the rest
    const heat = max > 1 ? Math.log(c.count) / Math.log(max) : 1;
    heatmapCtx.fillStyle = `hsla(${Math.round(60 - 60 * heat)} 100% 45% / ${0.35 + 0.65 * heat})`;
    const originX = map.origin ? map.origin.x : (map.originX || 0), originY = map.origin ? map.origin.y : (map.originY || 0);
    const x = originX + c.cx * map.cell, y = originY + c.cy * map.cell;
    heatmapCtx.fillRect(x / scale, y / scale, Math.max(1, map.cell / scale), Math.max(1, map.cell / scale));
  }
  heatmapStatus.textContent = `${total} positions in ${map.cells.length} cells of ${map.cell}; the hottest holds ${max}`;
}

// ---- start: the sources, the recent history, then the stream

async function start() {
  status.textContent = "connecting…";
  try {
    const sources = await loadSources();
    await loadRecent(sources);
    await stream();
  } catch (error) {
    if (error instanceof NeedsToken || error.name === "AbortError") return;
    status.textContent = "reconnecting… (" + error.message + ")";
    setTimeout(start, 2000);
  }
}

// The source list follows what arrives, at most every 5 s
setInterval(() => { if (login.hidden) loadSources().catch(() => {}); }, 5000);

// ISO-8601 with microseconds, as posflow stores them
function now() {
  const micros = Math.round((performance.timeOrigin + performance.now()) * 1000);
  const iso = new Date(Math.floor(micros / 1000)).toISOString();
  return iso.slice(0, 23) + String(micros % 1000).padStart(3, "0") + "Z";
}

let pending = [];
canvas.addEventListener("mousemove", event => {
  if (!document.getElementById("share").checked) return;
  const box = canvas.getBoundingClientRect(), scale = SCREEN_WIDTH / canvas.width;
  pending.push({ source: me, sampledAt: now(),
                 x: Math.round((event.clientX - box.left) * canvas.width / box.width * scale),
                 y: Math.round((event.clientY - box.top) * canvas.height / box.height * scale) });
});
// one POST of everything moved in the last 200 ms
setInterval(async () => {
  if (!pending.length) return;
  const samples = pending; pending = [];
  const answer = await fetch("/positions", { method: "POST", headers: headers({ "Content-Type": "application/json" }),
                                             body: JSON.stringify(samples) });
  if (!answer.ok) status.textContent = await problemDetail(answer);
}, 200);

start();
