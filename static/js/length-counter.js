// Under every text field with a length limit: "n / max" characters, updated as
// the user types, so the limit shows before it is reached. When the field is
// full the counter says so (a paste that was cut by maxlength is never silent).
(function () {
  "use strict";
  var full = document.body.getAttribute("data-length-full") || "";
  document.querySelectorAll("textarea[maxlength], input[type=text][maxlength]").forEach(function (field) {
    var max = parseInt(field.getAttribute("maxlength"), 10);
    if (!max) { return; }
    var counter = document.createElement("div");
    counter.className = "form-text text-end length-counter";
    counter.setAttribute("aria-live", "polite");
    counter.setAttribute("data-for", field.name);
    field.insertAdjacentElement("afterend", counter);
    function update() {
      var used = field.value.length;
      counter.textContent = used + " / " + max + (used >= max && full ? " · " + full : "");
      counter.classList.toggle("text-danger", used >= max);
    }
    field.addEventListener("input", update);
    update();
  });
})();
