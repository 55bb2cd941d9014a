// "Go back" on the error page returns to the page before, when there is one; the link's
// own address (the list of applications) serves without JavaScript or history.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-back]");
    if (link && window.history.length > 1) {
      event.preventDefault();
      window.history.back();
    }
  });
})();
