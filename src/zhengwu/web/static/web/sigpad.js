/* The leader's approval screen: saved phrases as tap-to-insert chips, and the handwritten
   signing pad (手写签批). Pointer events, so a finger, a pen and a mouse all work; the drawing is
   posted as a PNG data URL in the hidden "signature" field, only if something was drawn.
   Without JS the page still works: a select of the saved phrases, no pad. */
(function () {
  "use strict";

  var INK = "#14171a";

  function setupChips(box) {
    var target = document.getElementById(box.getAttribute("data-target"));
    var buttons = box.querySelector("[data-chip-buttons]");
    var select = box.querySelector("[data-chip-select]");
    if (!target || !buttons) return;
    buttons.hidden = false;
    if (select) {
      select.hidden = true;
      select.disabled = true;  // the box holds the text now
    }
    buttons.addEventListener("click", function (e) {
      var chip = e.target.closest("[data-insert]");
      if (!chip) return;
      var text = chip.getAttribute("data-insert");
      var value = target.value;
      var start = typeof target.selectionStart === "number" ? target.selectionStart : value.length;
      var end = typeof target.selectionEnd === "number" ? target.selectionEnd : value.length;
      if (document.activeElement !== target) { start = end = value.length; }
      var before = value.slice(0, start);
      var glue = before && !/[\s，。；、,.;:：！!？?]$/.test(before) ? "，" : "";
      target.value = before + glue + text + value.slice(end);
      var caret = (before + glue + text).length;
      target.focus();
      target.setSelectionRange(caret, caret);
      target.dispatchEvent(new Event("input", { bubbles: true }));
      chip.setAttribute("aria-pressed", "true");
    });
  }

  function setupPad(pad) {
    var canvas = pad.querySelector("[data-sig-canvas]");
    var input = pad.querySelector("[data-sig-input]");
    var clear = pad.querySelector("[data-sig-clear]");
    var form = pad.closest("form");
    if (!canvas || !canvas.getContext || !input) return;
    pad.hidden = false;
    var ctx = canvas.getContext("2d");
    var ratio = Math.min(window.devicePixelRatio || 1, 2);
    var drawn = false;
    var drawing = false;
    var last = null;
    var mid = null;

    function size() {
      var rect = canvas.getBoundingClientRect();
      var w = Math.max(1, Math.round(rect.width * ratio));
      var h = Math.max(1, Math.round(rect.height * ratio));
      if (canvas.width === w && canvas.height === h) return;
      var keep = null;
      if (drawn) {  // resizing clears a canvas: keep what was drawn
        keep = document.createElement("canvas");
        keep.width = canvas.width;
        keep.height = canvas.height;
        keep.getContext("2d").drawImage(canvas, 0, 0);
      }
      canvas.width = w;
      canvas.height = h;
      ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
      ctx.lineCap = "round";
      ctx.lineJoin = "round";
      ctx.strokeStyle = INK;
      ctx.fillStyle = INK;
      ctx.lineWidth = 2.6;
      if (keep) ctx.drawImage(keep, 0, 0, keep.width / ratio, keep.height / ratio);
    }

    function point(e) {
      var rect = canvas.getBoundingClientRect();
      return { x: e.clientX - rect.left, y: e.clientY - rect.top };
    }

    function down(e) {
      if (e.button !== undefined && e.button > 0) return;
      e.preventDefault();
      if (canvas.setPointerCapture) {
        try { canvas.setPointerCapture(e.pointerId); } catch (err) { /* synthetic events */ }
      }
      drawing = true;
      pad.setAttribute("data-drawing", "1");
      last = point(e);
      mid = last;
      ctx.beginPath();
      ctx.arc(last.x, last.y, ctx.lineWidth / 2, 0, Math.PI * 2);
      ctx.fill();
      drawn = true;
      pad.classList.add("has-ink");
    }

    function move(e) {
      if (!drawing) return;
      e.preventDefault();
      var events = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
      if (!events.length) events = [e];
      for (var i = 0; i < events.length; i++) {
        var p = point(events[i]);
        var m = { x: (last.x + p.x) / 2, y: (last.y + p.y) / 2 };
        ctx.beginPath();
        ctx.moveTo(mid.x, mid.y);
        ctx.quadraticCurveTo(last.x, last.y, m.x, m.y);  // smooth through the midpoints
        ctx.stroke();
        last = p;
        mid = m;
      }
    }

    function up(e) {
      if (!drawing) return;
      drawing = false;
      pad.removeAttribute("data-drawing");
      ctx.beginPath();
      ctx.moveTo(mid.x, mid.y);
      ctx.lineTo(last.x, last.y);
      ctx.stroke();
      if (canvas.releasePointerCapture) {
        try { canvas.releasePointerCapture(e.pointerId); } catch (err) { /* already released */ }
      }
    }

    function reset() {
      ctx.save();
      ctx.setTransform(1, 0, 0, 1, 0, 0);
      ctx.clearRect(0, 0, canvas.width, canvas.height);
      ctx.restore();
      drawn = false;
      input.value = "";
      pad.classList.remove("has-ink");
    }

    size();
    canvas.addEventListener("pointerdown", down);
    canvas.addEventListener("pointermove", move);
    canvas.addEventListener("pointerup", up);
    canvas.addEventListener("pointercancel", up);
    canvas.addEventListener("pointerleave", function (e) { if (e.pointerType === "mouse") up(e); });
    if (clear) clear.addEventListener("click", reset);
    window.addEventListener("resize", size);
    if (form) {
      form.addEventListener("submit", function () {
        input.value = drawn ? canvas.toDataURL("image/png") : "";
      });
    }
  }

  /* The text starts open on a wide screen, closed on a phone (the leader taps to read). */
  function openWide() {
    if (!window.matchMedia || !window.matchMedia("(min-width: 900px)").matches) return;
    var items = document.querySelectorAll("details[data-open-wide]");
    for (var i = 0; i < items.length; i++) items[i].open = true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var chips = document.querySelectorAll("[data-chips]");
    for (var i = 0; i < chips.length; i++) setupChips(chips[i]);
    var pads = document.querySelectorAll("[data-sigpad]");
    for (var j = 0; j < pads.length; j++) setupPad(pads[j]);
    openWide();
  });
})();
