// The side panel: properties of the selected shape, joint or thruster, or of the level.
// Every change is sent as one edit (see impetus.editor.ops); the server validates it.

import { ROLE_NAMES } from "./draw.js";

const DEG = 180 / Math.PI;

function round(x, digits = 4) {
  return Math.round(x * 10 ** digits) / 10 ** digits;
}

function row(label, input) {
  const div = document.createElement("label");
  div.className = "row";
  const span = document.createElement("span");
  span.textContent = label;
  div.append(span, input);
  return div;
}

function numberInput(name, value, onChange, step = "0.05") {
  const input = document.createElement("input");
  input.type = "number";
  input.step = step;
  input.name = name;
  input.value = round(value);
  input.addEventListener("change", () => {
    const v = parseFloat(input.value);
    if (Number.isFinite(v)) onChange(v);
  });
  return input;
}

function select(name, options, value, onChange) {
  const input = document.createElement("select");
  input.name = name;
  for (const [v, text] of options) {
    const o = document.createElement("option");
    o.value = String(v);
    o.textContent = text;
    input.append(o);
  }
  input.value = String(value);
  input.addEventListener("change", () => onChange(input.value));
  return input;
}

function checkbox(name, value, onChange) {
  const input = document.createElement("input");
  input.type = "checkbox";
  input.name = name;
  input.checked = value;
  input.addEventListener("change", () => onChange(input.checked));
  return input;
}

function button(text, onClick, name) {
  const b = document.createElement("button");
  b.textContent = text;
  b.name = name || text.toLowerCase();
  b.addEventListener("click", onClick);
  return b;
}

function heading(text) {
  const h = document.createElement("h3");
  h.textContent = text;
  return h;
}

export function shapePanel(shape, edit, remove) {
  const id = shape.id;
  const set = (key) => (v) => edit("set_shape", { id, [key]: v });
  const nodes = [heading(`${shape.radius !== undefined ? "Circle" : "Polygon"} ${id}`)];
  nodes.push(row("role", select("role", ROLE_NAMES.map((r) => [r, r]), shape.role, set("role"))));
  nodes.push(row("fixed", checkbox("fixed", shape.fixed, set("fixed"))));
  nodes.push(row("x [m]", numberInput("x", shape.position[0], (v) => edit("move_shape", { id, position: [v, shape.position[1]] }))));
  nodes.push(row("y [m]", numberInput("y", shape.position[1], (v) => edit("move_shape", { id, position: [shape.position[0], v] }))));
  nodes.push(row("rotation [°]", numberInput("rotation", shape.rotation * DEG, (v) => edit("rotate_shape", { id, rotation: v / DEG }), "5")));
  if (shape.radius !== undefined) {
    nodes.push(row("radius [m]", numberInput("radius", shape.radius, (v) => edit("resize_shape", { id, radius: v }))));
  } else {
    const xs = shape.vertices.map((v) => v[0]), ys = shape.vertices.map((v) => v[1]);
    const w = Math.max(...xs) - Math.min(...xs), h = Math.max(...ys) - Math.min(...ys);
    nodes.push(row("width [m]", numberInput("width", w, (v) => edit("resize_shape", { id, width: v }))));
    nodes.push(row("height [m]", numberInput("height", h, (v) => edit("resize_shape", { id, height: v }))));
  }
  nodes.push(row("density", numberInput("density", shape.density, set("density"), "0.1")));
  nodes.push(row("friction", numberInput("friction", shape.friction, set("friction"), "0.1")));
  nodes.push(row("restitution", numberInput("restitution", shape.restitution, set("restitution"), "0.1")));
  nodes.push(row("collision mode", select("collision_mode", [[0, "0: none"], [1, "1: normal"], [2, "2: all"]],
    shape.collision_mode, (v) => edit("set_shape", { id, collision_mode: parseInt(v, 10) }))));
  const vel = shape.velocity || [0, 0];
  nodes.push(row("velocity x", numberInput("vx", vel[0], (v) => edit("set_shape", { id, velocity: [v, vel[1]] }), "0.1")));
  nodes.push(row("velocity y", numberInput("vy", vel[1], (v) => edit("set_shape", { id, velocity: [vel[0], v] }), "0.1")));
  nodes.push(row("spin [rad/s]", numberInput("angular_velocity", shape.angular_velocity || 0, set("angular_velocity"), "0.1")));
  nodes.push(button("Delete shape", remove, "delete"));
  return nodes;
}

