// Passkeys need JavaScript: their buttons are sent hidden and shown here, so a
// phone without JavaScript never sees a button that cannot work.
document.addEventListener("DOMContentLoaded", function () {
  if (!window.PublicKeyCredential) return;
  document.querySelectorAll("[data-needs-js]").forEach(function (el) {
    el.hidden = false;
  });
});
