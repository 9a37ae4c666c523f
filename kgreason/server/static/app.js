// The kgreason page: ask the server, show the answer, draw its proof (premises -> rule ->
// conclusion) with Cytoscape (vendored, no CDN), list the evidence, download the proof graph.
"use strict";

const $ = (id) => document.getElementById(id);
let last = null; // {body, graph, answer}: the last question, its proof graph (node-link JSON), the answer shown
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

//: Proofs with this many statements or more fold into levels (deeper levels start closed).
const FOLD_AT = 10;

function answerHeadline(data) {
  if (data.answer !== null) return data.answer;
  if (data.kind === "how_many" && data.counted) {  // "How many legs …": the number the graph states
    return data.count === null ? "no count proved" : String(data.count);
  }
  if (!data.count) return "no answer proved"; // open world: none proved, not "none exist"
  return data.kind === "how_many" ? String(data.count) : data.count + " answer" + (data.count === 1 ? "" : "s");
}

function showAnswer(data) {
  const answer = $("answer");
  const open = data.answer === null;
  answer.className = open ? (data.count ? "list" : "none") : data.answer;  // a null count: "none"
  answer.textContent = answerHeadline(data);
  $("statement").textContent = data.statement || "";
  $("reason").textContent = data.reason || "";
  const answers = $("answers");
  answers.replaceChildren();
  for (const a of data.answers || []) {
    const li = document.createElement("li");
    const pick = Object.assign(document.createElement("button"), { type: "button", className: "pick", textContent: a.label });
    pick.dataset.term = a.term;
    pick.title = "show the proof of " + a.label;
    pick.setAttribute("aria-pressed", "false");
    pick.addEventListener("click", () => chooseAnswer(a.term));
    const why = Object.assign(document.createElement("span"), { className: "why", textContent: a.reason });
    li.append(pick, why);
    answers.appendChild(li);
  }
  showFirstOrder(data);
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

// The proof as a tree read off its graph: each statement with the rule that gave it, its
// premises one level deeper; 10 statements or more fold into levels (<details>), the first open.
function showProof(graph) {
  const proof = $("proof");
  proof.replaceChildren();
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const into = new Map(); // node -> its sources
  for (const e of graph.edges) {
    if (!into.has(e.target)) into.set(e.target, []);
    into.get(e.target).push(e.source);
  }
  const statements = graph.nodes.filter((n) => n.kind === "statement");
  const fold = statements.length >= FOLD_AT;
  proof.dataset.folded = String(fold);
  proof.dataset.statements = String(statements.length);

  function node(id, level, path) {
    const n = byId.get(id);
    const rule = (into.get(id) || []).map((r) => byId.get(r)).find((r) => r && r.kind === "rule");
    const premises = rule && !path.has(id) ? (into.get(rule.id) || []) : [];
    const li = document.createElement("li");
    const text = Object.assign(document.createElement("span"), { className: "sentence", textContent: n.label });
    const why = Object.assign(document.createElement("span"), { className: "rule", textContent: rule ? rule.label : "given" });
    if (rule) why.title = rule.gloss || rule.rule_text || "";
    const line = [text, why];
    if (!premises.length) { li.append(...line); return li; }
    const list = document.createElement("ul");
    const inner = new Set(path).add(id);
    for (const p of premises) list.appendChild(node(p, level + 1, inner));
    if (fold) {
      const details = document.createElement("details");
      details.open = level === 0;
      const summary = document.createElement("summary");
      summary.append(...line);
      details.append(summary, list);
      li.appendChild(details);
    } else {
      li.append(...line, list);
    }
    return li;
  }

  for (const root of graph.nodes.filter((n) => n.conclusion)) proof.appendChild(node(root.id, 0, new Set()));
}

function drawGraph(graph) {
  const elements = [];
  for (const n of graph.nodes) {
    elements.push({ data: { id: n.id, label: n.label, kind: n.kind, given: !!n.given, conclusion: !!n.conclusion,
                            title: n.kind === "rule" ? n.gloss || n.rule_text : n.triple } });
  }
  for (const e of graph.edges) elements.push({ data: { id: e.source + "->" + e.target, source: e.source, target: e.target } });
  const container = $("graph");
  if (window.proofGraph) window.proofGraph.destroy();
  window.proofGraph = null;
  const roots = graph.nodes.filter((n) => !graph.edges.some((e) => e.target === n.id)).map((n) => n.id);
  // as tall as the proof is deep, so that a long proof keeps readable text
  const depth = longestPath(graph);
  container.style.height = Math.max(420, 70 * (depth + 1)) + "px";
  window.proofGraph = cytoscape({
    container,
    elements,
    minZoom: 0.4,
    style: [
      { selector: "node", style: { label: "data(label)", "text-wrap": "wrap", "text-max-width": 150, "font-size": 11,
                                   "text-valign": "center", "text-halign": "center", shape: "round-rectangle",
                                   width: 160, height: 46, "background-color": "#e3eaf5", "border-width": 1, "border-color": "#23395d" } },
      { selector: "node[?given]", style: { "background-color": "#eef7ee", "border-color": "#2e7d32" } },
      { selector: "node[?conclusion]", style: { "border-width": 3, "font-weight": "bold" } },
      { selector: "node[kind = 'rule']", style: { shape: "round-rectangle", width: 130, height: 34, "text-max-width": 124,
                                                  "background-color": "#fff4d6", "border-color": "#a67c00",
                                                  "font-size": 10, "font-style": "italic" } },
      { selector: "edge", style: { width: 1.5, "curve-style": "bezier", "target-arrow-shape": "triangle",
                                   "line-color": "#888", "target-arrow-color": "#888" } },
    ],
    layout: { name: "breadthfirst", directed: true, roots, spacingFactor: 1.1, padding: 10 },
  });
  // as tall as the drawing needs at the page's width (no empty band above and below it)
  const box = window.proofGraph.elements().boundingBox();
  if (box.w > 0) {
    const scale = Math.min(1, (container.clientWidth - 20) / box.w);
    container.style.height = Math.round(Math.min(1400, Math.max(260, box.h * scale + 30))) + "px";
    window.proofGraph.resize();
    window.proofGraph.fit(undefined, 10);
  }
  container.dataset.nodes = String(graph.nodes.length);
  container.dataset.edges = String(graph.edges.length);
}

function longestPath(graph) {
  const out = new Map();
  for (const e of graph.edges) {
    if (!out.has(e.source)) out.set(e.source, []);
    out.get(e.source).push(e.target);
  }
  const memo = new Map();
  const visit = (id) => {
    if (memo.has(id)) return memo.get(id);
    memo.set(id, 0);
    const d = Math.max(0, ...(out.get(id) || []).map((t) => 1 + visit(t)));
    memo.set(id, d);
    return d;
  };
  return Math.max(0, ...graph.nodes.map((n) => visit(n.id)));
}

// A question over a first-order theory (decided by the z3 prover): the numbered proof steps, each
// naming the premises it uses, or the countermodel of an unknown, and the premises not read.
function showFirstOrder(data) {
  const fo = data.first_order;
  $("first-order").hidden = !fo;
  const fill = (id, lines, titleId) => {
    $(id).replaceChildren(...lines.map((line) => item(line)));
    $(titleId).hidden = lines.length === 0;
    $(id).hidden = lines.length === 0;
  };
  if (!fo) return;
  // the steps come numbered ("1. ... (from premises 1, 2)"): the list shows the numbers itself
  fill("fo-proof", (fo.proof || []).map((line) => line.replace(/^\d+\.\s*/, "")), "fo-title");
  $("fo-title").textContent = "Proof (z3" + (fo.rechecked ? ", re-checked on the premises used alone" : "") + ")";
  fill("countermodel", fo.countermodel || [], "world-title");
  fill("fo-unread", (data.not_understood || []).map((u) => u.sentence + " — " + u.reason), "fo-unread-title");
}

// Show a proof graph (the answer's, or one answer's of an open question), or hide the proof box
// when there is none (an unknown, no answer proved): never an empty box.
function showGraph(graph) {
  const has = graph.nodes.length > 0;
  $("proof-box").hidden = !has;
  if (window.proofGraph) window.proofGraph.destroy();
  window.proofGraph = null;
  $("graph").dataset.nodes = "0";
  if (!has) return;
  showProof(graph);
  drawGraph(graph);
}

async function chooseAnswer(term) {
  if (!last) return;
  for (const b of document.querySelectorAll("#answers .pick")) b.setAttribute("aria-pressed", String(b.dataset.term === term));
  const chosen = [...document.querySelectorAll("#answers .pick")].find((b) => b.dataset.term === term);
  $("proof-title").textContent = chosen ? "Proof: " + chosen.textContent : "Proof";
  try {
    const graph = await (await post("/proof-graph", { ...last.body, answer: term, format: "json" })).json();
    last = { ...last, answer: term, graph };
    showGraph(graph);
  } catch (error) {
    $("status").className = "error";
    $("status").textContent = "error: " + (error.error || error);
  }
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
    last = { body, graph: { nodes: [], edges: [] }, answer: null };
    $("proof-title").textContent = "Proof";
    const open = data.answer === null;
    if (open && (data.answers || []).length) {
      await chooseAnswer(data.answers[0].term); // one drawing per answer: the first to start
    } else if (open || data.proof_tree === null) {
      showGraph(last.graph); // nothing proved: no proof box
    } else {
      const graph = await (await post("/proof-graph", { ...body, format: "json" })).json();
      last.graph = graph;
      showGraph(graph);
    }
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
    const body = { ...last.body, format: "graphml" };
    if (last.answer) body.answer = last.answer;
    save(await (await post("/proof-graph", body)).blob(), "proof.graphml");
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
