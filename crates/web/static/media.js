// The media library's forms, enhanced: a file can be dropped on the upload
// form's drop zone, a chosen image is previewed before it is uploaded, and a
// click on the image (the preview, or the image on its own page) sets the
// focal point. Without this script the file input and the two focal point
// numbers do the same.
(function () {
  "use strict";
  var x = document.getElementById("focal_x");
  var y = document.getElementById("focal_y");
  var frame = document.querySelector("[data-focal-image]");
  var image = frame && frame.querySelector("[data-preview-image]");
  var marker = frame && frame.querySelector("[data-focal-marker]");

  function show(selector) {
    Array.prototype.forEach.call(document.querySelectorAll(selector), function (e) {
      e.hidden = false;
    });
  }

  function perMille(input) {
    var n = parseInt(input.value, 10);
    return isNaN(n) ? 500 : Math.max(0, Math.min(1000, n));
  }

  // Puts the marker where the two numbers say.
  function place() {
    if (!marker || !x || !y) {
      return;
    }
    marker.style.left = perMille(x) / 10 + "%";
    marker.style.top = perMille(y) / 10 + "%";
    marker.hidden = false;
  }

  if (image && x && y) {
    show("[data-focal-js]");
    frame.classList.add("media-focal-image--active");
    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      if (box.width === 0 || box.height === 0) {
        return;
      }
      x.value = String(Math.round(((event.clientX - box.left) / box.width) * 1000));
      y.value = String(Math.round(((event.clientY - box.top) / box.height) * 1000));
      place();
    });
    x.addEventListener("input", place);
    y.addEventListener("input", place);
    if (image.getAttribute("src")) {
      place();
    }
  }

  var form = document.querySelector("form[data-media-upload]");
  if (!form) {
    return;
  }
  var input = form.querySelector("input[type=file]");
  var zone = form.querySelector("[data-drop-zone]");
  var preview = form.querySelector("[data-preview]");
  var url = null;

  function showPreview() {
    var file = input.files && input.files[0];
    if (url) {
      URL.revokeObjectURL(url);
      url = null;
    }
    if (!file || !/^image\//.test(file.type) || !image) {
      preview.hidden = true;
      return;
    }
    url = URL.createObjectURL(file);
    image.src = url;
    preview.hidden = false;
    place();
  }

  input.addEventListener("change", showPreview);
  show("[data-drop-js]");
  zone.classList.add("media-drop--active");
  zone.addEventListener("dragover", function (event) {
    event.preventDefault();
    zone.classList.add("media-drop--over");
  });
  zone.addEventListener("dragleave", function () {
    zone.classList.remove("media-drop--over");
  });
  zone.addEventListener("drop", function (event) {
    event.preventDefault();
    zone.classList.remove("media-drop--over");
    if (event.dataTransfer && event.dataTransfer.files.length > 0) {
      input.files = event.dataTransfer.files;
      showPreview();
    }
  });
})();
