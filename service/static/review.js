// The review page: reads a proposal with the curator's write token and sends
// their decisions. The token travels only in an Authorization header, which a
// browser never adds by itself and a page elsewhere cannot make it send (the
// service grants no cross-origin writes), so a cross-site request cannot act for
// the curator. It is kept in this tab's sessionStorage, nowhere else.
"use strict";

(function () {
  const KEY = "carefacts-write-token";
  const form = document.getElementById("review-token");
  const proposalId = form.dataset.proposal;
  const status = document.getElementById("review-status");
  const tokenInput = document.getElementById("token");
  let token = sessionStorage.getItem(KEY) || "";

  function say(text) {
    status.textContent = text;
  }

  function element(name, attributes, ...children) {
    const node = document.createElement(name);
    for (const [key, value] of Object.entries(attributes || {})) {
      if (value === false || value === null || value === undefined) continue;
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child !== null && child !== undefined) node.append(child);
    }
    return node;
  }

  async function call(method, path, body) {
    const headers = { Authorization: "Bearer " + token, Accept: "application/json" };
    const init = { method, headers, credentials: "omit", cache: "no-store" };
    if (body !== undefined) {
      headers["Content-Type"] = "application/json";
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    let data = {};
    try {
      data = await response.json();
    } catch (error) {
      data = {};
    }
    return { ok: response.ok, status: response.status, data };
  }

  function problem(answer) {
    const data = answer.data || {};
    const errors = data.errors || [];
    const detail = data.detail || "the request failed (" + answer.status + ")";
    if (errors.length < 2) return detail;
    return errors.map((e) => (e.field ? e.field + ": " : "") + e.message).join("; ");
  }

  async function load() {
    say("Reading the proposal…");
    const answer = await call("GET", "/proposals/" + proposalId);
    if (!answer.ok) {
      say("Not opened: " + problem(answer));
      return;
    }
    sessionStorage.setItem(KEY, token);
    render(answer.data);
    say("Proposal opened: " + answer.data.candidates.length + " candidates.");
  }

  function render(proposal) {
    const source = proposal.source || {};
    document.getElementById("article-source").textContent =
      [source.publisher, source.title, source.published].filter(Boolean).join(" · ");
    renderArticle(proposal.text || "", proposal.candidates);
    const list = document.getElementById("candidates");
    list.replaceChildren(...proposal.candidates.map((c) => candidateItem(proposal, c)));
    document.getElementById("review").hidden = false;
  }

  function renderArticle(text, candidates) {
    const spans = candidates
      .map((c) => ({ n: c.n, start: c.evidence.start, end: c.evidence.end }))
      .filter((s) => s.start < s.end && s.end <= text.length);
    const cuts = new Set([0, text.length]);
    for (const s of spans) {
      cuts.add(s.start);
      cuts.add(s.end);
    }
    const points = [...cuts].sort((a, b) => a - b);
    const article = document.getElementById("article");
    const parts = [];
    const marked = new Set();
    for (let i = 0; i + 1 < points.length; i++) {
      const [from, to] = [points[i], points[i + 1]];
      const piece = text.slice(from, to);
      const covering = spans.filter((s) => s.start <= from && to <= s.end);
      if (covering.length === 0) {
        parts.push(piece);
        continue;
      }
      // Each candidate's link lands where its span starts, shared or not.
      const starting = covering.map((s) => s.n).filter((n) => !marked.has(n));
      const [first, ...others] = starting;
      for (const n of others) parts.push(element("span", { id: "evidence-" + n }));
      starting.forEach((n) => marked.add(n));
      parts.push(
        element("mark", { id: first !== undefined ? "evidence-" + first : null, text: piece }),
      );
      const ends = covering.filter((s) => s.end === to).map((s) => s.n);
      if (ends.length) parts.push(element("sup", { text: "[" + ends.join(", ") + "]" }));
    }
    article.replaceChildren(...parts);
  }

  function candidateItem(proposal, c) {
    const id = "candidate-" + c.n;
    const item = element("li", { class: "card candidate", id, "aria-labelledby": id + "-title" });
    item.append(
      element("h3", { id: id + "-title", text: "Candidate " + c.n + ": " + c.kind.replaceAll("_", " ") }),
      element("p", {
        text:
          "Status: " + c.status +
          (c.confidence !== null ? " · confidence " + c.confidence : "") +
          (c.decision ? " · by " + c.decision.by : "") +
          (c.decision && c.decision.reason ? " · reason: " + c.decision.reason : ""),
      }),
      element("blockquote", { text: c.evidence.text }),
      element("a", { href: "#evidence-" + c.n, text: "Find it in the article [" + c.n + "]" }),
    );
    if (c.decision && c.decision.fact_id) {
      item.append(" · ", element("a", { href: "/facts/" + c.decision.fact_id, text: "the recorded fact" }));
    }
    const result = element("p", { id: id + "-result", role: "status", "aria-live": "polite" });
    if (c.status === "proposed") {
      item.append(acceptForm(proposal, c, result), rejectForm(c, result));
    }
    item.append(result);
    return item;
  }

  function field(label, input, id) {
    input.id = id;
    return [element("label", { for: id, text: label }), input];
  }

  function acceptForm(proposal, c, result) {
    const id = "candidate-" + c.n;
    const fields = element("textarea", { rows: 6, spellcheck: "false" });
    fields.value = JSON.stringify(c.fields, null, 2);
    const effective = element("input", { type: "text", value: c.effective || "" });
    const approximate = element("input", { type: "checkbox", checked: c.approximate });
    const authority = element("input", { type: "text", value: proposal.authority || "" });
    const accept = element(
      "form",
      { class: "accept", "aria-label": "Accept candidate " + c.n },
      ...field("Fields (JSON)", fields, id + "-fields"),
      ...field("Refers to (YYYY, YYYY-MM or YYYY-MM-DD)", effective, id + "-effective"),
      element(
        "label",
        { class: "check", for: id + "-approximate" },
        approximate,
        "The date is approximate",
      ),
      ...field("Authority (GSS code)", authority, id + "-authority"),
      element("button", { type: "submit", text: "Accept candidate " + c.n }),
    );
    approximate.id = id + "-approximate";
    accept.addEventListener("submit", async (event) => {
      event.preventDefault();
      let edited;
      try {
        edited = JSON.parse(fields.value);
      } catch (error) {
        result.textContent = "Not accepted: the fields are not valid JSON (" + error.message + ")";
        return;
      }
      const body = { fields: edited, effective: effective.value, approximate: approximate.checked };
      if (authority.value) body.authority = authority.value;
      const answer = await call("POST", "/proposals/" + proposalId + "/candidates/" + c.n + "/accept", body);
      const text = answer.ok
        ? "Candidate " + c.n + " accepted: recorded as fact " + answer.data.fact_id + "."
        : "Not accepted: " + problem(answer);
      result.textContent = text;
      if (answer.ok) {
        say(text);
        refresh();
      }
    });
    return accept;
  }

  function rejectForm(c, result) {
    const id = "candidate-" + c.n;
    const reason = element("input", { type: "text", required: true, maxlength: 500 });
    const reject = element(
      "form",
      { class: "reject", "aria-label": "Reject candidate " + c.n },
      ...field("Reason for rejecting", reason, id + "-reason"),
      element("button", { type: "submit", text: "Reject candidate " + c.n }),
    );
    reject.addEventListener("submit", async (event) => {
      event.preventDefault();
      const answer = await call("POST", "/proposals/" + proposalId + "/candidates/" + c.n + "/reject", { reason: reason.value });
      const text = answer.ok ? "Candidate " + c.n + " rejected." : "Not rejected: " + problem(answer);
      result.textContent = text;
      if (answer.ok) {
        say(text);
        refresh();
      }
    });
    return reject;
  }

  async function refresh() {
    const answer = await call("GET", "/proposals/" + proposalId);
    if (answer.ok) render(answer.data);
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    token = tokenInput.value.trim();
    load();
  });
  if (token) load();
})();
