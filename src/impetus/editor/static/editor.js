// The Impetus level editor page: tools on a canvas, the side panel, files, undo/redo, play mode.
// All edits go to the server (/api/edit), which validates them and answers with the new level
// document; this page only draws that document and turns mouse and keys into edits.

import { View, containsPoint, roleColour, transform, worldVertices } from "./draw.js";
import { jointPanel, levelPanel, shapePanel, thrusterPanel } from "./panel.js";
import { Player } from "./play.js";

const $ = (id) => document.getElementById(id);
const DEG = 180 / Math.PI;
const DEFAULT_RADIUS = 0.2, DEFAULT_HALF = 0.2, CLICK = 0.03; // [m]

const editor = {
  state: null, // {doc, file, format, can_undo, can_redo, capacity}
  tool: "select",
  selection: null, // {kind: "shape"|"joint"|"thruster", id|index}
  drag: null, // {start, current, id?}
  polygon: [], // points of the polygon being drawn
  playing: false,
  busy: 0,
};
window.editor = editor; // for tests and the curious

const view = new View($("canvas"));
const player = new Player(view, {
  onStatus: (text, error) => message(text, error),
  onEnd: () => {},
});

// ------------------------------------------------------------------------------------------- server
function message(text, error = false) {
  const m = $("message");
  m.textContent = text || "";
  m.className = error ? "error" : "";
}

