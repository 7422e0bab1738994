// Behaviour of the pages. No inline scripts: the Content-Security-Policy allows only this file.
"use strict";

document.addEventListener("DOMContentLoaded", () => {
  if (window.htmx) {
    // Swap error answers too (htmx leaves 4xx/5xx unswapped by default): they carry a message.
    htmx.config.responseHandling = [
      { code: "204", swap: false },
      { code: "[2-5]..", swap: true },
    ];
  }
  drawCharts();
  linkFindingsToCells();
  showUploadSources();
  setUpAuthoring();
  setUpPickAll();
  showUploadProgress();
});

// A batch upload can take a while: the bar follows the bytes sent (htmx reports them).
function showUploadProgress() {
  const bar = document.getElementById("upload-progress");
  if (!bar) return;
  document.body.addEventListener("htmx:xhr:progress", (event) => {
    if (event.detail.lengthComputable) bar.value = (event.detail.loaded / event.detail.total) * 100;
  });
}

function drawCharts() {
  const data = document.getElementById("charts");
  if (!data || !window.echarts) return;
  const options = JSON.parse(data.textContent);
  const charts = [];
  for (const el of document.querySelectorAll("[data-chart]")) {
    if (!options[el.id]) continue;
    const chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(options[el.id]);
    charts.push(chart);
  }
  window.addEventListener("resize", () => charts.forEach((c) => c.resize()));
}

// Pointing at a finding outlines its cells in the table.
function linkFindingsToCells() {
  document.addEventListener("mouseover", (event) => toggleFocus(event, true));
  document.addEventListener("mouseout", (event) => toggleFocus(event, false));
}

function toggleFocus(event, on) {
  const item = event.target.closest && event.target.closest("li.finding[data-fid]");
  if (!item) return;
  const cells = document.querySelectorAll(`td[data-f~="${item.dataset.fid}"]`);
  cells.forEach((td) => td.classList.toggle("focus", on));
}

// Upload results are not stored: each cell carries its source, shown on click.
// The box is looked up on each click: a batch's result may arrive after the page has loaded.
function showUploadSources() {
  document.addEventListener("click", (event) => {
    const box = document.getElementById("cell-source");
    const td = event.target.closest && event.target.closest("td.val[data-raw]");
    if (!box || !td) return;
    const where = td.dataset.where || [td.dataset.line && `第 ${td.dataset.line} 行`, td.dataset.page && `第 ${td.dataset.page} 页`]
      .filter(Boolean).join(" ") || "原文未记录位置";
    box.textContent = "";
    const title = document.createElement("b");
    title.textContent = td.dataset.label || td.dataset.path;
    const text = document.createElement("div");
    text.textContent = `原文写作 “${td.dataset.raw}” · 位置：${where}`;
    box.append(title, text);
    if (td.dataset.problems) {
      const why = document.createElement("div");
      why.className = "problem";
      why.textContent = td.dataset.problems;
      box.append(why);
    }
  });
}

function setUpAuthoring() {
  const form = document.getElementById("author");
  if (!form) return;
  // Enter in a cell would submit the form, i.e. download a DOCX: move to the next cell instead.
  form.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || event.target.tagName !== "INPUT") return;
    event.preventDefault();
    const inputs = [...form.querySelectorAll("table input")];
    const next = inputs[inputs.indexOf(event.target) + 1];
    if (next) next.focus();
  });
  const fill = document.getElementById("fill-zero");
  fill.addEventListener("click", () => {
    form.querySelectorAll("table input").forEach((input) => {
      if (input.value.trim() === "") input.value = "0";
    });
    htmx.trigger(form, "fill");
  });
}

function setUpPickAll() {
  const all = document.getElementById("pick-all");
  if (!all) return;
  all.addEventListener("change", () => {
    all.closest("form").querySelectorAll("input[name=ids]:not(:disabled)").forEach((box) => {
      box.checked = all.checked;
    });
  });
}

// Value cells are reachable by keyboard (tabindex): Enter or Space opens a cell's source, as a
// click does (htmx listens for the click; an htmx key filter would need eval, which the CSP bars).
document.addEventListener("keydown", (event) => {
  const cell = event.target;
  if (!(cell instanceof HTMLElement) || cell.tagName !== "TD" || !cell.hasAttribute("tabindex")) {
    return;
  }
  if (event.key === "Enter" || event.key === " ") {
    event.preventDefault();
    cell.click();
  }
});
