/* The paper form (templates/ratings/paper.html): when the helper chooses another form, name
   the line fields after that form's questions and show only as many lines as it has. Each
   form's option carries its lines' names in data-lines (services/ratings/forms.py, FormSelect);
   without this script the lines keep the names of the form chosen when the page was drawn. */
(function () {
  "use strict";
  var select = document.querySelector("select[name=instrument]");
  if (!select) {
    return;
  }
  var inputs = Array.prototype.slice.call(document.querySelectorAll("input.paper-item"));

  function rename() {
    var option = select.options[select.selectedIndex];
    var lines = JSON.parse((option && option.getAttribute("data-lines")) || "[]");
    if (!lines.length) {
      return;
    }
    inputs.forEach(function (input, index) {
      var label = document.querySelector('label[for="' + input.id + '"]');
      var box = input.closest(".paper-line");
      var used = index < lines.length;
      if (label && used) {
        label.textContent = index + 1 + ". " + lines[index];
      }
      if (box) {
        box.hidden = !used;
      }
      input.disabled = !used;
    });
  }

  select.addEventListener("change", rename);
})();
