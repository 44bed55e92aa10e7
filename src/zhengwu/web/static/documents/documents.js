/* zhengwu documents pages: the compose form's conditional questions, the print button.
   Plain JS, no build step; every page works without it (all questions shown, print from the
   browser's menu). */
(function () {
  "use strict";

  /* data-show-when="name=value" | "name!=value" | "name~=a|b": the element shows only when the
     form's current value of `name` matches. Hidden elements have their controls disabled, so
     what is hidden is neither posted nor pre-checked (e.g. a classified document's body). */
  function valueOf(form, name) {
    var els = form.querySelectorAll("[name='" + name + "']");
    var values = [];
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      if (el.disabled) continue;
      if (el.type === "radio" || el.type === "checkbox") {
        if (el.checked) values.push(el.value);
      } else {
        values.push(el.value);
      }
    }
    return values.join("|");
  }

  function matches(form, expr) {
    var m = /^([a-z_]+)(!=|~=|=)(.*)$/.exec(expr);
    if (!m) return true;
    var v = valueOf(form, m[1]);
    if (m[2] === "=") return v === m[3];
    if (m[2] === "!=") return v !== m[3];
    return m[3].split("|").indexOf(v) >= 0;
  }

  function applyConditions(form) {
    var conditional = form.querySelectorAll("[data-show-when]");
    // Two passes: a condition may depend on a control that another condition disables.
    for (var pass = 0; pass < 2; pass++) {
      for (var i = 0; i < conditional.length; i++) {
        var el = conditional[i];
        el.hidden = !matches(form, el.getAttribute("data-show-when"));
      }
      var controls = form.querySelectorAll("input, select, textarea, button[name]");
      for (var j = 0; j < controls.length; j++) {
        var c = controls[j];
        if (c.type === "hidden") continue;
        c.disabled = !!c.closest("[data-show-when][hidden]");
      }
    }
  }

  function setupCompose(form) {
    applyConditions(form);
    form.addEventListener("change", function () { applyConditions(form); });
    // A unit ticked as "countersigned" is also touched.
    form.addEventListener("change", function (e) {
      var t = e.target;
      if (t.name === "countersigned_by" && t.checked) {
        var row = t.closest(".unit-row");
        var touched = row && row.querySelector("[name='touches_other_units']");
        if (touched && !touched.checked) {
          touched.checked = true;
          applyConditions(form);
        }
      }
    });
  }

  function setupPrint() {
    var buttons = document.querySelectorAll("[data-print]");
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].hidden = false;
      buttons[i].addEventListener("click", function () { window.print(); });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("compose");
    if (form) setupCompose(form);
    setupPrint();
  });
})();
