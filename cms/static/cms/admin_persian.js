/* Persian admin screens: Persian digits, and the few English words Wagtail and wagtail-localize write
 * without gettext (their React/markup literals), translated through the admin's JavaScript catalogue.
 *
 * Runs only when <html lang="fa…">. Text inside code, inputs, [lang="en"], [dir="ltr"] or
 * [data-latin-ok] is left alone, and so is any word holding a Latin letter, "@", ":" or "_" (URLs, file
 * names, codes), so that an address or a file name never gets Persian digits. New content (React,
 * Stimulus, modals) is handled as it appears.
 */
(() => {
  if (!(document.documentElement.lang || "").toLowerCase().startsWith("fa")) return;
  const t = (text) => (window.gettext ? window.gettext(text) : text);
  const fmt = (text, values) => (window.interpolate ? window.interpolate(t(text), values, true) : text);
  const DIGITS = "۰۱۲۳۴۵۶۷۸۹";
  const SKIP = "script, style, noscript, template, code, kbd, samp, pre, textarea, input, [contenteditable='true'], [lang^='en'], [dir='ltr'], [data-latin-ok]";
  const ATTRIBUTES = ["title", "aria-label", "placeholder", "alt"];
  // Gregorian dates that wagtail-localize formats with strftime (English month names).
  const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December"];
  const MONTHS_FA = ["ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن", "ژوئیه", "اوت", "سپتامبر", "اکتبر",
    "نوامبر", "دسامبر"];
  const DATE = new RegExp(`\\b(\\d{1,2}) (${MONTHS.join("|")}) (\\d{4})\\b`, "g");
  const literal = (text) => {
    const trimmed = text.trim();
    if (trimmed === "More actions" || trimmed === "Actions") return t(trimmed);
    const translation = /^(.+) to (.+) translation$/.exec(trimmed); // wagtail-localize's editor header
    if (translation) return fmt("%(source)s to %(target)s translation", {source: translation[1], target: translation[2]});
    return null;
  };
  // A word keeps its ASCII digits when it holds a Latin letter or a URL/code character, or when a
  // neighbouring word is Latin (a number inside an English title: «Vision 1430»).
  const latin = (word) => /[A-Za-z@:_\\]/.test(word || "");
  const persianDigits = (text) => {
    const parts = text.replace(DATE, (_all, day, month, year) => `${day} ${MONTHS_FA[MONTHS.indexOf(month)]} ${year}`)
      .split(/(\s+)/);
    return parts.map((word, index) => {
      if (index % 2 || !/[0-9]/.test(word) || latin(word)) return word;
      if (latin(parts[index - 2]) || latin(parts[index + 2])) return word;
      return word.replace(/[0-9]/g, (digit) => DIGITS[digit]);
    }).join("");
  };
  const convert = (text) => {
    const replaced = literal(text);
    const value = replaced === null ? text : replaced;
    if (/[A-Za-z]/.test(value) && !/[\u0600-\u06FF]/.test(value)) return value; // English content: as written
    return persianDigits(value);
  };
  const skipped = (element) => !element || element.closest(SKIP);
  const fixText = (node) => {
    if (skipped(node.parentElement)) return;
    const value = convert(node.nodeValue);
    if (value !== node.nodeValue) node.nodeValue = value;
  };
  const fixElement = (element) => {
    if (skipped(element)) return;
    for (const name of ATTRIBUTES) {
      const value = element.getAttribute(name);
      if (value) {
        const converted = convert(value);
        if (converted !== value) element.setAttribute(name, converted);
      }
    }
  };
  const walk = (root) => {
    if (root.nodeType === Node.TEXT_NODE) return fixText(root);
    if (root.nodeType !== Node.ELEMENT_NODE) return;
    fixElement(root);
    for (const element of root.querySelectorAll(ATTRIBUTES.map((name) => `[${name}]`).join(","))) fixElement(element);
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) fixText(node);
  };
  const start = () => {
    walk(document.body);
    document.title = convert(document.title);
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === "characterData") fixText(record.target);
        else if (record.type === "attributes") fixElement(record.target);
        else record.addedNodes.forEach(walk);
      }
    }).observe(document.body, {subtree: true, childList: true, characterData: true, attributes: true,
      attributeFilter: ATTRIBUTES});
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
