/* 柜面还款 page: fill the amount due or the payoff amount, show what will be taken in the
   confirmation, and send the form once (the idempotency key makes a second send harmless). */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  var form = document.getElementById("repay-form");
  if (!form) { return; }
  var amount = form.elements.namedItem("amount");
  var option = form.elements.namedItem("prepayment");

  document.getElementById("fill-due").addEventListener("click", function () {
    amount.value = form.dataset.due;
    if (option.value === "payoff") { option.value = ""; }
  });
  document.getElementById("fill-payoff").addEventListener("click", function () {
    amount.value = form.dataset.payoff;
    option.value = "payoff";
  });
  option.addEventListener("change", function () {
    if (option.value === "payoff") { amount.value = form.dataset.payoff; }
  });

  var modal = document.getElementById("confirm-repay");
  modal.addEventListener("show.bs.modal", function () {
    var source = form.querySelector("input[name=source]:checked");
    document.getElementById("confirm-amount").textContent = amount.value || "—";
    document.getElementById("confirm-source").textContent =
      source ? form.querySelector("label[for=" + source.id + "]").textContent : "—";
    document.getElementById("confirm-option").textContent =
      option.options[option.selectedIndex].textContent;
  });

  form.addEventListener("submit", function () {
    var button = document.getElementById("confirm-repay-button");
    window.setTimeout(function () { button.disabled = true; }, 0);
  });
})();
