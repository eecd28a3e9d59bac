// medkg view: draws the graph embedded in the page as SVG. No libraries and no network, so the
// page works when opened from disk. Every label and sentence is written with textContent.
"use strict";
(function () {
  const data = JSON.parse(document.getElementById("graph-data").textContent);
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.getElementById("graph");
  const tooltip = document.getElementById("tooltip");
  const SPREAD = 420; // pixels per layout unit (the layout is in [-1, 1])

  function make(tag, attrs, parent) {
    const el = document.createElementNS(NS, tag);
    for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, value);
    if (parent) parent.appendChild(el);
    return el;
  }

  // --- scene ----------------------------------------------------------------------------
  const defs = make("defs", {}, svg);
  const marker = make("marker", { id: "arrow", viewBox: "0 0 10 10", refX: "9", refY: "5",
    markerWidth: "7", markerHeight: "7", orient: "auto-start-reverse" }, defs);
  make("path", { d: "M0,0 L10,5 L0,10 z", fill: "#8a949e" }, marker);
  const scene = make("g", { id: "scene" }, svg);
  const edgeLayer = make("g", { class: "edges" }, scene);
  const nodeLayer = make("g", { class: "nodes" }, scene);

  const byId = new Map();
  for (const node of data.nodes) {
    node.px = node.x * SPREAD;
    node.py = node.y * SPREAD;
    node.r = 6 + 2 * Math.sqrt(node.degree);
    node.edges = [];
    byId.set(node.id, node);
  }
  // parallel edges between one pair bend apart, on lanes counted per unordered pair
  const lanes = new Map();
  const pairKey = (e) => (e.source < e.target ? e.source + " " + e.target : e.target + " " + e.source);
  for (const edge of data.edges) {
    const key = pairKey(edge);
    edge.lane = lanes.get(key) || 0;
    lanes.set(key, edge.lane + 1);
  }
  for (const edge of data.edges) {
    edge.lanes = lanes.get(pairKey(edge));
    edge.from = byId.get(edge.source);
    edge.to = byId.get(edge.target);
    edge.from.edges.push(edge);
    edge.to.edges.push(edge);
    edge.el = make("g", { class: "edge", "data-relation": edge.relation,
      "data-source": edge.source, "data-target": edge.target }, edgeLayer);
    edge.hit = make("path", { class: "hit" }, edge.el);
    edge.line = make("path", { class: "line", "marker-end": "url(#arrow)" }, edge.el);
    edge.el.addEventListener("pointerenter", (ev) => showEdge(edge, ev));
    edge.el.addEventListener("pointermove", moveTooltip);
    edge.el.addEventListener("pointerleave", hideTooltip);
  }
  for (const node of data.nodes) {
    const center = node.id === data.center;
    node.el = make("g", { class: center ? "node center" : "node", "data-id": node.id,
      "data-group": node.group }, nodeLayer);
    make("circle", { r: String(node.r), fill: node.colour }, node.el);
    const label = make("text", { x: "0", y: String(node.r + 12), "text-anchor": "middle" }, node.el);
    label.textContent = node.label;
    node.el.addEventListener("pointerenter", (ev) => showNode(node, ev));
    node.el.addEventListener("pointermove", moveTooltip);
    node.el.addEventListener("pointerleave", hideTooltip);
    node.el.addEventListener("pointerdown", (ev) => startDrag(node, ev));
  }

  function drawEdge(edge) {
    const a = edge.from, b = edge.to;
    let dx = b.px - a.px, dy = b.py - a.py;
    const length = Math.hypot(dx, dy) || 1;
    // the bend is measured on the pair's own axis, so opposite edges bend apart too
    const flip = edge.source < edge.target ? 1 : -1;
    const bend = (edge.lane - (edge.lanes - 1) / 2) * 28 * flip;
    const cx = (a.px + b.px) / 2 - (dy / length) * bend;
    const cy = (a.py + b.py) / 2 + (dx / length) * bend;
    // stop the arrow at the target's rim
    dx = b.px - cx; dy = b.py - cy;
    const rim = Math.hypot(dx, dy) || 1;
    const ex = b.px - (dx / rim) * (b.r + 2), ey = b.py - (dy / rim) * (b.r + 2);
    const d = "M" + a.px + "," + a.py + " Q" + cx + "," + cy + " " + ex + "," + ey;
    edge.hit.setAttribute("d", d);
    edge.line.setAttribute("d", d);
  }
  function placeNode(node) {
    node.el.setAttribute("transform", "translate(" + node.px + "," + node.py + ")");
    node.edges.forEach(drawEdge);
  }
  data.nodes.forEach(placeNode);

  // --- legend ---------------------------------------------------------------------------
  const legend = document.getElementById("legend");
  for (const item of data.legend) {
    const row = document.createElement("div");
    const swatch = document.createElement("span");
    swatch.className = "swatch";
    swatch.style.background = item.colour;
    const name = document.createElement("span");
    name.textContent = item.group + " (" + item.count + ")";
    row.append(swatch, name);
    legend.appendChild(row);
  }
  const note = document.createElement("div");
  note.className = "note";
  note.textContent = "arrows point from subject to object";
  legend.appendChild(note);

  // --- zoom and pan ---------------------------------------------------------------------
  const view = { k: 1, x: 0, y: 0 };
  function applyView() {
    scene.setAttribute("transform", "translate(" + view.x + "," + view.y + ") scale(" + view.k + ")");
  }
  function fit() {
    const box = svg.getBoundingClientRect();
    // the concept (at 0, 0) in the middle, everything else in view around it
    const halfX = Math.max(...data.nodes.map((n) => Math.abs(n.px))) + 80;
    const halfY = Math.max(...data.nodes.map((n) => Math.abs(n.py))) + 40;
    view.k = Math.min(2, box.width / (2 * halfX), box.height / (2 * halfY));
    view.x = box.width / 2;
    view.y = box.height / 2;
    applyView();
  }
  svg.addEventListener("wheel", (ev) => {
    ev.preventDefault();
    const box = svg.getBoundingClientRect();
    const mx = ev.clientX - box.left, my = ev.clientY - box.top;
    const factor = Math.exp(-ev.deltaY * 0.0015);
    const k = Math.min(8, Math.max(0.1, view.k * factor));
    // keep the point under the cursor where it is
    view.x = mx - (mx - view.x) * (k / view.k);
    view.y = my - (my - view.y) * (k / view.k);
    view.k = k;
    applyView();
  }, { passive: false });

  let drag = null; // {node?, startX, startY, originX, originY}
  svg.addEventListener("pointerdown", (ev) => {
    if (drag) return;
    drag = { node: null, startX: ev.clientX, startY: ev.clientY, originX: view.x, originY: view.y };
    svg.classList.add("panning");
    svg.setPointerCapture(ev.pointerId);
  });
  function startDrag(node, ev) {
    ev.stopPropagation();
    drag = { node, startX: ev.clientX, startY: ev.clientY, originX: node.px, originY: node.py };
    svg.setPointerCapture(ev.pointerId);
    hideTooltip();
  }
  svg.addEventListener("pointermove", (ev) => {
    if (!drag) return;
    const dx = ev.clientX - drag.startX, dy = ev.clientY - drag.startY;
    if (drag.node) {
      drag.node.px = drag.originX + dx / view.k;
      drag.node.py = drag.originY + dy / view.k;
      placeNode(drag.node);
    } else {
      view.x = drag.originX + dx;
      view.y = drag.originY + dy;
      applyView();
    }
  });
  function endDrag(ev) {
    if (!drag) return;
    drag = null;
    svg.classList.remove("panning");
    if (svg.hasPointerCapture(ev.pointerId)) svg.releasePointerCapture(ev.pointerId);
  }
  svg.addEventListener("pointerup", endDrag);
  svg.addEventListener("pointercancel", endDrag);
  document.getElementById("fit").addEventListener("click", fit);
  // served pages: a double-clicked node opens its own view. The svg holds the pointer capture
  // while a node is pressed, so the event arrives here, not at the node.
  svg.addEventListener("dblclick", (ev) => {
    const hit = document.elementFromPoint(ev.clientX, ev.clientY);
    const g = hit && hit.closest("g.node");
    if (!data.links || !g) return;
    const id = g.getAttribute("data-id");
    const slug = id.slice(id.lastIndexOf("/") + 1);
    window.location.href = "/view/" + encodeURIComponent(slug) + "?depth=" + data.depth;
  });

  // --- hover ----------------------------------------------------------------------------
  function add(parent, tag, text, className) {
    const el = document.createElement(tag);
    if (text !== undefined) el.textContent = text;
    if (className) el.className = className;
    parent.appendChild(el);
    return el;
  }
  function showEdge(edge, ev) {
    if (drag) return;
    tooltip.replaceChildren();
    add(tooltip, "h2", edge.from.label + " " + edge.phrase + " " + edge.to.label);
    if (!edge.evidence.length) add(tooltip, "p", "no sentence recorded", "meta");
    for (const ref of edge.evidence) {
      const block = add(tooltip, "div", undefined, "evidence");
      add(block, "q", ref.sentence);
      const hedges = ref.hedges.length ? " [" + ref.hedges.join(", ") + "]" : "";
      add(block, "div", "— " + ref.title + ", " + ref.section + hedges, "where");
    }
    edge.el.classList.add("active");
    showTooltip(ev);
  }
  function showNode(node, ev) {
    if (drag) return;
    tooltip.replaceChildren();
    add(tooltip, "h2", node.label);
    add(tooltip, "div", "types: " + (node.types.join(", ") || "-"), "meta");
    if (node.synonyms.length) add(tooltip, "div", "also: " + node.synonyms.join(", "), "meta");
    for (const code of node.codes) add(tooltip, "div", code, "code");
    // fade what is not next to the node, to show its relations at a glance
    const near = new Set([node.id]);
    node.edges.forEach((e) => { near.add(e.source); near.add(e.target); });
    data.nodes.forEach((n) => n.el.classList.toggle("faded", !near.has(n.id)));
    data.edges.forEach((e) => e.el.classList.toggle("faded", e.source !== node.id && e.target !== node.id));
    showTooltip(ev);
  }
  function showTooltip(ev) {
    tooltip.hidden = false;
    moveTooltip(ev);
  }
  function moveTooltip(ev) {
    const x = Math.min(ev.clientX + 14, window.innerWidth - tooltip.offsetWidth - 8);
    const y = Math.min(ev.clientY + 14, window.innerHeight - tooltip.offsetHeight - 8);
    tooltip.style.left = Math.max(0, x) + "px";
    tooltip.style.top = Math.max(0, y) + "px";
  }
  function hideTooltip() {
    tooltip.hidden = true;
    document.querySelectorAll(".faded, .active").forEach((el) => el.classList.remove("faded", "active"));
  }

  fit();
  window.addEventListener("resize", fit);
  document.body.dataset.ready = "true"; // tests wait for this
})();
