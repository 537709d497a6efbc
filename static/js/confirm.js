// A button with data-confirm="question" asks before it submits (instead of an inline onclick,
// which the Content-Security-Policy blocks).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-confirm]");
  if (button && !window.confirm(button.dataset.confirm)) {
    event.preventDefault();
  }
});
