/* "Copy" buttons for the remote link: shown only where the browser can copy. */
(function () {
  "use strict";

  function copy(source) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(source.value);
    }
    source.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
  }

  Array.prototype.forEach.call(document.querySelectorAll("[data-copy]"), function (button) {
    var source = document.querySelector(button.getAttribute("data-copy"));
    if (!source) { return; }
    button.hidden = false;
    source.addEventListener("focus", function () { source.select(); });
    button.addEventListener("click", function () {
      copy(source).then(function () {
        button.textContent = button.getAttribute("data-copied-text");
      }, function () {
        source.focus();
      });
    });
  });
}());
