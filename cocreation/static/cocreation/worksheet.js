// The participant's worksheet: autosave as they type, a local draft (localStorage) that survives a lost
// connection or an expired session, and optimistic locking (a 409 shows the server copy; nothing is
// silently overwritten). Its words come translated in the config (fa or en, the page's language).
(function () {
  "use strict";
  const cfg = JSON.parse(document.getElementById("cocreation-config").textContent);
  const KEY = "cocreation:" + cfg.id;
  const form = document.querySelector("[data-worksheet]");
  const list = form.querySelector("[data-items]");
  const tpl = document.getElementById("ws-item");
  const statusEl = document.querySelector("[data-status]");
  const conflictEl = document.querySelector("[data-conflict]");
  const csrf = (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || "";
  const fa = (n) => Number(n).toLocaleString(cfg.numberLocale, { useGrouping: false });
  const t = (key, n) => cfg.messages[key].replace("%(n)s", n === undefined ? "" : fa(n));
  const signed = (n) => (n > 0 ? "+" : n < 0 ? "−" : "") + fa(Math.abs(n));

  let base = cfg.server.version; // the server version our edits start from
  let editable = cfg.editable;
  let seq = 0; // bumps on every edit
  let savedSeq = 0;
  let inflight = false;
  let timer = null;
  let serverCopy = null;

  function say(text) { statusEl.textContent = text; }

  function readLocal() {
    try { return JSON.parse(localStorage.getItem(KEY) || "null"); } catch (e) { return null; }
  }
  function writeLocal(dirty) {
    try {
      localStorage.setItem(KEY, JSON.stringify({ base: base, dirty: dirty, data: collect() }));
    } catch (e) { /* storage full or disabled: the server copy still holds the last save */ }
  }

  function options(select, pairs) {
    for (const [value, label] of pairs) {
      const option = document.createElement("option");
      option.value = value;
      option.textContent = label;
      select.append(option);
    }
  }

  function addItem(data) {
    const node = tpl.content.firstElementChild.cloneNode(true);
    options(node.querySelector("[name=kind]"), cfg.kinds);
    options(node.querySelector("[name=domain]"), cfg.domains);
    options(node.querySelector("[name=impact]"), [-2, -1, 0, 1, 2].map((n) => [n, signed(n)]));
    options(node.querySelector("[name=likelihood]"), [1, 2, 3, 4, 5].map((n) => [n, fa(n)]));
    options(node.querySelector("[name=horizon]"), cfg.horizons.map((h) => [h, h.replace(/\d/g, (d) => fa(d))]));
    options(node.querySelector("[name=confidence]"), cfg.confidences);
    for (const field of node.querySelectorAll("[name]")) {
      const value = data[field.name];
      field.value = value === null || value === undefined ? "" : String(value);
    }
    list.append(node);
    number();
    return node;
  }

  function number() {
    list.querySelectorAll("[data-n]").forEach((el, i) => { el.textContent = fa(i + 1); });
  }

  function render(data) {
    list.replaceChildren();
    (data.items || []).forEach(addItem);
    form.elements.commentary.value = data.commentary || "";
    lock(!editable);
  }

  function collect() {
    const items = [...list.querySelectorAll(".ws-item")].map((node) => {
      const item = {};
      for (const field of node.querySelectorAll("[name]")) item[field.name] = field.value;
      for (const name of ["impact", "likelihood", "domain"]) item[name] = item[name] === "" ? null : Number(item[name]);
      return item;
    });
    return { commentary: form.elements.commentary.value, items: items };
  }

  function lock(locked) {
    for (const el of form.querySelectorAll("input, textarea, select, button")) el.disabled = locked;
  }

  function changed() {
    if (!editable) return;
    seq += 1;
    writeLocal(true);
    say(t("typing"));
    clearTimeout(timer);
    timer = setTimeout(save, 600);
  }

  async function post(url, body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
      body: JSON.stringify(body),
    });
  }

  async function save() {
    if (!editable || serverCopy) return;
    if (inflight) { clearTimeout(timer); timer = setTimeout(save, 300); return; }
    if (!navigator.onLine) { say(t("offline")); return; }
    const sentSeq = seq;
    inflight = true;
    let response;
    try {
      response = await post(cfg.saveUrl, Object.assign({ version: base }, collect()));
    } catch (e) {
      inflight = false;
      say(t("offline"));
      return;
    }
    inflight = false;
    if (response.ok) {
      base = (await response.json()).version;
      savedSeq = sentSeq;
      writeLocal(seq !== savedSeq);
      say(seq === savedSeq ? t("saved", base) : t("typing"));
      if (seq !== savedSeq) { clearTimeout(timer); timer = setTimeout(save, 300); }
    } else if (response.status === 409) {
      serverCopy = (await response.json()).server;
      conflictEl.hidden = false;
      say(t("conflict"));
    } else if (response.status === 403) {
      editable = false;
      lock(true);
      say(t("closedUnsaved"));
    } else if (response.status === 404) {
      say(t("session"));
    } else {
      say(t("failed", response.status));
    }
  }

  async function submit() {
    clearTimeout(timer);
    await save();
    if (seq !== savedSeq || serverCopy || !editable) return;
    const response = await post(cfg.submitUrl, {});
    if (response.ok) {
      const n = (await response.json()).submission;
      document.querySelector("[data-submitted]").textContent = t("submittedVersion", n);
      say(t("submitted"));
    } else if (response.status === 403) {
      editable = false;
      lock(true);
      say(t("closed"));
    }
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.querySelector("[data-add]").addEventListener("click", () => {
    addItem({ kind: cfg.kinds[0][0] }).querySelector("[name=title]").focus();
    changed();
  });
  list.addEventListener("click", (event) => {
    if (event.target.matches("[data-remove]")) {
      event.target.closest(".ws-item").remove();
      number();
      changed();
    }
  });
  form.querySelector("[data-submit]").addEventListener("click", submit);
  conflictEl.querySelector("[data-keep-mine]").addEventListener("click", () => {
    base = serverCopy.version;
    serverCopy = null;
    conflictEl.hidden = true;
    save();
  });
  conflictEl.querySelector("[data-take-server]").addEventListener("click", () => {
    base = serverCopy.version;
    render(serverCopy);
    serverCopy = null;
    conflictEl.hidden = true;
    seq = savedSeq;
    writeLocal(false);
    say(t("serverLoaded"));
  });
  window.addEventListener("online", () => { if (seq !== savedSeq || (readLocal() || {}).dirty) save(); });
  window.addEventListener("offline", () => say(t("wentOffline")));

  // Start from the local draft when it holds edits the server has not acknowledged.
  const local = readLocal();
  if (local && local.dirty && editable) {
    base = local.base;
    render(local.data);
    seq = 1;
    say(t("restored"));
    save();
  } else {
    render(cfg.server);
    if (!editable) say(t("closed"));
  }
})();
