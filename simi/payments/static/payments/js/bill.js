/* The bill page: copy the billing code, and count down to its expiry.
   Progressive: without JavaScript the code is still selectable text (the
   copy button stays hidden) and the absolute expiry time is on the page.
   Texts come from data attributes the template translates. */
(function () {
  "use strict";

  var button = document.querySelector("[data-copy]");
  var status = document.querySelector(".bill-copy-status");
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var code = button.getAttribute("data-copy");
      function say(text) { if (status) status.textContent = text; }
      function selectCode() {
        var target = document.getElementById("billing-code");
        if (!target || !window.getSelection) return;
        var range = document.createRange();
        range.selectNodeContents(target);
        var selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(code).then(
          function () { say(button.getAttribute("data-copied")); },
          function () { selectCode(); say(button.getAttribute("data-copy-failed")); }
        );
      } else {
        selectCode();
        say(button.getAttribute("data-copy-failed"));
      }
    });
  }

  var timer = document.querySelector("[data-deadline]");
  if (!timer) return;
  var deadline = Date.parse(timer.getAttribute("data-deadline"));
  if (isNaN(deadline)) return;
  function two(n) { return (n < 10 ? "0" : "") + n; }
  function tick() {
    var left = Math.floor((deadline - Date.now()) / 1000);
    if (left <= 0) {
      timer.textContent = timer.getAttribute("data-expired");
      var copy = document.querySelector("[data-copy]");
      if (copy) copy.hidden = true;
      return;
    }
    var days = Math.floor(left / 86400);
    var rest = left % 86400;
    var time = two(Math.floor(rest / 3600)) + ":" + two(Math.floor((rest % 3600) / 60)) + ":" + two(rest % 60);
    var text = days > 0
      ? timer.getAttribute("data-format-days").replace("{days}", days).replace("{time}", time)
      : timer.getAttribute("data-format").replace("{time}", time);
    timer.textContent = text;
    window.setTimeout(tick, 1000);
  }
  timer.hidden = false;
  tick();
})();
