// Evidence on the incident form: each file checked against the size limit on the phone, and a large
// photo reduced (canvas) before it is sent or kept in the outbox. The reduced JPEG gets the original's
// EXIF segment back (time, place), with the orientation reset since the pixels are already upright.
// A refused file (too large, not a photo or PDF) keeps the form from being saved or kept in the outbox,
// with the reason at the field, until the officer picks another file or removes the refused one: the
// incident is never sent without a file the officer meant to attach.
(function () {
  "use strict";
  var input = document.querySelector("input[name=photos]");
  var list = document.getElementById("photo-list");
  if (!input || !list) { return; }
  var form = input.form;
  var maxBytes = Number(input.dataset.maxBytes);
  var REDUCE_ABOVE = 1024 * 1024;
  var LONGEST_SIDE = 1600;

  function size(bytes) {
    // In the page's language: Indonesian writes "15,0 MB".
    var lang = document.documentElement.lang || undefined;
    return bytes >= 1048576
      ? (bytes / 1048576).toLocaleString(lang, { minimumFractionDigits: 1, maximumFractionDigits: 1 }) + " MB"
      : Math.ceil(bytes / 1024).toLocaleString(lang) + " KB";
  }

  function say(template, values, className) {
    var line = document.createElement("li");
    line.className = className;
    line.textContent = template.replace(/\{(\w+)\}/g, function (all, name) { return values[name]; });
    list.append(line);
  }

  // The APP1 "Exif" segment of a JPEG, with orientation set to 1; null when there is none.
  function exifSegment(bytes) {
    var view = new DataView(bytes);
    if (view.byteLength < 4 || view.getUint16(0) !== 0xFFD8) { return null; }
    var offset = 2;
    while (offset + 4 <= view.byteLength) {
      var marker = view.getUint16(offset);
      var length = view.getUint16(offset + 2);
      if (marker === 0xFFDA || (marker & 0xFF00) !== 0xFF00) { return null; }
      if (marker === 0xFFE1 && view.getUint32(offset + 4) === 0x45786966) {
        var segment = bytes.slice(offset, offset + 2 + length);
        resetOrientation(new DataView(segment));
        return segment;
      }
      offset += 2 + length;
    }
    return null;
  }

  function resetOrientation(segment) {
    var tiff = 10;
    if (segment.byteLength < tiff + 8) { return; }
    var little = segment.getUint16(tiff) === 0x4949;
    var ifd = tiff + segment.getUint32(tiff + 4, little);
    if (ifd + 2 > segment.byteLength) { return; }
    var count = segment.getUint16(ifd, little);
    for (var i = 0; i < count; i++) {
      var entry = ifd + 2 + i * 12;
      if (entry + 12 > segment.byteLength) { return; }
      if (segment.getUint16(entry, little) === 0x0112) { segment.setUint16(entry + 8, 1, little); }
    }
  }

  function reduce(file) {
    return Promise.all([file.arrayBuffer(), createImageBitmap(file)]).then(function (loaded) {
      var bitmap = loaded[1];
      var scale = Math.min(1, LONGEST_SIDE / Math.max(bitmap.width, bitmap.height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.round(bitmap.width * scale);
      canvas.height = Math.round(bitmap.height * scale);
      canvas.getContext("2d").drawImage(bitmap, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) { canvas.toBlob(resolve, "image/jpeg", 0.82); }).then(function (blob) {
        return blob.arrayBuffer().then(function (reduced) {
          var exif = exifSegment(loaded[0]);
          var parts = exif ? [reduced.slice(0, 2), exif, reduced.slice(2)] : [reduced];
          var smaller = new File(parts, file.name.replace(/\.\w+$/, "") + ".jpg",
                                 { type: "image/jpeg", lastModified: file.lastModified });
          return smaller.size < file.size ? smaller : file;
        });
      });
    });
  }

  var ACCEPTED = /^(image\/(jpeg|png)|application\/pdf)$/;
  var feedback = document.getElementById("photo-refused");
  var refused = [];

  function showRefused() {
    var blocked = refused.length > 0;
    input.classList.toggle("is-invalid", blocked);
    if (blocked) {
      input.setAttribute("aria-describedby", "photo-refused");
    } else {
      input.removeAttribute("aria-describedby");
    }
    feedback.hidden = !blocked;
    feedback.querySelector(".photo-refused-names").textContent = blocked ? "(" + refused.join(", ") + ")" : "";
  }

  feedback.querySelector("button").addEventListener("click", function () {
    refused = [];
    list.querySelectorAll("li.text-danger").forEach(function (line) { line.remove(); });
    showRefused();
    input.focus();
  });

  // Before desk.js sees the submit (it would keep the post in the outbox when offline).
  document.addEventListener("submit", function (event) {
    if (event.target !== form || refused.length === 0) { return; }
    event.preventDefault();
    event.stopImmediatePropagation();
    input.focus();
    feedback.scrollIntoView({ block: "center" });
  }, true);

  var busy = Promise.resolve();

  input.addEventListener("change", function () {
    list.replaceChildren();
    refused = [];
    var files = Array.prototype.slice.call(input.files);
    var submit = form.querySelector("button[type=submit]");
    submit.disabled = true;
    busy = Promise.all(files.map(function (file) {
      var photo = /^image\/(jpeg|png)$/.test(file.type);
      if (!photo || file.size <= REDUCE_ABOVE) { return Promise.resolve(file); }
      return reduce(file).then(function (smaller) {
        if (smaller !== file) {
          say(list.dataset.reduced, { name: file.name, from: size(file.size), to: size(smaller.size) }, "text-muted");
        }
        return smaller;
      }, function () { return file; });
    })).then(function (ready) {
      var kept = new DataTransfer();
      ready.forEach(function (file) {
        if (file.size > maxBytes) {
          say(list.dataset.tooLarge, { name: file.name, size: size(file.size), max: size(maxBytes) }, "text-danger");
          refused.push(file.name);
        } else if (file.type && !ACCEPTED.test(file.type)) {
          say(list.dataset.wrongType, { name: file.name }, "text-danger");
          refused.push(file.name);
        } else {
          kept.items.add(file);
        }
      });
      input.files = kept.files;
      showRefused();
      submit.disabled = false;
    });
  });
})();
