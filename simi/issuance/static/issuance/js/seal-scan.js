/* Scan a document's QR seal with the phone camera, where the browser has the
   BarcodeDetector API; elsewhere the button stays hidden and people paste the
   text. Same-origin file, no library: the CSP allows script-src 'self' only. */
(function () {
  "use strict";
  var button = document.getElementById("scan-start");
  var video = document.getElementById("scan-video");
  var field = document.getElementById("id_seal");
  var status = document.getElementById("scan-status");
  if (!button || !video || !field || !status) return;
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) return;

  var label = button.textContent;
  var stream = null;
  var detector = null;
  var running = false;

  function stop() {
    running = false;
    if (stream) stream.getTracks().forEach(function (track) { track.stop(); });
    stream = null;
    video.hidden = true;
    button.textContent = label;
  }

  function submit() {
    var form = field.form;
    if (form.requestSubmit) form.requestSubmit(); else form.submit();
  }

  function scan() {
    if (!running) return;
    detector.detect(video).then(function (codes) {
      if (codes.length && codes[0].rawValue) {
        field.value = codes[0].rawValue;
        status.textContent = button.dataset.found;
        stop();
        submit();
        return;
      }
      window.setTimeout(scan, 200);
    }).catch(function () { window.setTimeout(scan, 400); });
  }

  function start() {
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
      .then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        running = true;
        button.textContent = button.dataset.stop;
        status.textContent = button.dataset.scanning;
        return video.play();
      })
      .then(scan)
      .catch(function () { stop(); status.textContent = button.dataset.denied; });
  }

  window.BarcodeDetector.getSupportedFormats().then(function (formats) {
    if (formats.indexOf("qr_code") === -1) return;
    button.hidden = false;
    button.addEventListener("click", function () { if (running) stop(); else start(); });
  }).catch(function () { /* no detector after all: pasting still works */ });
})();
