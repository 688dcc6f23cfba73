// The survey page's own script (no third-party code): display logic, and the answers so far
// saved as the respondent goes, so a page left half-way is resumed from the same device.
(function () {
  "use strict";
  var form = document.getElementById("survey");
  if (!form) { return; }

  function answer(id) {
    var inputs = form.querySelectorAll('[name="q.' + id + '"]');
    var chosen = [];
    for (var i = 0; i < inputs.length; i++) {
      var input = inputs[i];
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value.trim() !== "") {
        chosen.push(input.value);
      }
    }
    return chosen;
  }

  function shown(condition) {
    var given = answer(condition.question);
    if (!given.length) { return false; }
    if (condition.any_of && condition.any_of.length) {
      return given.some(function (value) { return condition.any_of.indexOf(value) >= 0; });
    }
    var number = parseFloat(given[0]);
    if (isNaN(number)) { return false; }
    if (condition.at_most !== undefined && number > condition.at_most) { return false; }
    if (condition.at_least !== undefined && number < condition.at_least) { return false; }
    return true;
  }

  function applyLogic() {
    var conditional = form.querySelectorAll("[data-show-if]");
    for (var i = 0; i < conditional.length; i++) {
      var fieldset = conditional[i];
      fieldset.hidden = !shown(JSON.parse(fieldset.getAttribute("data-show-if")));
    }
  }

  var timer = null;
  var note = document.getElementById("saved");
  function saveSoon() {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(save, 800);
  }
  function save() {
    timer = null;
    var body = new URLSearchParams(new FormData(form));
    fetch(form.getAttribute("data-draft-url"), { method: "POST", body: body, credentials: "same-origin", keepalive: true })
      .then(function (response) { if (response.status === 204 && note) { note.hidden = false; } })
      .catch(function () { /* offline: the answers are still in the form and are sent with it */ });
  }

  form.addEventListener("change", function () { applyLogic(); saveSoon(); });
  form.addEventListener("input", function (event) { if (event.target.tagName === "TEXTAREA") { saveSoon(); } });
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden" && timer) { clearTimeout(timer); save(); }
  });
  applyLogic();
})();
