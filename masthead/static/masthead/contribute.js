// The contribution page: show the amounts for the chosen frequency and write the choice on the
// button ("Give €10 monthly"). The thank-you page: ask every few seconds whether the payment is
// confirmed, and reload when it is. Both pages work without this file.
(function () {
  "use strict";

  var form = document.querySelector("[data-contribute-form]");
  if (form) {
    var button = form.querySelector("[data-contribute-button]");
    var custom = form.querySelector("#custom-amount");
    var other = form.querySelector("[data-other]");
    var symbols = { EUR: "€", GBP: "£", USD: "$" };
    var currency = form.dataset.currency || "EUR";

    var money = function (text) {
      var value = Number(String(text).replace(",", ".").replace(/\s/g, ""));
      if (!isFinite(value) || value <= 0) return "";
      var number = value % 1 === 0 ? String(value) : value.toFixed(2);
      return symbols[currency] ? symbols[currency] + number : number + " " + currency;
    };
    var frequency = function () {
      return form.querySelector("input[name=frequency]:checked");
    };
    var update = function () {
      var chosen = frequency();
      var picked = form.querySelector("input[name=amount]:checked");
      var amount = custom.value.trim() ? money(custom.value) : picked && picked.dataset.label ? picked.dataset.label : "";
      var word = chosen ? chosen.dataset.word : "";
      button.textContent = ["Give", amount, word].filter(Boolean).join(" ");
    };
    var showAmounts = function () {
      var chosen = frequency();
      form.querySelectorAll("[data-amounts-for]").forEach(function (group) {
        var shown = !chosen || group.dataset.amountsFor === chosen.value;
        group.hidden = !shown;
        if (!shown) {
          var stale = group.querySelector("input:checked");
          if (stale) {
            // Keep the same amount if the other frequency offers it, else its middle one.
            var visible = form.querySelector("[data-amounts-for='" + chosen.value + "']");
            var same = visible.querySelector("input[value='" + stale.value + "']");
            var inputs = visible.querySelectorAll("input");
            (same || inputs[Math.floor(inputs.length / 2)]).checked = true;
          }
        }
      });
    };
    form.addEventListener("change", function (event) {
      if (event.target.name === "frequency") showAmounts();
      if (event.target.name === "amount" && event.target !== other) custom.value = "";
      update();
    });
    custom.addEventListener("input", function () {
      if (custom.value.trim()) other.checked = true;
      update();
    });
    form.addEventListener("submit", function () {
      // A second click while the first is on its way would only find the same checkout.
      button.disabled = true;
      window.setTimeout(function () { button.disabled = false; }, 8000);
    });
    showAmounts();
    update();
    var error = document.querySelector("[data-contribute-error]");
    if (error) error.focus();
  }

  var pending = document.querySelector("[data-thanks=pending]");
  if (pending && window.fetch) {
    var tries = 0;
    var ask = function () {
      tries += 1;
      fetch(pending.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (data && data.status !== "pending") {
            window.location.reload();
          } else if (tries < 60) {
            window.setTimeout(ask, 2000);
          }
        })
        .catch(function () { if (tries < 60) window.setTimeout(ask, 5000); });
    };
    window.setTimeout(ask, 1500);
  }
})();