async function call(method, path, body) {
  editor.busy += 1;
  document.body.dataset.busy = String(editor.busy);
  try {
    const init = { method, headers: { "content-type": "application/json" } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(path, init);
    const data = await response.json();
    if (!response.ok) { message(data.error || `error ${response.status}`, true); return null; }
    return data;
  } catch (err) {
    message(`cannot reach the editor server: ${err}`, true);
    return null;
  } finally {
    editor.busy -= 1;
    document.body.dataset.busy = String(editor.busy);
  }
}

async function update(path, body, { keepMessage = false } = {}) {
  const data = await call(body === undefined ? "GET" : "POST", path, body);
  if (!data) return false;
  const previous = editor.state ? editor.state.file : null;
  editor.state = data;
  if (!keepMessage) message(data.message || "");
  if (data.file && data.file !== previous) $("path").value = data.file;
  if (["s", "m", "l"].includes(data.doc.size)) $("new-size").value = data.doc.size;
  checkSelection();
  render();
  return true;
}

export async function edit(op, args, select) {
  const before = editor.state.doc;
  const ok = await update("/api/edit", { op, args });
  if (ok && select) editor.selection = select(before, editor.state.doc);
  render();
  return ok;
}

async function refreshFiles() {
  const data = await call("GET", "/api/files");
  if (!data) return;
  const list = $("files");
  list.replaceChildren(...data.files.map((f) => Object.assign(document.createElement("option"), { value: f })));
}

// ------------------------------------------------------------------------------------------- picking
function shapes() { return editor.state.doc.shapes; }
function shapeById(id) { return shapes().find((s) => s.id === id); }

function jointPoint(j) { return transform(shapeById(j.a).position, shapeById(j.a).rotation, j.anchor_a); }
function thrusterPoint(t) { const s = shapeById(t.shape); return transform(s.position, s.rotation, t.anchor); }

function shapesAt(point) {
  // topmost first: circles are drawn over polygons, later slots over earlier ones
  return shapes().filter((s) => containsPoint(s, point)).reverse();
}

function pick(point) {
  const doc = editor.state.doc;
  const near = (p, r) => Math.hypot(p[0] - point[0], p[1] - point[1]) <= r;
  const t = doc.thrusters.findIndex((th) => near(thrusterPoint(th), 0.1));
  if (t >= 0) return { kind: "thruster", index: t };
  const j = doc.joints.findIndex((jt) => near(jointPoint(jt), 0.08));
  if (j >= 0) return { kind: "joint", index: j };
  const s = shapesAt(point)[0];
  return s ? { kind: "shape", id: s.id } : null;
}

function checkSelection() {
  const sel = editor.selection, doc = editor.state.doc;
  if (!sel) return;
  const gone = (sel.kind === "shape" && !shapeById(sel.id)) || (sel.kind === "joint" && sel.index >= doc.joints.length)
    || (sel.kind === "thruster" && sel.index >= doc.thrusters.length);
  if (gone) editor.selection = null;
}

const newShape = (before, after) => {
  const old = new Set(before.shapes.map((s) => s.id));
  const s = after.shapes.find((x) => !old.has(x.id));
  return s ? { kind: "shape", id: s.id } : null;
};
const last = (kind) => (before, after) => ({ kind, index: after[`${kind}s`].length - 1 });

// ------------------------------------------------------------------------------------------- tools
function eventPoint(event, snap = true) {
  // canvas pixels inside the border, then metres, rounded to the snap grid
  const c = view.canvas, rect = c.getBoundingClientRect();
  const px = (event.clientX - rect.left - c.clientLeft) * c.width / c.clientWidth;
  const py = (event.clientY - rect.top - c.clientTop) * c.height / c.clientHeight;
  const grid = snap ? parseFloat($("snap").value) : 0;
  const round = (v) => (grid > 0 ? Math.round(v / grid) * grid : v);
  return view.toWorld(px, py).map((v) => parseFloat(round(v).toFixed(6)));
}

function onDown(event) {
  if (editor.playing || !editor.state) return;
  const point = eventPoint(event);
  editor.drag = { start: point, current: point };
  if (editor.tool === "select") {
    editor.selection = pick(point);
    if (editor.selection && editor.selection.kind === "shape") editor.drag.id = editor.selection.id;
    render();
  }
}

function onMove(event) {
  if (!editor.drag) return;
  editor.drag.current = eventPoint(event);
  render();
}

async function onUp(event) {
  const drag = editor.drag;
  editor.drag = null;
  if (!drag || editor.playing) return;
  const [x0, y0] = drag.start, [x1, y1] = eventPoint(event);
  const moved = Math.hypot(x1 - x0, y1 - y0) > CLICK;
  const tool = editor.tool;
  if (tool === "select" && drag.id && moved) {
    const s = shapeById(drag.id);
    await edit("move_shape", { id: drag.id, position: [s.position[0] + x1 - x0, s.position[1] + y1 - y0] });
  } else if (tool === "circle") {
    const radius = moved ? Math.hypot(x1 - x0, y1 - y0) : DEFAULT_RADIUS;
    await edit("add_circle", { position: [x0, y0], radius }, newShape);
  } else if (tool === "rectangle") {
    const centre = moved ? [(x0 + x1) / 2, (y0 + y1) / 2] : [x0, y0];
    const half = moved ? [Math.max(Math.abs(x1 - x0) / 2, 0.01), Math.max(Math.abs(y1 - y0) / 2, 0.01)] : [DEFAULT_HALF, DEFAULT_HALF];
    await edit("add_rectangle", { position: centre, half_size: half }, newShape);
  } else if (tool === "polygon") {
    editor.polygon.push([x1, y1]);
    message(`polygon: ${editor.polygon.length} point(s); Enter or double-click finishes, Esc cancels`);
    render();
  } else if (tool === "joint") {
    const under = shapesAt([x0, y0]);
    if (under.length < 2) { message("joint: click where two shapes overlap", true); return; }
    // a = the shape on top (a wheel over a body), b = the one below: +1 (→) turns a clockwise relative to b
    await edit("add_joint", { a: under[0].id, b: under[1].id, anchor: [x0, y0], type: $("joint-type").value }, last("joint"));
  } else if (tool === "thruster") {
    const target = shapesAt([x0, y0])[0];
    if (!target) { message("thruster: click on a shape", true); return; }
    const direction = parseFloat($("thrust-direction").value) / DEG;
    await edit("add_thruster", { shape: target.id, anchor: [x0, y0], direction: Number.isFinite(direction) ? direction : Math.PI / 2 }, last("thruster"));
  }
}

async function finishPolygon() {
  const points = editor.polygon;
  editor.polygon = [];
  if (points.length >= 3) await edit("add_polygon", { points }, newShape);
  else { message("polygon: needs at least 3 points", true); render(); }
}

async function removeSelection() {
  const sel = editor.selection;
  if (!sel) return;
  editor.selection = null;
  if (sel.kind === "shape") await edit("delete_shape", { id: sel.id });
  else await edit(`delete_${sel.kind}`, { index: sel.index });
}

async function rotateSelection(delta) {
  const sel = editor.selection;
  if (!sel || sel.kind !== "shape") return;
  const s = shapeById(sel.id);
  await edit("rotate_shape", { id: sel.id, rotation: s.rotation + delta });
}

function setTool(tool) {
  editor.tool = tool;
  editor.polygon = [];
  for (const b of document.querySelectorAll("[data-tool]")) b.classList.toggle("active", b.dataset.tool === tool);
  $("joint-options").hidden = tool !== "joint";
  $("thruster-options").hidden = tool !== "thruster";
  $("finish-polygon").hidden = tool !== "polygon";
  render();
}

// ------------------------------------------------------------------------------------------- drawing
function render() {
  if (!editor.state || editor.playing) return;
  const doc = editor.state.doc, sel = editor.selection;
  view.clear();
  const dragged = editor.tool === "select" && editor.drag && editor.drag.id ? editor.drag : null;
  const offset = dragged ? [dragged.current[0] - dragged.start[0], dragged.current[1] - dragged.start[1]] : [0, 0];
  for (const s of doc.shapes) {
    const isSel = sel && sel.kind === "shape" && sel.id === s.id;
    const shift = dragged && dragged.id === s.id ? offset : [0, 0];
    const style = isSel ? { outline: "#ff6a00", width: 4 } : {};
    const fill = roleColour(["neutral", "green", "blue", "red"].indexOf(s.role), s.fixed);
    if (s.radius !== undefined) view.circle([s.position[0] + shift[0], s.position[1] + shift[1]], s.radius, s.rotation, fill, style);
    else view.polygon(worldVertices(s).map(([x, y]) => [x + shift[0], y + shift[1]]), fill, style);
  }
  doc.joints.forEach((j, k) => view.joint(jointPoint(j), {
    fixed: j.type === "fixed", motor: j.motor && j.motor.on, binding: j.motor ? j.motor.binding : 0,
    selected: sel && sel.kind === "joint" && sel.index === k,
  }));
  doc.thrusters.forEach((t, k) => view.thruster(thrusterPoint(t), t.angle + shapeById(t.shape).rotation, {
    binding: t.binding, selected: sel && sel.kind === "thruster" && sel.index === k,
  }));
  for (const p of editor.polygon) view.marker(p);
  if (editor.drag && editor.tool === "rectangle") {
    const [x0, y0] = editor.drag.start, [x1, y1] = editor.drag.current;
    view.polygon([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], "rgba(255,106,0,0.2)", { outline: "#ff6a00", width: 1 });
  } else if (editor.drag && editor.tool === "circle") {
    const [x0, y0] = editor.drag.start, [x1, y1] = editor.drag.current;
    view.circle([x0, y0], Math.max(Math.hypot(x1 - x0, y1 - y0), 0.01), 0, "rgba(255,106,0,0.2)", { outline: "#ff6a00", width: 1 });
  }
  renderPanel();
  $("undo").disabled = !editor.state.can_undo;
  $("redo").disabled = !editor.state.can_redo;
  $("agent-option").hidden = !editor.state.agent;
  $("agent-option").title = editor.state.agent ? `the policy of ${editor.state.agent} chooses the actions` : "";
  $("title").textContent = editor.state.file ? `${editor.state.file} (${editor.state.format})` : "new level (unsaved)";
}

function renderPanel() {
  const doc = editor.state.doc, sel = editor.selection;
  let nodes;
  if (sel && sel.kind === "shape") nodes = shapePanel(shapeById(sel.id), edit, removeSelection);
  else if (sel && sel.kind === "joint") nodes = jointPanel(doc.joints[sel.index], sel.index, edit, removeSelection);
  else if (sel && sel.kind === "thruster") {
    const t = doc.thrusters[sel.index];
    nodes = thrusterPanel(t, sel.index, shapeById(t.shape), edit, removeSelection);
  } else nodes = levelPanel(doc, editor.state.capacity, edit);
  $("panel").replaceChildren(...nodes);
}

// ------------------------------------------------------------------------------------------- play
function setPlaying(on) {
  if (on === editor.playing) return;
  editor.playing = on;
  document.body.classList.toggle("playing", on);
  $("play").textContent = on ? "■ Edit" : "▶ Play";
  $("outcome").textContent = "";
  $("outcome").dataset.outcome = "";
  $("hud").textContent = "";
  $("action").textContent = "";
  if (on) { editor.polygon = []; editor.drag = null; player.start({ agent: !!editor.state.agent && $("agent-play").checked }); } else { player.stop(); message(""); render(); }
}

// ------------------------------------------------------------------------------------------- wiring
function typing(event) {
  const t = event.target;
  return t && (t.tagName === "INPUT" || t.tagName === "SELECT" || t.tagName === "TEXTAREA");
}

function onKey(event, down) {
  if (typing(event)) return;
  if (editor.playing) {
    if (down && event.key === "Escape") { setPlaying(false); event.preventDefault(); return; }
    if (player.key(event, down)) event.preventDefault();
    return;
  }
  if (!down) return;
  const ctrl = event.ctrlKey || event.metaKey;
  const k = event.key;
  if (ctrl && k.toLowerCase() === "z") { update(event.shiftKey ? "/api/redo" : "/api/undo", {}); event.preventDefault(); }
  else if (ctrl && k.toLowerCase() === "y") { update("/api/redo", {}); event.preventDefault(); }
  else if (k === "Delete" || k === "Backspace") { removeSelection(); event.preventDefault(); }
  else if (k === "Enter" && editor.tool === "polygon") finishPolygon();
  else if (k === "Escape") { editor.polygon = []; editor.selection = null; render(); }
  else if (k === "q" || k === "e") rotateSelection((k === "q" ? 15 : -15) / DEG);
  else if (k === " ") { setPlaying(true); event.preventDefault(); }
}

async function main() {
  const canvas = view.canvas;
  canvas.addEventListener("mousedown", onDown);
  window.addEventListener("mousemove", onMove);
  window.addEventListener("mouseup", onUp);
  canvas.addEventListener("dblclick", () => { if (editor.tool === "polygon") finishPolygon(); });
  window.addEventListener("keydown", (e) => onKey(e, true));
  window.addEventListener("keyup", (e) => onKey(e, false));
  window.addEventListener("blur", () => { if (editor.playing) { player.held.clear(); player.sendKeys(); } });
  for (const b of document.querySelectorAll("[data-tool]")) b.addEventListener("click", () => setTool(b.dataset.tool));
  $("undo").addEventListener("click", () => update("/api/undo", {}));
  $("redo").addEventListener("click", () => update("/api/redo", {}));
  $("new").addEventListener("click", () => { editor.selection = null; update("/api/new", { size: $("new-size").value }); });
  $("open").addEventListener("click", async () => { editor.selection = null; await update("/api/open", { path: $("path").value }); });
  $("save").addEventListener("click", async () => { await update("/api/save", { path: $("path").value, format: "impetus" }); refreshFiles(); });
  $("export").addEventListener("click", async () => { await update("/api/save", { path: $("path").value, format: "kinetix" }); refreshFiles(); });
  $("finish-polygon").addEventListener("click", finishPolygon);
  $("play").addEventListener("click", () => setPlaying(!editor.playing));
  $("reset").addEventListener("click", () => player.reset());
  setTool("select");
  await update("/api/state");
  await refreshFiles();
  document.body.dataset.ready = "1";
}

main();
