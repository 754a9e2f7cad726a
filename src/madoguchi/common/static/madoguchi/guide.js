/* The guide's first page: 「人を追加する」 adds a person's row in place.
   Without JavaScript the same button asks the server to redraw the form with one
   more row, so this file only saves a round trip. (No inline script: CSP.) */
(function () {
  "use strict";
  var button = document.getElementById("add-member");
  var template = document.getElementById("member-template");
  var list = document.getElementById("member-list");
  var total = document.getElementById("id_m-TOTAL_FORMS");
  var limit = document.getElementById("member-limit");
  if (!button || !template || !list || !total) return;
  var max = parseInt(button.getAttribute("data-max"), 10);

  button.addEventListener("click", function (event) {
    var count = parseInt(total.value, 10);
    if (!(count < max)) return; // let the server say so
    event.preventDefault();
    var html = template.innerHTML
      .replace(/__prefix__/g, String(count))
      .replace(/__num__/g, String(count + 1));
    list.insertAdjacentHTML("beforeend", html);
    total.value = String(count + 1);
    // Focus the new row, so a screen reader says 「5人目 続柄」 and the phone scrolls there.
    var first = list.lastElementChild.querySelector("select, input:not([type=hidden])");
    if (first) first.focus();
    if (count + 1 >= max) {
      button.hidden = true;
      if (limit) limit.hidden = false;
    }
  });
})();