export function jointPanel(joint, index, edit, remove) {
  const set = (key) => (v) => edit("set_joint", { index, [key]: v });
  const nodes = [heading(`Joint ${index}: ${joint.a} – ${joint.b}`)];
  nodes.push(row("type", select("type", [["revolute", "revolute"], ["fixed", "fixed"]], joint.type, set("type"))));
  if (joint.type === "revolute") {
    const m = joint.motor;
    nodes.push(row("motor on", checkbox("motor_on", m.on, set("motor_on"))));
    nodes.push(row("speed", numberInput("speed", m.speed, set("speed"), "0.1")));
    nodes.push(row("power", numberInput("power", m.power, set("power"), "0.1")));
    nodes.push(row("binding", select("binding", [0, 1, 2, 3].map((b) => [b, `${b} (${["←/→", "↑/↓", "A/D", "W/S"][b]})`]),
      m.binding, (v) => edit("set_joint", { index, binding: parseInt(v, 10) }))));
    nodes.push(row("always on", checkbox("auto", m.auto, set("auto"))));
    const limits = joint.limits;
    nodes.push(row("limits", checkbox("has_limits", !!limits, (on) => edit("set_joint", { index, limits: on ? [-0.5, 0.5] : null }))));
    if (limits) {
      nodes.push(row("lower [°]", numberInput("lower", limits[0] * DEG, (v) => edit("set_joint", { index, limits: [v / DEG, limits[1]] }), "5")));
      nodes.push(row("upper [°]", numberInput("upper", limits[1] * DEG, (v) => edit("set_joint", { index, limits: [limits[0], v / DEG] }), "5")));
    }
  }
  nodes.push(button("Delete joint", remove, "delete"));
  return nodes;
}

export function thrusterPanel(thruster, index, shape, edit, remove) {
  const direction = (thruster.angle + (shape ? shape.rotation : 0)) * DEG;
  const nodes = [heading(`Thruster ${index} on ${thruster.shape}`)];
  nodes.push(row("direction [°]", numberInput("direction", direction, (v) => edit("set_thruster", { index, direction: v / DEG }), "15")));
  nodes.push(row("power", numberInput("power", thruster.power, (v) => edit("set_thruster", { index, power: v }), "0.1")));
  nodes.push(row("binding", select("binding", [[0, "0 (key 1)"], [1, "1 (key 2)"]], thruster.binding,
    (v) => edit("set_thruster", { index, binding: parseInt(v, 10) }))));
  nodes.push(button("Delete thruster", remove, "delete"));
  return nodes;
}

export function levelPanel(doc, capacity, edit) {
  const nodes = [heading("Level")];
  const g = doc.gravity;
  nodes.push(row("gravity x", numberInput("gravity_x", g[0], (v) => edit("set_gravity", { gravity: [v, g[1]] }), "0.5")));
  nodes.push(row("gravity y", numberInput("gravity_y", g[1], (v) => edit("set_gravity", { gravity: [g[0], v] }), "0.5")));
  nodes.push(row("episode steps", numberInput("max_timesteps", doc.max_timesteps,
    (v) => edit("set_max_timesteps", { max_timesteps: Math.round(v) }), "1")));
  const size = typeof doc.size === "string" ? doc.size : "custom";
  const options = [["s", "S"], ["m", "M"], ["l", "L"]].concat(size === "custom" ? [["custom", "custom"]] : []);
  nodes.push(row("size", select("size", options, size, (v) => edit("set_size", { size: v }))));
  const used = (kind) => doc.shapes.filter((s) => s.id[0] === kind).length;
  const p = document.createElement("p");
  p.className = "counts";
  p.textContent = `polygons ${used("p")}/${capacity.num_polygons} (${capacity.num_static_polygons} walls) · ` +
    `circles ${used("c")}/${capacity.num_circles} · joints ${doc.joints.length}/${capacity.num_joints} · ` +
    `thrusters ${doc.thrusters.length}/${capacity.num_thrusters}`;
  nodes.push(p);
  return nodes;
}
