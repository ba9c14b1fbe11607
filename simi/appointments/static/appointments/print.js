// The booking proof's Print button: shown only when a script can run it;
// without one the page still prints from the browser's menu.
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
})();
