// Play mode: the server steps the real engine (websocket /api/play) and streams frames; this
// file only sends the held keys and draws.  Keys: ←/→ motor binding 0 (-1/+1), ↑/↓ binding 1
// (+1/-1), A/D binding 2, W/S binding 3; digits 1 and 2 fire thruster bindings 0 and 1; R resets.

import { roleColour, transform } from "./draw.js";

const MOTOR_KEYS = {
  ArrowRight: [0, 1], ArrowLeft: [0, -1], ArrowUp: [1, 1], ArrowDown: [1, -1],
  d: [2, 1], a: [2, -1], w: [3, 1], s: [3, -1],
};
const THRUSTER_KEYS = { 1: 0, 2: 1 };
const OUTCOME_TEXT = { goal: "GOAL!", death: "Death (green touched red)", timeout: "Time out", unstable: "Unstable (stopped)" };

function showAction(motors, thrusters) {
  const fmt = (v) => (v > 0 ? `+${v}` : `${v}`);
  document.getElementById("action").textContent = `motors ${motors.map(fmt).join(" ")} · thrusters ${thrusters.join(" ")}`;
}

export class Player {
  constructor(view, { onStatus, onEnd }) {
    this.view = view;
    this.onStatus = onStatus;
    this.onEnd = onEnd;
    this.held = new Set();
    this.scene = null;
    this.frame = null;
    this.socket = null;
  }

  start({ agent = false } = {}) {
    this.agent = agent;
    const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/play`;
    this.socket = new WebSocket(url);
    this.socket.onopen = () => this.send({ type: "start", agent });
    this.socket.onmessage = (event) => this.receive(JSON.parse(event.data));
    this.socket.onclose = () => { if (this.socket) this.onStatus("play connection closed", true); };
    this.onStatus("starting play mode...");
  }

  stop() {
    const socket = this.socket;
    this.socket = null;
    this.held.clear();
    if (socket) socket.close();
  }

  send(message) {
    if (this.socket && this.socket.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(message));
  }

  reset() {
    this.send({ type: "reset" });
  }

  receive(msg) {
    if (msg.type === "status") this.onStatus(msg.text);
    else if (msg.type === "error") this.onStatus(msg.error, true);
    else if (msg.type === "scene") {
      this.scene = msg;
      this.onStatus(this.agent ? "the agent is playing: R resets, Esc edits"
        : "playing: ←/→ ↑/↓ A/D W/S drive motors, 1/2 fire thrusters, R resets, Esc edits");
      this.show(msg.frame);
      this.sendKeys();
    } else if (msg.type === "frame") this.show(msg);
  }

  channels() {
    const motors = [0, 0, 0, 0], thrusters = [0, 0];
    for (const key of this.held) {
      if (key in MOTOR_KEYS) { const [b, v] = MOTOR_KEYS[key]; motors[b] += v; }
      if (key in THRUSTER_KEYS) thrusters[THRUSTER_KEYS[key]] = 1;
    }
    return { motors: motors.map((v) => Math.max(-1, Math.min(1, v))), thrusters };
  }

  sendKeys() {
    if (this.agent) return;
    const { motors, thrusters } = this.channels();
    this.send({ type: "keys", motors, thrusters });
    showAction(motors, thrusters);
  }

  key(event, down) {
    if (this.agent && event.key.toLowerCase() !== "r") return false;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    if (down && key === "r") { this.reset(); return true; }
    if (!(key in MOTOR_KEYS) && !(key in THRUSTER_KEYS)) return false;
    const had = this.held.has(key);
    if (down) this.held.add(key); else this.held.delete(key);
    if (had !== down) this.sendKeys();
    return true;
  }

  show(frame) {
    this.frame = frame;
    const hud = document.getElementById("hud");
    hud.textContent = `step ${frame.t}/${frame.limit} · return ${frame.return.toFixed(3)}`;
    const nmb = this.scene ? this.scene.motor_channels : 4;
    if (frame.action && (this.agent || frame.t > 0)) showAction(frame.action.slice(0, nmb), frame.action.slice(nmb));
    const outcome = document.getElementById("outcome");
    outcome.textContent = frame.outcome ? OUTCOME_TEXT[frame.outcome] || frame.outcome : "";
    outcome.dataset.outcome = frame.outcome || "";
    outcome.className = frame.outcome ? `outcome ${frame.outcome}` : "outcome";
    this.draw();
    if (frame.outcome) this.onEnd(frame.outcome);
  }

  draw() {
    const view = this.view, scene = this.scene, frame = this.frame;
    if (!scene || !frame) return;
    view.clear();
    const pos = frame.position, rot = frame.rotation;
    for (const s of scene.shapes) {
      const fill = roleColour(s.role, s.fixed);
      if (s.vertices) view.polygon(s.vertices.map((v) => transform(pos[s.index], rot[s.index], v)), fill);
      else view.circle(pos[s.index], s.radius, rot[s.index], fill);
    }
    for (const j of scene.joints) {
      view.joint(transform(pos[j.a], rot[j.a], j.anchor_a), { fixed: j.fixed, motor: j.motor, binding: j.binding });
    }
    const thrusters = frame.action ? frame.action.slice(scene.motor_channels) : this.channels().thrusters;
    for (const t of scene.thrusters) {
      view.thruster(transform(pos[t.body], rot[t.body], t.anchor), t.angle + rot[t.body],
        { binding: t.binding, firing: thrusters[t.binding] > 0 });
    }
  }
}
