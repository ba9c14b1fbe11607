/* The identity form shows only the fields of the kind of person chosen
   (citizen or foreign national). Without this script both groups show under
   their headings and the server reads only the chosen one. */
(function () {
  "use strict";
  var form = document.getElementById("identity-form");
  if (!form) return;
  var radios = form.querySelectorAll('input[name="kind"]');
  var groups = form.querySelectorAll(".identity-group[data-kind]");

  function show() {
    var chosen = "";
    radios.forEach(function (radio) { if (radio.checked) chosen = radio.value; });
    groups.forEach(function (group) {
      group.hidden = group.getAttribute("data-kind") !== chosen;
    });
  }

  radios.forEach(function (radio) { radio.addEventListener("change", show); });
  show();
})();
