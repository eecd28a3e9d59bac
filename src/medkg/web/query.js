// The query page: named queries as examples, results as a table whose IRIs open their cards.
// Shipped with medkg and served by `medkg serve`; it loads nothing from elsewhere.
"use strict";

const BASE = "https://w3id.org/medkg/";
const editor = document.getElementById("query");
const examples = document.getElementById("examples");
const description = document.getElementById("example-description");
const statusLine = document.getElementById("status");
const table = document.getElementById("results");

// Our IRIs are served here: https://w3id.org/medkg/concept/x -> /concept/x; other http(s)
// IRIs link out; any other scheme (javascript:, data:, file:) is shown, never linked.
function localLink(iri) {
  if (iri.startsWith(BASE)) return "/" + iri.slice(BASE.length);
  return /^https?:\/\//i.test(iri) ? iri : null;
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  const href = term.type === "uri" ? localLink(term.value) : null;
  if (href !== null) {
    const a = document.createElement("a");
    a.href = href;
    a.textContent = term.value;
    td.appendChild(a);
  } else {
    td.textContent = term.value;  // textContent: labels are never read as HTML
  }
  return td;
}

function show(data, truncated) {
  const head = table.tHead;
  const body = table.tBodies[0];
  head.replaceChildren();
  body.replaceChildren();
  if ("boolean" in data) {
    statusLine.textContent = "answer: " + data.boolean;
    return;
  }
  const names = data.head.vars;
  const row = head.insertRow();
  for (const name of names) {
    const th = document.createElement("th");
    th.textContent = name;
    row.appendChild(th);
  }
  for (const binding of data.results.bindings) {
    const tr = body.insertRow();
    for (const name of names) tr.appendChild(cell(binding[name]));
  }
  const count = data.results.bindings.length;
  statusLine.textContent = count + " row(s)" + (truncated ? " — " + truncated : "");
}

async function run() {
  statusLine.textContent = "running…";
  const response = await fetch("/sparql", {
    method: "POST",
    headers: {
      "Content-Type": "application/sparql-query",
      "Accept": "application/sparql-results+json",
    },
    body: editor.value,
  });
  const text = await response.text();
  if (!response.ok) {
    table.tHead.replaceChildren();
    table.tBodies[0].replaceChildren();
    statusLine.textContent = text.trim();
    return;
  }
  show(JSON.parse(text), response.headers.get("Medkg-Truncated"));
}

async function loadExamples() {
  const response = await fetch("/queries", { headers: { "Accept": "application/json" } });
  const queries = await response.json();
  for (const query of queries) {
    const option = document.createElement("option");
    option.value = query.name;
    option.textContent = query.title;
    option.dataset.text = query.example;
    option.dataset.description = query.description;
    examples.appendChild(option);
  }
}

examples.addEventListener("change", () => {
  const option = examples.selectedOptions[0];
  if (!option.value) return;
  editor.value = option.dataset.text;
  description.textContent = option.dataset.description;
});
document.getElementById("run").addEventListener("click", run);
editor.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) run();
});
loadExamples();
