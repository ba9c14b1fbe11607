/* Document uploads on a phone: check a file when it is chosen, and make a
   large photo smaller on the device before it is sent. Progressive
   enhancement only: without this script the forms post the file as chosen
   and the server's checks (which stay the authority) answer. The messages
   come translated from the page (data-msg-* on #documents). */
(function () {
  "use strict";
  var section = document.getElementById("documents");
  var summary = document.getElementById("upload-error-summary");
  if (summary) summary.focus();
  if (!section || !section.hasAttribute("data-upload-limit")) return;

  var data = section.dataset;
  var limit = parseInt(data.uploadLimit, 10);
  var longSide = parseInt(data.uploadLongSide, 10);
  var quality = parseFloat(data.uploadQuality);
  var accepted = data.uploadAccept.split(",");
  var canReplace = typeof DataTransfer === "function" && !!HTMLCanvasElement.prototype.toBlob;

  function size(bytes) {
    // As Django's filesizeformat: binary units, one decimal, the page's separator.
    var kb = bytes / 1024;
    var text = kb < 1024 ? kb.toFixed(1) + "\u00a0KB" : (kb / 1024).toFixed(1) + "\u00a0MB";
    return text.replace(".", data.uploadDecimal || ".");
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : all;
    });
  }

  // What the file is by its first bytes, as the server decides: a JPEG
  // named ".bin" is a JPEG. Other pictures (HEIC, WebP…) keep the browser's
  // type, so that they can be turned into a JPEG.
  var SIGNATURES = [
    ["application/pdf", [0x25, 0x50, 0x44, 0x46, 0x2d]],
    ["image/jpeg", [0xff, 0xd8, 0xff]],
    ["image/png", [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]]
  ];

  function kindOf(file) {
    var claimed = (file.type || "").toLowerCase();
    if (!file.slice || !window.Response) return Promise.resolve(claimed);
    return new Response(file.slice(0, 8)).arrayBuffer().then(function (buffer) {
      var head = new Uint8Array(buffer);
      for (var i = 0; i < SIGNATURES.length; i++) {
        var bytes = SIGNATURES[i][1];
        var match = head.length >= bytes.length && bytes.every(function (b, j) { return head[j] === b; });
        if (match) return SIGNATURES[i][0];
      }
      return claimed.indexOf("image/") === 0 ? claimed : "";
    }, function () { return claimed; });
  }

  // The decoded picture: an ImageBitmap where the browser has one, else an
  // <img> from a data: URL (the page's CSP allows data: images, not blob:).
  function loadImage(file) {
    if (typeof createImageBitmap === "function") {
      return createImageBitmap(file, { imageOrientation: "from-image" }).then(function (bitmap) {
        return { source: bitmap, width: bitmap.width, height: bitmap.height,
                 close: function () { bitmap.close(); } };
      });
    }
    return new Promise(function (resolve, reject) {
      var reader = new FileReader();
      reader.onerror = function () { reject(new Error("unreadable")); };
      reader.onload = function () {
        var image = new Image();
        image.onload = function () {
          resolve({ source: image, width: image.naturalWidth, height: image.naturalHeight,
                    close: function () {} });
        };
        image.onerror = function () { reject(new Error("unreadable")); };
        image.src = reader.result;
      };
      reader.readAsDataURL(file);
    });
  }

  function encode(canvas, q) {
    return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", q); });
  }

  // A JPEG whose long side is at most longSide, under the limit (a lower
  // quality is tried once when the first is still too large).
  function shrink(file) {
    return loadImage(file).then(function (loaded) {
      var width = loaded.width, height = loaded.height;
      var scale = Math.min(1, longSide / Math.max(width, height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(width * scale));
      canvas.height = Math.max(1, Math.round(height * scale));
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff"; // a transparent PNG becomes white, not black
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(loaded.source, 0, 0, canvas.width, canvas.height);
      loaded.close();
      return encode(canvas, quality).then(function (blob) {
        return blob && blob.size > limit ? encode(canvas, 0.7) : blob;
      });
    }).then(function (blob) {
      if (!blob) throw new Error("unreadable");
      var base = file.name.replace(/\.[^.]*$/, "") || "photo";
      return new File([blob], base + ".jpg", { type: "image/jpeg", lastModified: Date.now() });
    });
  }

  function needsShrinking(file, kind) {
    if (kind !== "image/jpeg" && kind !== "image/png") return Promise.resolve(true);
    if (file.size > limit) return Promise.resolve(true);
    return loadImage(file).then(function (loaded) {
      loaded.close();
      return Math.max(loaded.width, loaded.height) > longSide;
    });
  }

  function setUp(form) {
    var inputs = form.querySelectorAll('input[type="file"]');
    var error = form.querySelector("[data-upload-error]");
    var note = form.querySelector("[data-upload-note]");
    var button = form.querySelector('button[type="submit"]');
    var chooser = inputs[0];
    var busy = false;
    var pending = false; // Upload was pressed while a file was being checked

    function say(element, text) {
      element.textContent = text || "";
      element.hidden = !text;
    }

    function refuse(input, text) {
      input.value = "";
      say(note, "");
      say(error, text);
      chooser.setAttribute("aria-invalid", "true");
      chooser.setAttribute("aria-describedby", error.id);
    }

    function chosen() {
      return Array.prototype.some.call(inputs, function (input) {
        return input.files && input.files.length > 0;
      });
    }

    function done() {
      busy = false;
      button.disabled = false;
      if (pending && chosen()) {
        pending = false;
        if (form.requestSubmit) form.requestSubmit(); else form.submit();
      }
      pending = false;
    }

    function check(input) {
      var file = input.files && input.files[0];
      say(error, "");
      say(note, "");
      chooser.removeAttribute("aria-invalid");
      if (!file) return;
      inputs.forEach(function (other) { if (other !== input) other.value = ""; });
      var named = { name: file.name };
      var tooLarge = { name: file.name, size: size(file.size) };
      busy = true;
      button.disabled = true;
      kindOf(file).then(function (kind) {
        if (kind === "application/pdf") {
          if (file.size > limit) refuse(input, fill(data.msgTooLarge, tooLarge));
          return;
        }
        var image = kind.indexOf("image/") === 0;
        if (!image || !canReplace) {
          if (!image || accepted.indexOf(kind) < 0) refuse(input, fill(data.msgWrongType, named));
          else if (file.size > limit) refuse(input, fill(data.msgTooLarge, tooLarge));
          return;
        }
        say(note, data.msgReducing);
        return needsShrinking(file, kind).then(function (shrinkIt) {
          if (!shrinkIt) { say(note, ""); return; }
          return shrink(file).then(function (smaller) {
            if (smaller.size > limit) {
              refuse(input, fill(data.msgTooLarge, tooLarge));
              return;
            }
            var transfer = new DataTransfer();
            transfer.items.add(smaller);
            input.files = transfer.files;
            say(note, fill(data.msgReduced, { name: file.name, before: size(file.size), after: size(smaller.size) }));
          });
        }).catch(function () {
          refuse(input, fill(accepted.indexOf(kind) < 0 ? data.msgWrongType : data.msgUnreadable, named));
        });
      }).then(done, done);
    }

    inputs.forEach(function (input) {
      input.addEventListener("change", function () { check(input); });
    });
    form.addEventListener("submit", function (event) {
      if (busy) {
        event.preventDefault();
        pending = true;
      } else if (!chosen()) {
        event.preventDefault();
        say(error, data.msgChoose);
      }
    });
  }

  var forms = section.querySelectorAll("form[data-upload-form]");
  Array.prototype.forEach.call(forms, function (form, index) {
    var error = form.querySelector("[data-upload-error]");
    if (error && !error.id) error.id = "upload-check-" + index;
    setUp(form);
  });
})();
