/* 放款 page: add and remove payment lines, show the amount and mode in the confirmation, and
   send the form once (the idempotency key makes a second send harmless anyway). */
(function () {
  "use strict";
  var form = document.getElementById("disburse-form");
  if (!form) { return; }
  var lines = document.getElementById("payment-lines");
  var template = document.getElementById("payment-line-template");
  var next = lines.querySelectorAll(".payment-line").length;

  document.getElementById("add-payment-line").addEventListener("click", function () {
    var html = template.innerHTML.replace(/__n__/g, String(next));
    next += 1;
    lines.insertAdjacentHTML("beforeend", html);
    var added = lines.lastElementChild.querySelector("input");
    if (added) { added.focus(); }
  });

  lines.addEventListener("click", function (event) {
    var button = event.target.closest(".remove-payment-line");
    if (button) { button.closest(".payment-line").remove(); }
  });

  var modal = document.getElementById("confirm-disburse");
  if (modal) {
    modal.addEventListener("show.bs.modal", function () {
      var amount = form.elements.namedItem("amount").value || "—";
      var checked = form.querySelector("input[name=payment_mode]:checked");
      var label = checked ? form.querySelector("label[for=" + checked.id + "]").textContent : "—";
      document.getElementById("confirm-amount").textContent = amount;
      document.getElementById("confirm-mode").textContent = label;
    });
  }

  form.addEventListener("submit", function () {
    var button = document.getElementById("confirm-disburse-button");
    if (button) { window.setTimeout(function () { button.disabled = true; }, 0); }
  });
})();
