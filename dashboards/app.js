/* claimtrack dashboard: reads the JSON in #dashboard-data, draws one uPlot chart per metric and
   unit (those with fewer than MIN_POINTS points folded into one list), the conflicts, revisions
   and last-run sections, and a searchable, sortable, paginated claims table; the filters (source,
   subject, date range) apply to charts, list and table. Article text is only ever inserted with
   textContent, never as HTML. */
(function () {
  "use strict";
  const D = JSON.parse(document.getElementById("dashboard-data").textContent);
  const C = D.claims, N = C.n, COLS = C.columns, DAY_MS = 86400000, PAGE = 50;
  const BOUND = { "=": "", "~": "~", ">": "> ", ">=": "≥ ", "<": "< ", "<=": "≤ " };
  const PALETTE = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
    "#e377c2", "#17becf", "#bcbd22", "#393b79", "#637939", "#7b4173"];
  const MAX_SERIES = 24;
  const MIN_POINTS = 3;  // a metric and unit with fewer points goes to the list, not a chart
  const COMPACT = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 2 });

  // ---- data access -------------------------------------------------------------------
  function get(name, i) {
    const c = COLS[name];
    if (c.dict) { const k = c.codes[i]; return k == null ? null : c.dict[k]; }
    return c.values[i];
  }
  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text != null) e.textContent = String(text);
    return e;
  }
  function fmtNum(v) {
    return v == null ? "" : Number(v).toLocaleString("en-US", { maximumFractionDigits: 2 });
  }
  function fmtDay(d) { return d == null ? "" : new Date(d * DAY_MS).toISOString().slice(0, 10); }
  function fmtFigure(i) {
    const v = get("value", i), lo = get("low", i), hi = get("high", i), b = get("bound", i);
    const unit = get("unit", i) ? " " + get("unit", i) : "";
    if (v == null && lo != null) {
      return (b === "range" ? "" : "~") + fmtNum(lo) + "–" + (hi == null ? "?" : fmtNum(hi)) + unit;
    }
    if (b === "range") return fmtNum(lo) + "–" + fmtNum(hi) + unit;
    return (BOUND[b] || "") + fmtNum(v) + unit;
  }
  function safeLink(url, text) {
    if (url && /^https?:\/\//i.test(url)) {
      return el("a", { href: url, target: "_blank", rel: "noopener noreferrer" }, text || url);
    }
    return el("span", { class: "muted" }, url || "");
  }

  // ---- colours: one per source, the same in every chart ---------------------------------
  const colourOf = (function () {
    const counts = new Map();
    for (let i = 0; i < N; i++) { const r = get("reporter", i); counts.set(r, (counts.get(r) || 0) + 1); }
    const order = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a) || String(a).localeCompare(String(b)));
    const map = new Map();
    order.forEach((r, k) => map.set(r, k < PALETTE.length ? PALETTE[k] : "hsl(" + Math.round((k * 137.508) % 360) + ",55%,45%)"));
    return (r) => map.get(r) || "#888";
  })();

  // ---- claim details (tooltip and pinned panel) ---------------------------------------
  function claimDetails(i, withLink) {
    const box = el("div");
    box.append(el("div", { class: "fig" }, fmtFigure(i)));
    const subject = get("subject", i) ? " · " + get("subject", i) : "";
    box.append(el("div", null, (get("metric", i) || "") + subject + " · " + (get("kind", i) || "")));
    const ps = get("period_start", i);
    box.append(el("div", null, "refers to " + (ps != null && ps !== get("as_of", i) ? fmtDay(ps) + " – " : "") +
      fmtDay(get("as_of", i)) + " · published " + (fmtDay(get("published", i)) || "unknown")));
    const src = el("div");
    src.append(el("span", { class: "swatch", style: "background:" + colourOf(get("reporter", i)) }));
    src.append(document.createTextNode(get("reporter", i) + (get("origin", i) ? " (citing " + get("origin", i) + ")" : "")));
    box.append(src);
    box.append(el("div", { class: "muted" }, "“" + (get("sentence", i) || "") + "”"));
    const link = el("div");
    link.append(withLink ? safeLink(get("url", i), get("title", i) || get("url", i))
      : el("span", { class: "muted" }, get("title", i) || get("url", i) || ""));
    box.append(link);
    return box;
  }

  // ---- filters: source, subject, date range (as_of) ----------------------------------------
  const F = { reporter: -1, subject: -1, from: null, to: null };
  function passes(i) {
    if (F.reporter >= 0 && COLS.reporter.codes[i] !== F.reporter) return false;
    if (F.subject >= 0 && COLS.subject.codes[i] !== F.subject) return false;
    const d = get("as_of", i);
    return (F.from == null || (d != null && d >= F.from)) && (F.to == null || (d != null && d <= F.to));
  }
  function fillSelect(id, name) {
    const select = document.getElementById(id), c = COLS[name], counts = new Map();
    for (let i = 0; i < N; i++) { const k = c.codes[i]; if (k != null) counts.set(k, (counts.get(k) || 0) + 1); }
    [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a) || c.dict[a].localeCompare(c.dict[b]))
      .forEach((k) => select.append(el("option", { value: String(k) }, c.dict[k] + " (" + counts.get(k) + ")")));
    return select;
  }
  function dayOf(value) { return value ? Math.round(Date.parse(value + "T00:00:00Z") / DAY_MS) : null; }
  function setupFilters() {
    const source = fillSelect("filter-source", "reporter"), subject = fillSelect("filter-subject", "subject");
    const from = document.getElementById("filter-from"), to = document.getElementById("filter-to");
    const days = (COLS.as_of.values || []).filter((d) => d != null);
    if (days.length) {
      from.min = to.min = fmtDay(Math.min(...days));
      from.max = to.max = fmtDay(Math.max(...days));
    }
    const apply = () => {
      F.reporter = source.value === "" ? -1 : Number(source.value);
      F.subject = subject.value === "" ? -1 : Number(subject.value);
      F.from = dayOf(from.value); F.to = dayOf(to.value);
      renderCharts(); applyFilter();
    };
    [source, subject, from, to].forEach((e) => e.addEventListener("change", apply));
    document.getElementById("filter-reset").addEventListener("click", () => {
      source.value = subject.value = from.value = to.value = ""; apply();
    });
  }

  // ---- charts ---------------------------------------------------------------------------
  // one chart per metric and unit (dollars and euros, percent and barrels never share an axis),
  // ordered by how many points each holds; those with fewer than MIN_POINTS are listed instead
  function chartGroups() {
    const groups = new Map();
    for (const i of C.charted) {
      if (!passes(i)) continue;
      const key = get("metric", i) + "\u0000" + get("unit", i);
      if (!groups.has(key)) groups.set(key, []);
      groups.get(key).push(i);
    }
    return [...groups.values()].sort((a, b) => b.length - a.length ||
      String(get("metric", a[0])).localeCompare(String(get("metric", b[0]))) ||
      String(get("unit", a[0])).localeCompare(String(get("unit", b[0]))));
  }

  function chartData(rows) {
    rows.sort((a, b) => get("as_of", a) - get("as_of", b));
    const counts = new Map();
    for (const i of rows) { const r = get("reporter", i); counts.set(r, (counts.get(r) || 0) + 1); }
    const reporters = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a));
    const shown = reporters.slice(0, MAX_SERIES - 1);
    const other = reporters.length > shown.length ? "other sources (" + (reporters.length - shown.length) + ")" : null;
    const labels = other ? [other].concat(shown) : shown;  // the grey "other" is drawn first, beneath
    const slot = new Map(shown.map((r, k) => [r, k + (other ? 2 : 1)]));
    const xs = new Array(rows.length), ys = labels.map(() => new Array(rows.length).fill(null));
    const seriesOf = new Int16Array(rows.length);
    rows.forEach((i, k) => {
      const s = slot.get(get("reporter", i)) || 1;
      xs[k] = get("as_of", i) * 86400; ys[s - 1][k] = get("value", i); seriesOf[k] = s;
    });
    return { rows, labels, other, data: [xs].concat(ys), seriesOf };
  }

  // whole days on the time axis, and at least a week of room around a lone point
  const DAY_INCRS = [1, 2, 7, 14, 30, 61, 91, 182, 365, 730, 1826, 3652].map((d) => d * 86400);
  function dayRange(u, min, max) {
    const pad = Math.max(3 * 86400, (max - min) * 0.02);
    return [min - pad, max + pad];
  }
  // the value axis spans the points, not zero to the largest: a level of 95-98% stays readable
  function valueRange(u, min, max) {
    if (min == null || max == null) return [0, 1];
    const pad = max > min ? (max - min) * 0.08 : Math.max(Math.abs(max) * 0.1, 1);
    return [min - pad, max + pad];
  }

  function nearest(u, cd, left, top) {
    if (left < 0 || top < 0) return -1;
    const xs = cd.data[0], lo = u.posToVal(left - 8, "x"), hi = u.posToVal(left + 8, "x");
    let a = 0, b = xs.length;
    while (a < b) { const m = (a + b) >> 1; if (xs[m] < lo) a = m + 1; else b = m; }
    let best = -1, bestD = 100;
    for (let k = a; k < xs.length && xs[k] <= hi; k++) {
      const s = cd.seriesOf[k];
      if (!u.series[s].show) continue;
      const dx = u.valToPos(xs[k], "x") - left, dy = u.valToPos(cd.data[s][k], "y") - top;
      const d = dx * dx + dy * dy;
      if (d < bestD) { bestD = d; best = k; }
    }
    return best;
  }

  // values over three orders of magnitude apart (all positive) go on a log axis, else the
  // largest flattens every other point onto the zero line
  function wideRange(rows) {
    let min = Infinity, max = -Infinity;
    for (const i of rows) { const v = get("value", i); if (v < min) min = v; if (v > max) max = v; }
    return min > 0 && max / min >= 1000;
  }

  // a log axis marks powers of ten only (uPlot would also mark 2..9 of each)
  function decades(u, axis, min, max) {
    const out = [];
    for (let e = Math.ceil(Math.log10(min)); e <= Math.floor(Math.log10(max)); e++) out.push(Math.pow(10, e));
    return out;
  }

  function makeChart(rows, list) {
    const metric = get("metric", rows[0]), unit = get("unit", rows[0]) || "";
    const cd = chartData(rows);
    const card = el("div", { class: "chart-card" });
    const kinds = new Map();
    rows.forEach((i) => { const k = get("kind", i) || "kind unknown"; kinds.set(k, (kinds.get(k) || 0) + 1); });
    const kindText = [...kinds].map(([k, n]) => k + " " + n).join(", ");
    const log = wideRange(rows);
    card.append(el("h3", null, metric + " · " + (unit || "no unit") + " · " + fmtNum(rows.length) + " points (" + kindText + ")" +
      (log ? " · log scale" : "")));
    const box = el("div", { class: "chart", "data-metric": metric, "data-unit": unit, "data-scale": log ? "log" : "linear" });
    const pinned = el("div", { class: "pinned muted" }, "Click a point to pin its details here.");
    card.append(box, pinned);
    list.append(card);
    const tip = document.getElementById("tooltip");
    let hover = -1;
    const opts = {
      width: Math.max(320, box.clientWidth || 900), height: 260,
      scales: { x: { time: true, range: dayRange }, y: log ? { distr: 3, log: 10 } : { range: valueRange } },
      series: [{}].concat(cd.labels.map((label) => {
        const colour = label === cd.other ? "#999" : colourOf(label);
        return { label, stroke: colour, paths: () => null, points: { show: true, size: 6, width: 1, stroke: colour, fill: colour } };
      })),
      axes: [{ incrs: DAY_INCRS }, Object.assign({ size: 60, values: (u, vals) => vals.map((v) => (Math.abs(v) >= 1e5 ? COMPACT.format(v) : fmtNum(v))) },
        log ? { splits: decades } : {})],
      cursor: { dataIdx: (u, s, idx) => idx, points: { show: false }, drag: { x: true, y: false } },
      legend: { live: false },
      hooks: {
        setCursor: [(u) => {
          hover = nearest(u, cd, u.cursor.left, u.cursor.top);
          if (hover < 0) { tip.hidden = true; return; }
          tip.replaceChildren(claimDetails(cd.rows[hover], false));
          const r = u.over.getBoundingClientRect();
          const x = r.left + u.valToPos(cd.data[0][hover], "x"), y = r.top + u.valToPos(cd.data[cd.seriesOf[hover]][hover], "y");
          tip.hidden = false;
          tip.style.left = Math.min(x + 12, window.innerWidth - tip.offsetWidth - 8) + "px";
          tip.style.top = (y + 12 + tip.offsetHeight > window.innerHeight ? y - tip.offsetHeight - 12 : y + 12) + "px";
        }],
      },
    };
    const u = new uPlot(opts, cd.data, box);
    u.over.addEventListener("mouseleave", () => { tip.hidden = true; });
    u.over.addEventListener("click", () => {
      if (hover >= 0) { pinned.classList.remove("muted"); pinned.replaceChildren(claimDetails(cd.rows[hover], true)); }
    });
    let points = 0;
    for (let s = 1; s < u.data.length; s++) for (const v of u.data[s]) if (v != null) points++;
    box.setAttribute("data-points", String(points));
    box.setAttribute("data-series", String(u.series.length - 1));
    return u;
  }

  let charts = [];
  function renderCharts() {
    const list = document.getElementById("chart-list");
    charts.forEach((u) => u.destroy());
    list.replaceChildren();
    const groups = chartGroups();
    const big = groups.filter((rows) => rows.length >= MIN_POINTS), small = groups.filter((rows) => rows.length < MIN_POINTS);
    charts = big.map((rows) => makeChart(rows, list));
    list.setAttribute("data-charts", String(charts.length));
    window.claimtrack = { charts };  // for tests and the browser console
    if (!groups.length) list.append(el("p", { class: "muted" }, "No dated claims with a metric here."));
    renderSmall(small);
  }
  let resizeTimer = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resizeTimer);
    resizeTimer = setTimeout(() => charts.forEach((u) => u.setSize({ width: u.root.parentNode.clientWidth, height: 260 })), 150);
  });

  // metrics and units with too few points for a chart: one list, largest groups first
  function renderSmall(groups) {
    const body = document.getElementById("small-body"), rows = [].concat(...groups);
    body.replaceChildren();
    document.getElementById("small-h").textContent = "Metrics with fewer than " + MIN_POINTS + " points (" +
      groups.length + " metric and unit pairs, " + rows.length + " points)";
    if (!rows.length) return;
    const wrap = smallTable(rows, [
      ["metric", (i) => get("metric", i)], ["unit", (i) => get("unit", i)], ["figure", fmtFigure, "num"],
      ["kind", (i) => get("kind", i)], ["as of", (i) => fmtDay(get("as_of", i)), "nowrap"],
      ["source", (i) => get("reporter", i)], ["sentence", (i) => get("sentence", i), "sentence"],
      ["article", (i) => safeLink(get("url", i), get("title", i) || get("url", i))],
    ], "small-table");
    wrap.firstChild.setAttribute("data-groups", String(groups.length));
    body.append(wrap);
  }

  // ---- small tables (run, failures, conflicts, revisions) ------------------------------
  function smallTable(rows, columns, id) {
    const wrap = el("div", { class: "table-wrap scroll" });
    const t = el("table", { class: "grid", id, "data-rows": String(rows.length) });
    wrap.append(t);
    const head = el("tr");
    columns.forEach(([label]) => head.append(el("th", null, label)));
    const thead = el("thead");
    thead.append(head);
    t.append(thead);
    const body = el("tbody");
    rows.forEach((row) => {
      const tr = el("tr");
      columns.forEach(([, render, cls]) => {
        const td = el("td", cls ? { class: cls } : null);
        const v = render(row);
        if (v instanceof Node) td.append(v); else td.textContent = v == null ? "" : String(v);
        tr.append(td);
      });
      body.append(tr);
    });
    t.append(body);
    return wrap;
  }
  const txt = (k) => (r) => r[k];
  const num = (k) => (r) => fmtNum(r[k]);

  function runStats(run, title, id) {
    const stats = el("div", { class: "stats", id });
    const stat = (label, v) => { const s = el("div", { class: "stat" }); s.append(el("b", null, v == null ? "–" : v), el("span", { class: "muted" }, label)); stats.append(s); };
    if (run) {
      stat(title + " (" + (run.status || "?") + ")", (run.finished_at || run.started_at || "").replace("T", " ").slice(0, 19) + " UTC");
      // the run line's accounting: every input is new, a new version, a copy, already stored or failed
      const parts = [["inputs", "inputs"], ["articles_new", "new articles"], ["versions", "new versions"],
        ["copies", "copies"], ["articles_seen", "already stored"], ["failures", "failed"],
        ["not_extracted", "not extracted (language)"], ["claims_stored", "claims stored"]];
      for (const [k, label] of parts) if (run[k] != null) stat(label, fmtNum(run[k]));
    } else {
      stat(title, "none recorded");
    }
    return [stats, stat];
  }

  function renderRun() {
    const body = document.getElementById("run-body"), run = D.last_run, tot = D.totals || {};
    const stored = D.last_stored_run;
    const [stats, stat] = runStats(run, "last run", "run-last");
    stat("articles stored", fmtNum(tot.articles));
    stat("claims stored", fmtNum(tot.claims_stored));
    stat("dated claims (copies once)", fmtNum(tot.claims_dated));
    body.append(stats);
    renderFailures(body, run);
    if (run && (!stored || stored.run_id !== run.run_id)) {
      body.append(el("h3", null, "Last run that stored something"));
      body.append(runStats(stored, "last run that stored something", "run-stored")[0]);
    }
  }

  function renderFailures(body, run) {
    if (D.failures.length) {
      body.append(el("h3", null, "Failures of that run"));
      const cols = Object.keys(D.failures[0]).map((k) => [k, txt(k)]);
      body.append(smallTable(D.failures, cols, "failures-table"));
    } else if (run) {
      body.append(el("p", { class: "muted", id: "failures-none" }, "No failures in that run."));
    }
  }

  function renderConflicts() {
    const body = document.getElementById("conflicts-body"), total = (D.totals || {}).conflicts;
    body.append(el("p", { class: "muted" }, "Same metric, subject, kind, unit and period, dates at most one day apart, values more than 5% apart. " +
      (total != null ? fmtNum(total) + " in all" + (total > D.conflicts.length ? ", the " + D.conflicts.length + " largest shown." : ".") : "")));
    if (!D.conflicts.length) return;
    body.append(smallTable(D.conflicts, [
      ["metric", txt("metric")], ["subject", txt("subject")], ["kind", txt("kind")],
      ["source A", txt("a_reporter")], ["as of", txt("a_as_of"), "nowrap"], ["value A", num("a_value"), "num"],
      ["source B", txt("b_reporter")], ["as of", txt("b_as_of"), "nowrap"], ["value B", num("b_value"), "num"],
      ["difference", (r) => (100 * r.rel_diff).toFixed(1) + "%", "num"],
      ["articles", (r) => { const s = el("span"); s.append(safeLink(r.a_url, "A"), document.createTextNode(" "), safeLink(r.b_url, "B")); return s; }],
    ], "conflicts-table"));
  }

  function renderRevisions() {
    const body = document.getElementById("revisions-body"), total = (D.totals || {}).flagged_steps;
    body.append(el("p", { class: "muted" }, "Running totals of one source that went down, whose increment differs from the " +
      "reported one-day figure, or that were restated for the same date. " + (total != null ? fmtNum(total) + " in all." : "")));
    if (!D.revisions.length) return;
    const flags = (r) => { const s = el("span"); for (const f of ["revision", "disagrees", "restated"]) if (r[f]) s.append(el("span", { class: "flag" }, f)); return s; };
    body.append(smallTable(D.revisions, [
      ["metric", txt("metric")], ["subject", txt("subject")], ["source", txt("reporter")],
      ["as of", txt("as_of"), "nowrap"], ["previous", txt("prev_as_of"), "nowrap"], ["prev. total", num("prev_total"), "num"],
      ["total", num("total"), "num"], ["increment", num("increment"), "num"], ["one-day figure", num("reported_day"), "num"],
      ["flags", flags], ["article", (r) => safeLink(r.url, "link")],
    ], "revisions-table"));
  }

  // ---- claims table ---------------------------------------------------------------------
  const SEARCHED = ["metric", "subject", "reporter", "source", "origin", "unit", "kind", "title", "sentence"];
  const TABLE_COLS = [
    ["metric", "metric"], ["subject", "subject"], ["figure", "value", "num"], ["kind", "kind"],
    ["as of", "as_of", "nowrap"], ["published", "published", "nowrap"], ["source", "reporter"],
    ["sentence", "sentence", "sentence"], ["article", "url"],
  ];
  const T = { all: Int32Array.from({ length: N }, (_, i) => i), rows: null, key: "as_of", dir: -1, page: 0 };

  function rankOf(name) {
    const c = COLS[name];
    if (!c.dict) return null;
    const order = c.dict.map((_, k) => k).sort((a, b) => c.dict[a].localeCompare(c.dict[b]));
    const rank = new Int32Array(c.dict.length);
    order.forEach((k, r) => { rank[k] = r; });
    return rank;
  }

  function applyFilter() {
    const q = document.getElementById("claims-search").value.trim().toLowerCase();
    const metric = document.getElementById("claims-metric").value;
    const mcode = metric ? COLS.metric.dict.indexOf(metric) : -1;
    const hits = q ? SEARCHED.map((name) => COLS[name].dict.map((s) => s.toLowerCase().includes(q))) : null;
    const out = [];
    for (let i = 0; i < N; i++) {
      if (!passes(i)) continue;
      if (mcode >= 0 && COLS.metric.codes[i] !== mcode) continue;
      if (hits && !SEARCHED.some((name, k) => { const c = COLS[name].codes[i]; return c != null && hits[k][c]; })) continue;
      out.push(i);
    }
    T.rows = Int32Array.from(out);
    applySort();
  }

  function applySort() {
    const c = COLS[T.key], rank = rankOf(T.key), dir = T.dir;
    const key = rank ? (i) => (c.codes[i] == null ? null : rank[c.codes[i]]) : (i) => c.values[i];
    T.rows.sort((a, b) => {
      const ka = key(a), kb = key(b);
      if (ka == null || kb == null) return ka == null ? (kb == null ? a - b : 1) : -1;
      return ka === kb ? a - b : (ka < kb ? -dir : dir);
    });
    T.page = 0;
    renderPage();
  }

  function cell(i, name, cls) {
    const td = el("td", cls ? { class: cls } : null);
    if (name === "value") td.textContent = fmtFigure(i);
    else if (name === "as_of" || name === "published") td.textContent = fmtDay(get(name, i));
    else if (name === "url") td.append(safeLink(get("url", i), get("title", i) || get("url", i)));
    else if (name === "reporter") {
      td.append(el("span", { class: "swatch", style: "background:" + colourOf(get("reporter", i)) }),
        document.createTextNode(get("reporter", i) + (get("origin", i) ? " (citing " + get("origin", i) + ")" : "")));
    } else td.textContent = get(name, i) == null ? "" : get(name, i);
    return td;
  }

  function renderPage() {
    const table = document.getElementById("claims-table"), rows = T.rows;
    const pages = Math.max(1, Math.ceil(rows.length / PAGE));
    T.page = Math.min(Math.max(T.page, 0), pages - 1);
    const head = el("tr");
    TABLE_COLS.forEach(([label, name]) => {
      const th = el("th", { class: "sortable", "data-key": name }, label);
      if (name === T.key) th.classList.add(T.dir > 0 ? "sorted-asc" : "sorted-desc");
      th.addEventListener("click", () => { T.dir = T.key === name ? -T.dir : (name === "as_of" || name === "published" || name === "value" ? -1 : 1); T.key = name; applySort(); });
      head.append(th);
    });
    const body = el("tbody");
    for (let k = T.page * PAGE; k < Math.min(rows.length, (T.page + 1) * PAGE); k++) {
      const tr = el("tr");
      TABLE_COLS.forEach(([, name, cls]) => tr.append(cell(rows[k], name, cls)));
      body.append(tr);
    }
    table.replaceChildren(el("thead"), body);
    table.firstChild.append(head);
    table.setAttribute("data-rows", String(rows.length));
    table.setAttribute("data-total", String(N));
    document.getElementById("claims-count").textContent = fmtNum(rows.length) + " of " + fmtNum(N) + " claims";
    document.getElementById("page-info").textContent = "page " + (T.page + 1) + " of " + pages;
    document.getElementById("page-prev").disabled = T.page === 0;
    document.getElementById("page-next").disabled = T.page >= pages - 1;
  }

  function setupTable() {
    const select = document.getElementById("claims-metric");
    [...COLS.metric.dict].sort().forEach((m) => select.append(el("option", { value: m }, m)));
    let timer = 0;
    document.getElementById("claims-search").addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(applyFilter, 150); });
    select.addEventListener("change", applyFilter);
    document.getElementById("page-prev").addEventListener("click", () => { T.page--; renderPage(); });
    document.getElementById("page-next").addEventListener("click", () => { T.page++; renderPage(); });
    applyFilter();
  }

  document.getElementById("subtitle").textContent = "Generated " + D.generated + " from " + D.db + " · " + fmtNum(N) + " dated claims";
  renderRun();
  setupFilters();
  renderCharts();
  renderConflicts();
  renderRevisions();
  setupTable();
  document.body.setAttribute("data-ready", "true");
})();
