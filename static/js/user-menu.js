// The user menu is a <details> that works alone; this only closes it as a drop-down would:
// on a click elsewhere and on Escape (focus back on its summary).
(function () {
  "use strict";
  const menus = () => document.querySelectorAll("details.user-menu-details[open]");
  document.addEventListener("click", (event) => {
    menus().forEach((menu) => { if (!menu.contains(event.target)) { menu.open = false; } });
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") { return; }
    menus().forEach((menu) => { menu.open = false; menu.querySelector("summary").focus(); });
  });
})();
