// Drawing on the canvas: world metres (y up, the 5 m x 5 m Kinetix box) to canvas pixels (y down).
// Colours follow Kinetix: roles neutral / green / blue / red, fixed shapes darker; joint and
// thruster colours by binding (yellow, magenta, cyan, orange).

export const WORLD = 5.0;
export const ROLE_NAMES = ["neutral", "green", "blue", "red"];
const ROLE_RGB = [[160, 160, 160], [0, 204, 0], [0, 102, 204], [255, 102, 102]];
export const BINDING_COLOURS = ["#ffd400", "#ff00ff", "#00d0d0", "#ff9933"];

export function roleColour(role, fixed) {
  const rgb = ROLE_RGB[role] || ROLE_RGB[0];
  const k = fixed ? 0.5 : 1.0;
  const c = fixed && role === 0 ? [80, 80, 80] : rgb.map((v) => Math.round(v * k));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

export class View {
  constructor(canvas) {
    this.canvas = canvas;
    this.ctx = canvas.getContext("2d");
    this.scale = canvas.width / WORLD; // px per metre
  }

  toCanvas([x, y]) {
    return [x * this.scale, this.canvas.height - y * this.scale];
  }

  toWorld(px, py) {
    return [px / this.scale, (this.canvas.height - py) / this.scale];
  }

  clear() {
    const ctx = this.ctx;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    ctx.strokeStyle = "#eef0f3";
    ctx.lineWidth = 1;
    for (let m = 0.5; m < WORLD; m += 0.5) {
      const [px] = this.toCanvas([m, 0]);
      const [, py] = this.toCanvas([0, m]);
      ctx.beginPath(); ctx.moveTo(px, 0); ctx.lineTo(px, this.canvas.height); ctx.stroke();
      ctx.beginPath(); ctx.moveTo(0, py); ctx.lineTo(this.canvas.width, py); ctx.stroke();
    }
  }

  polygon(points, fill, { outline = "#000", width = 2 } = {}) {
    const ctx = this.ctx;
    ctx.beginPath();
    points.forEach((p, k) => {
      const [x, y] = this.toCanvas(p);
      if (k === 0) ctx.moveTo(x, y); else ctx.lineTo(x, y);
    });
    ctx.closePath();
    ctx.fillStyle = fill;
    ctx.fill();
    if (outline) { ctx.strokeStyle = outline; ctx.lineWidth = width; ctx.stroke(); }
  }

  circle(centre, radius, rotation, fill, { outline = "#000", width = 2 } = {}) {
    const ctx = this.ctx;
    const [x, y] = this.toCanvas(centre);
    ctx.beginPath();
    ctx.arc(x, y, radius * this.scale, 0, 2 * Math.PI);
    ctx.fillStyle = fill;
    ctx.fill();
    if (outline) { ctx.strokeStyle = outline; ctx.lineWidth = width; ctx.stroke(); }
    // the radius line shows the rotation: straight up at rotation 0 (Kinetix)
    const tip = [centre[0] - Math.sin(rotation) * radius, centre[1] + Math.cos(rotation) * radius];
    const [tx, ty] = this.toCanvas(tip);
    ctx.beginPath(); ctx.moveTo(x, y); ctx.lineTo(tx, ty);
    ctx.strokeStyle = "#000"; ctx.lineWidth = 1.5; ctx.stroke();
  }

  joint(point, { fixed = false, motor = false, binding = 0, selected = false } = {}) {
    const ctx = this.ctx;
    const [x, y] = this.toCanvas(point);
    ctx.fillStyle = motor ? BINDING_COLOURS[binding % 4] : "#ffffff";
    ctx.strokeStyle = selected ? "#ff6a00" : "#000";
    ctx.lineWidth = selected ? 3 : 1.5;
    ctx.beginPath();
    if (fixed) ctx.rect(x - 5, y - 5, 10, 10); else ctx.arc(x, y, 6, 0, 2 * Math.PI);
    ctx.fill(); ctx.stroke();
  }

  thruster(point, direction, { binding = 0, firing = false, selected = false } = {}) {
    // a small arrow pointing along the thrust; a flame behind it while firing
    const ctx = this.ctx;
    const [x, y] = this.toCanvas(point);
    const dx = Math.cos(direction), dy = -Math.sin(direction);
    const L = 16, W = 6;
    ctx.beginPath();
    ctx.moveTo(x + dx * L, y + dy * L);
    ctx.lineTo(x - dy * W, y + dx * W);
    ctx.lineTo(x + dy * W, y - dx * W);
    ctx.closePath();
    ctx.fillStyle = BINDING_COLOURS[binding % 4];
    ctx.strokeStyle = selected ? "#ff6a00" : "#000";
    ctx.lineWidth = selected ? 3 : 1.5;
    ctx.fill(); ctx.stroke();
    if (firing) {
      ctx.beginPath();
      ctx.moveTo(x - dy * W * 0.7, y + dx * W * 0.7);
      ctx.lineTo(x - dx * L * 1.2, y - dy * L * 1.2);
      ctx.lineTo(x + dy * W * 0.7, y - dx * W * 0.7);
      ctx.closePath();
      ctx.fillStyle = "#ff8c1a";
      ctx.fill();
    }
  }

  marker(point, colour = "#ff6a00") {
    const [x, y] = this.toCanvas(point);
    this.ctx.fillStyle = colour;
    this.ctx.beginPath(); this.ctx.arc(x, y, 4, 0, 2 * Math.PI); this.ctx.fill();
  }
}

// ---------------------------------------------------------------------------------------- geometry
export function rotate([x, y], a) {
  const c = Math.cos(a), s = Math.sin(a);
  return [c * x - s * y, s * x + c * y];
}

export function transform(position, rotation, local) {
  const [x, y] = rotate(local, rotation);
  return [position[0] + x, position[1] + y];
}

export function worldVertices(shape) {
  return shape.vertices.map((v) => transform(shape.position, shape.rotation || 0, v));
}

export function insidePolygon(points, [px, py]) {
  // convex, counter-clockwise: inside when left of every edge
  for (let k = 0; k < points.length; k++) {
    const [ax, ay] = points[k];
    const [bx, by] = points[(k + 1) % points.length];
    if ((bx - ax) * (py - ay) - (by - ay) * (px - ax) < 0) return false;
  }
  return true;
}

export function containsPoint(shape, point) {
  if (shape.radius !== undefined) {
    return Math.hypot(point[0] - shape.position[0], point[1] - shape.position[1]) <= shape.radius;
  }
  return insidePolygon(worldVertices(shape), point);
}
