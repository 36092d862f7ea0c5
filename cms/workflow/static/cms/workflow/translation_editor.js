/* The translation editor (wagtail-localize) gets from Revayat:
   - dir/lang on the source strings and the target fields, read from the editor's own source and
     target locales, so English typed in the Persian admin keeps its punctuation where it belongs;
   - a "Submit for review" button: translations go live through the same workflow as the source, and
     below 100% translated only with its "Publish partially translated" box ticked;
   - beside it: the segment count (kept live as segments are saved), a filter showing only untranslated
     segments, and for an English page
     its English address (slug), prefilled with the current one or a suggestion (cms/workflow/slugs.py). */
(function () {
  "use strict";
  var RTL = ["fa", "ar", "he", "ur", "ps", "ckb"];
  var root = document.querySelector(".js-translation-editor");
  if (!root) { return; }
  var props = JSON.parse(root.dataset.props || "{}");
  var config = JSON.parse((document.getElementById("revayat-translation-editor") || {}).textContent || "{}");
  var source = (props.sourceLocale || {}).code;
  var target = (props.locale || {}).code;
  if (!source || !target) { return; }

  function dir(code) { return RTL.indexOf(code.split("-")[0]) >= 0 ? "rtl" : "ltr"; }
  function mark(element, code) {
    if (element.getAttribute("lang") !== code) { element.setAttribute("lang", code); }
    if (element.getAttribute("dir") !== dir(code)) { element.setAttribute("dir", dir(code)); }
    if (element.style.unicodeBidi !== "plaintext") { element.style.unicodeBidi = "plaintext"; }
  }
  function apply() {
    // A segment is an <li> whose own <p> is the source string; its <div> holds the translation
    // (shown as a <p>, or a <textarea> while being edited).
    root.querySelectorAll("li").forEach(function (segment) {
      var children = Array.prototype.slice.call(segment.children);
      var text = children.filter(function (child) { return child.tagName === "P"; })[0];
      if (!text) { return; }
      mark(text, source);
      children.filter(function (child) { return child.tagName === "DIV"; }).forEach(function (box) {
        box.querySelectorAll("p, textarea, input[type=text]").forEach(function (field) { mark(field, target); });
      });
    });
  }

  function addSubmitButton() {
    var token = root.querySelector("input[name=csrfmiddlewaretoken]");
    if (!token || !config.submitLabel) { return; }
    var form = document.createElement("form");
    form.method = "post";
    form.className = "revayat-submit-translation w-p-4";
    form.innerHTML = '<input type="hidden" name="csrfmiddlewaretoken"><button type="submit" ' +
      'class="button" name="action" value="revayat-submit"></button> ' +
      '<label class="revayat-partial"><input type="checkbox" name="revayat-partial" value="1"> <span></span></label>';
    form.querySelector("input").value = token.value;
    form.querySelector("button").textContent = config.submitLabel;
    form.querySelector("label span").textContent = config.partialLabel;
    root.parentNode.insertBefore(form, root);
    addProgressAndSlug(form);
  }

  // The segment count (from the server) and a filter showing only the untranslated segments (the
  // editor marks each segment's <li> "complete" or "incomplete").
  function addProgressAndSlug(form) {
    var match = ((props.links || {}).downloadPofile || "").match(/translate\/(\d+)\//);
    if (!match || !config.slugUrl) { return; }
    var filter = document.createElement("label");
    filter.className = "revayat-missing-filter";
    filter.innerHTML = '<input type="checkbox" data-revayat-missing-only> <span></span>';
    filter.querySelector("span").textContent = config.missingOnly;
    filter.querySelector("input").addEventListener("change", function (event) {
      root.classList.toggle("revayat-missing-only", event.target.checked);
    });
    var style = document.createElement("style");
    style.textContent = ".revayat-missing-only li.complete { display: none; }" +
      ".revayat-submit-translation { display: flex; flex-wrap: wrap; gap: 0.75rem; align-items: center; }" +
      ".revayat-slug input { direction: ltr; text-align: start; min-inline-size: 18rem; }";
    document.head.appendChild(style);
    fetch(config.slugUrl.replace("/0/", "/" + match[1] + "/"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        var progress = document.createElement("p");
        progress.setAttribute("data-revayat-progress", "");
        progress.textContent = data.progress.text;
        form.insertBefore(progress, form.firstChild);
        liveProgress(progress, data.progress);
        form.appendChild(filter);
        if (!data.latin) { return; }
        var slug = document.createElement("label");
        slug.className = "revayat-slug";
        slug.innerHTML = '<span></span> <input type="text" name="revayat-slug" lang="en" dir="ltr" ' +
          'autocomplete="off" spellcheck="false"> <small><span></span> <button type="button" ' +
          'class="button button-small button-secondary" dir="ltr"></button></small>';
        var spans = slug.querySelectorAll("span");
        spans[0].textContent = config.slugLabel;
        spans[1].textContent = config.slugHelp;
        var input = slug.querySelector("input");
        input.value = data.slug || data.suggestion;
        var use = slug.querySelector("button");
        use.textContent = data.suggestion;
        use.title = config.useSuggestion;
        use.addEventListener("click", function () { input.value = data.suggestion; input.focus(); });
        form.insertBefore(slug, form.querySelector("button[name=action]"));
      });
  }

  // The server's count when the editor opened, moved by each segment the translator saves or clears
  // since (the editor marks a segment's <li> "complete" once its translation is saved).
  function liveProgress(element, counts) {
    var opened = root.querySelectorAll("li.complete").length;
    var digits = new Intl.NumberFormat(document.documentElement.lang || "fa", { useGrouping: false });
    function update() {
      var done = counts.done + root.querySelectorAll("li.complete").length - opened;
      done = Math.max(0, Math.min(counts.total, done));
      element.textContent = counts.template.replace("%(done)s", digits.format(done))
        .replace("%(total)s", digits.format(counts.total));
    }
    new MutationObserver(update).observe(root, {subtree: true, attributes: true, attributeFilter: ["class"]});
  }

  addSubmitButton();
  new MutationObserver(apply).observe(root, {childList: true, subtree: true});
  apply();
})();
