/* The header menu's disclosure button on narrow screens: without this script the menu is always open. */
(function () {
  "use strict";
  var nav = document.querySelector("[data-site-menu]");
  if (!nav) return;
  var button = nav.querySelector(".site-menu__toggle");
  var panel = document.getElementById(button.getAttribute("aria-controls"));
  function setOpen(open) {
    button.setAttribute("aria-expanded", open ? "true" : "false");
    nav.classList.toggle("is-open", open);
  }
  nav.classList.add("site-menu--enhanced");
  button.hidden = false;
  button.addEventListener("click", function () {
    setOpen(button.getAttribute("aria-expanded") !== "true");
  });
  nav.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true" && getComputedStyle(button).display !== "none") {
      setOpen(false);
      button.focus();
    }
  });
  panel.hidden = false;
})();
