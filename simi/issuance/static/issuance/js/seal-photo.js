/* A photo of the QR seal, made smaller on the phone before it is sent: a
   camera picture of 5-15 MB becomes a JPEG of at most data-photo-side pixels
   a side (what the server reads anyway), so it passes the limit and a poor
   line. Progressive enhancement only: without this script, or where the
   browser cannot decode the picture, the file goes as chosen and the server
   answers. Only one photo goes: choosing one clears the other field. */
(function () {
  "use strict";
  var form = document.getElementById("verify-form");
  if (!form || !form.dataset.photoSide) return;
  var side = parseInt(form.dataset.photoSide, 10);
  var limit = parseInt(form.dataset.photoLimit, 10);
  var inputs = Array.prototype.slice.call(form.querySelectorAll('input[type="file"][name="photo"]'));
  var button = form.querySelector('button[type="submit"]');
  var canShrink = typeof createImageBitmap === "function" && typeof DataTransfer === "function" &&
    !!HTMLCanvasElement.prototype.toBlob;

  function shrink(file) {
    return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
      var scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
      if (scale === 1 && file.size <= limit) { bitmap.close(); return null; }
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(bitmap.width * scale));
      canvas.height = Math.max(1, Math.round(bitmap.height * scale));
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff"; // a transparent PNG becomes white, not black
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      bitmap.close();
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.9); });
    });
  }

  inputs.forEach(function (input) {
    input.addEventListener("change", function () {
      var file = input.files && input.files[0];
      if (!file) return;
      inputs.forEach(function (other) { if (other !== input) other.value = ""; });
      if (!canShrink || (file.type && file.type.indexOf("image/") !== 0)) return;
      if (button) button.disabled = true; // sent once it is ready
      shrink(file).then(function (blob) {
        if (!blob) return;
        var transfer = new DataTransfer();
        transfer.items.add(new File([blob], "qr.jpg", { type: "image/jpeg", lastModified: Date.now() }));
        input.files = transfer.files;
      }).catch(function () { /* not decodable here: the server will say what it is */ })
        .then(function () { if (button) button.disabled = false; });
    });
  });
})();
