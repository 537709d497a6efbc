// The "nothing notable" shortcut fills the form in place (keeping what was typed elsewhere);
// the confirmation box shows only while the summary is the shortcut's sentence.
(function () {
  "use strict";
  var source = document.getElementById("nothing-notable-text");
  var summary = document.querySelector("textarea[name=summary]");
  var wrap = document.getElementById("confirm-wrap");
  if (!source || !summary || !wrap) { return; }
  var text = JSON.parse(source.textContent);
  var box = document.querySelector("input[name=confirm_nothing_notable]");
  function sync() { wrap.hidden = summary.value.trim() !== text; }
  document.getElementById("nothing-notable").addEventListener("click", function (event) {
    event.preventDefault();
    summary.value = text;
    var calm = document.querySelector("input[name=situation][value=conducive]");
    if (calm) { calm.checked = true; }
    sync();
    box.focus();
  });
  summary.addEventListener("input", sync);
  sync();
})();
