// A button with data-print prints the page (instead of an inline onclick, which the
// Content-Security-Policy blocks).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
