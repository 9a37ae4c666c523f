// The kgreason page: ask the server, show the answer, draw its proof (premises -> rule ->
// conclusion) with Cytoscape (vendored, no CDN), list the evidence, download the proof graph.
"use strict";

const $ = (id) => document.getElementById(id);
let last = null; // {body, graph}: the last question asked and its proof graph (node-link JSON)
window.proofGraph = null; // the Cytoscape instance (the browser test reads it)

function headers() {
  const h = { "Content-Type": "application/json" };
  const token = $("token").value || sessionStorage.getItem("kgreason-token");
  if (token) h["Authorization"] = "Bearer " + token;
  return h;
}

async function post(path, body) {
  const response = await fetch(path, { method: "POST", headers: headers(), body: JSON.stringify(body) });
  if (!response.ok) {
    let error = { error: response.status + " " + response.statusText };
    try { error = await response.json(); } catch (e) { /* not JSON */ }
    throw error;
  }
  return response;
}

function item(text, cls) {
  const li = document.createElement("li");
  li.textContent = text;
  if (cls) li.className = cls;
  return li;
}

function showAnswer(data) {
  const answer = $("answer");
  const open = data.answer === null;
  answer.className = open ? "list" : data.answer;
  answer.textContent = open ? (data.kind === "how_many" ? String(data.count) : data.count + " answer" + (data.count === 1 ? "" : "s")) : data.answer;
  $("statement").textContent = data.statement || "";
  $("reason").textContent = data.reason || "";
  const answers = $("answers");
  answers.replaceChildren();
  for (const a of data.answers || []) {
    const li = item(a.label);
    const why = document.createElement("span");
    why.className = "why";
    why.textContent = a.reason;
    li.appendChild(why);
    answers.appendChild(li);
  }
  const proof = $("proof");
  proof.replaceChildren();
  const lines = open ? [...new Set((data.answers || []).flatMap((a) => a.proof))] : data.proof || [];
  for (const line of lines) proof.appendChild(item(line));
  const evidence = $("evidence");
  evidence.replaceChildren();
  for (const e of data.evidence || []) {
    const li = document.createElement("li");
    const score = document.createElement("span");
    score.className = "score";
    score.textContent = Number(e.score).toFixed(2);
    li.append(score, e.text);
    if (e.inferred) li.appendChild(Object.assign(document.createElement("span"), { className: "inferred", textContent: " (inferred)" }));
    evidence.appendChild(li);
  }
  if (!(data.evidence || []).length) evidence.appendChild(item("no evidence retrieved", "inferred"));
  const total = (data.timings_ms || {}).total;
  $("timing").textContent = total === undefined ? "" : "answered in " + total.toFixed(1) + " ms (" + data.decided_by + ")";
}

function drawGraph(graph) {
  const elements = [];
  for (const n of graph.nodes) {
    elements.push({ data: { id: n.id, label: n.label, kind: n.kind, given: !!n.given, conclusion: !!n.conclusion,
                            title: n.kind === "rule" ? n.rule_text : n.triple } });
  }
  for (const e of graph.edges) elements.push({ data: { id: e.source + "->" + e.target, source: e.source, target: e.target } });
  const container = $("graph");
  if (window.proofGraph) window.proofGraph.destroy();
  const roots = graph.nodes.filter((n) => !graph.edges.some((e) => e.target === n.id)).map((n) => n.id);
  window.proofGraph = cytoscape({
    container,
    elements,
    style: [
      { selector: "node", style: { label: "data(label)", "text-wrap": "wrap", "text-max-width": 150, "font-size": 11,
                                   "text-valign": "center", "text-halign": "center", shape: "round-rectangle",
                                   width: 160, height: 46, "background-color": "#e3eaf5", "border-width": 1, "border-color": "#23395d" } },
      { selector: "node[?given]", style: { "background-color": "#eef7ee", "border-color": "#2e7d32" } },
      { selector: "node[?conclusion]", style: { "border-width": 3, "font-weight": "bold" } },
      { selector: "node[kind = 'rule']", style: { shape: "diamond", width: 90, height: 40, "background-color": "#fff4d6",
                                                  "border-color": "#a67c00", "font-size": 9, "font-style": "italic" } },
      { selector: "edge", style: { width: 1.5, "curve-style": "bezier", "target-arrow-shape": "triangle",
                                   "line-color": "#888", "target-arrow-color": "#888" } },
    ],
    layout: { name: "breadthfirst", directed: true, roots, spacingFactor: 1.1, padding: 10 },
  });
  container.dataset.nodes = String(graph.nodes.length);
  container.dataset.edges = String(graph.edges.length);
}

async function ask(event) {
  event.preventDefault();
  const question = $("question").value.trim();
  if (!question) return;
  const body = { question };
  if ($("pipeline").value) body.pipeline = $("pipeline").value;
  if ($("token").value) sessionStorage.setItem("kgreason-token", $("token").value);
  $("status").className = "";
  $("status").textContent = "asking…";
  $("ask").disabled = true;
  try {
    const data = await (await post("/ask", body)).json();
    showAnswer(data);
    $("result").hidden = false;
    const graph = await (await post("/proof-graph", { ...body, format: "json" })).json();
    drawGraph(graph);
    last = { body, graph };
    $("status").textContent = "";
  } catch (error) {
    $("status").className = "error";
    $("status").textContent = "error: " + (error.error || error) + (error.hint ? " — " + error.hint : "");
  } finally {
    $("ask").disabled = false;
  }
}

function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = Object.assign(document.createElement("a"), { href: url, download: name });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

async function download(format) {
  if (!last) return;
  if (format === "json") {
    save(new Blob([JSON.stringify(last.graph, null, 2) + "\n"], { type: "application/json" }), "proof.json");
    return;
  }
  try {
    save(await (await post("/proof-graph", { ...last.body, format: "graphml" })).blob(), "proof.graphml");
  } catch (error) {
    $("status").className = "error";
    $("status").textContent = "error: " + (error.error || error);
  }
}

async function start() {
  $("ask-form").addEventListener("submit", ask);
  $("download-graphml").addEventListener("click", () => download("graphml"));
  $("download-json").addEventListener("click", () => download("json"));
  $("token").value = sessionStorage.getItem("kgreason-token") || "";
  try {
    // without the token /health says only "ok" and the version: then the page asks for the token
    const health = await (await fetch("/health", { headers: headers() })).json();
    const pipelines = health.pipelines || [];
    $("token").hidden = Boolean(health.pipelines) && !health.auth;
    const select = $("pipeline");
    for (const name of pipelines) select.appendChild(Object.assign(document.createElement("option"), { value: name, textContent: name }));
    select.hidden = pipelines.length < 2;
  } catch (error) {
    $("status").className = "error";
    $("status").textContent = "the server does not answer";
  }
  document.body.dataset.ready = "true";
}

start();
