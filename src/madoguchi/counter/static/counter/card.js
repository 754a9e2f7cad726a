// The visit page's card reading (docs/counter.md): a one-time token from the server,
// then the PIN and the token to the agent on this PC, which reads the card and sends
// the facts to the server itself. The page never sees the facts; it reloads on success.
(function () {
  "use strict";
  var form = document.getElementById("card-reader");
  if (!form) return;
  var pin = document.getElementById("card-pin");
  var status = document.getElementById("card-status");
  var button = document.getElementById("card-read");
  var say = function (text, bad) {
    status.textContent = text;
    status.classList.toggle("error", !!bad);
  };
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var typed = pin.value;
    pin.value = ""; // not kept in the page a moment longer than needed
    button.disabled = true;
    say(form.dataset.reading || "読み取っています…");
    var csrf = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    fetch(form.action, {
      method: "POST",
      headers: { "X-CSRFToken": csrf },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json().then(function (body) {
          if (!response.ok) throw new Error(body.error || "HTTP " + response.status);
          return body.token;
        });
      })
      .then(function (token) {
        return fetch(form.dataset.agent + "/read", {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ pin: typed, token: token }),
        }).catch(function () {
          throw new Error(form.dataset.noAgent);
        });
      })
      .then(function (response) {
        return response.json();
      })
      .then(function (answer) {
        if (answer.ok) {
          say(form.dataset.done);
          // The page is the visit's own: assigning "#identity" alone would only
          // scroll, so the facts just stored would not be shown. Reload it.
          window.history.replaceState(null, "", form.dataset.visit + "#identity");
          window.location.reload();
          return;
        }
        say(answer.error, true);
        button.disabled = false;
        pin.focus();
      })
      .catch(function (error) {
        say(error.message, true);
        button.disabled = false;
      });
  });
})();
