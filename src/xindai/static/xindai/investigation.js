/* 实地调查: the phone's position fills the coordinates, "now" fills the visit time, and a
   "不符合" answer makes its note required (no inline script: the Content-Security-Policy
   forbids it). Texts come from data attributes, translated by the page. */
(function () {
  "use strict";

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  // <button data-geolocate data-latitude="id" data-longitude="id" data-status="id"
  //  data-busy data-done="… %s …" data-failed>: shown only where the browser can locate.
  document.querySelectorAll("[data-geolocate]").forEach(function (button) {
    var latitude = document.getElementById(button.getAttribute("data-latitude"));
    var longitude = document.getElementById(button.getAttribute("data-longitude"));
    var status = document.getElementById(button.getAttribute("data-status"));
    if (!("geolocation" in navigator) || !latitude || !longitude) { return; }
    button.hidden = false;
    function say(text) { if (status) { status.textContent = text; } }
    button.addEventListener("click", function () {
      button.disabled = true;
      say(button.getAttribute("data-busy"));
      navigator.geolocation.getCurrentPosition(function (position) {
        latitude.value = position.coords.latitude.toFixed(6);
        longitude.value = position.coords.longitude.toFixed(6);
        say(button.getAttribute("data-done").replace("%s", Math.round(position.coords.accuracy)));
        button.disabled = false;
      }, function () {
        say(button.getAttribute("data-failed"));
        button.disabled = false;
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    });
  });

  // <button data-now="id">: the input (datetime-local) gets the phone's current time.
  document.querySelectorAll("[data-now]").forEach(function (button) {
    var input = document.getElementById(button.getAttribute("data-now"));
    if (!input) { return; }
    button.addEventListener("click", function () {
      var d = new Date();
      input.value = d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) +
        "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
    });
  });

  // A checklist answer <input name="<item>_result">: no longer marked unanswered, and "no"
  // requires the note <item>_note.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.name || !/_result$/.test(input.name)) { return; }
    var item = input.closest(".check-item");
    var badge = item && item.querySelector(".unanswered");
    if (badge) { badge.remove(); }
    var note = document.getElementById("id_" + input.name.replace(/_result$/, "_note"));
    if (!note) { return; }
    note.required = input.value === "no";
    if (note.required && !note.value.trim()) { note.focus(); }
  });
})();
