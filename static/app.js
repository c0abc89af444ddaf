// Groundswell's only script. Every page works without it; it votes in place and looks for
// similar ideas while a title is typed.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // A form that came back refused shows the address of the page it lives on, not the address
  // it was posted to, so that reloading or sharing the page works (that address also opens).
  var address = document.body && document.body.getAttribute("data-address");
  if (address && window.history && history.replaceState && address.charAt(0) === "/" && address.charAt(1) !== "/") {
    history.replaceState(null, "", address + location.hash);
  }

  // Folded parts of a page (a long brief, the questions, the filters) stay folded on a phone, so
  // that the ideas come first, and open where the screen has room for them.
  if (window.matchMedia && window.matchMedia("(min-width: 48rem)").matches) {
    document.addEventListener("DOMContentLoaded", function () {
      document.querySelectorAll("details[data-open-wide]").forEach(function (d) { d.open = true; });
    });
  }

  function csrfOf(form) {
    var f = form.querySelector("input[name=_csrf]");
    return f ? f.value : "";
  }

  // Vote in place: send the same form and swap in the box the server draws after the vote, from
  // the same template as the page, so the words never differ. Focus stays on the pressed button.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.classList || !form.classList.contains("vote__form")) return;
    var btn = ev.submitter;
    if (!btn || !window.fetch || !window.DOMParser) return;
    ev.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    body.set("value", btn.value);
    var up = btn.classList.contains("vote__btn--up");
    fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "X-Groundswell-Fragment": "vote", "X-CSRF-Token": csrfOf(form) }
    }).then(function (res) {
      if (!res.ok) throw new Error("vote failed: " + res.status);
      return res.text();
    }).then(function (html) {
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-vote]");
      if (!fresh) throw new Error("vote: no box in the answer");
      var box = form.closest("[data-vote]");
      box.replaceWith(fresh);
      var again = fresh.querySelector(up ? ".vote__btn--up" : ".vote__btn--down");
      if (again) again.focus();
    }).catch(function () {
      // Fall back to the ordinary round trip, which shows any error in full. form.submit()
      // does not send the pressed button, so its value goes in a hidden field.
      var v = document.createElement("input");
      v.type = "hidden";
      v.name = "value";
      v.value = btn.value;
      form.appendChild(v);
      form.submit();
    });
  });

  // Similar ideas while typing a title.
  var form = document.querySelector("form[data-similar]");
  if (form && window.fetch) {
    var title = form.querySelector("#title");
    var box = form.querySelector("[data-similar-box]");
    var timer = null, last = "";
    title.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var q = title.value.trim();
        if (q === last) return;
        last = q;
        if (q.length < 4) { box.textContent = ""; return; }
        fetch(form.getAttribute("data-similar") + "?title=" + encodeURIComponent(q), {
          headers: { "Accept": "application/json" }, credentials: "same-origin"
        }).then(function (r) { return r.ok ? r.json() : { ideas: [] }; }).then(function (data) {
          if (title.value.trim() !== q) return;
          box.textContent = "";
          if (!data.ideas || data.ideas.length === 0) return;
          var h = document.createElement("h2");
          h.className = "similar__title";
          h.textContent = "Similar ideas already shared";
          var p = document.createElement("p");
          p.textContent = "If one of these says what you mean, you can add your voice there instead.";
          var ul = document.createElement("ul");
          data.ideas.forEach(function (idea) {
            var li = document.createElement("li");
            var a = document.createElement("a");
            a.href = idea.url;
            a.textContent = idea.title;
            li.appendChild(a);
            ul.appendChild(li);
          });
          box.appendChild(h); box.appendChild(p); box.appendChild(ul);
        }).catch(function () {});
      }, 350);
    });
  }

  // Select all or none of the queue's items in place; without the script the same links load
  // the page with every box ticked, or none.
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest ? ev.target.closest("a[data-select]") : null;
    if (!link) return;
    var boxes = document.querySelectorAll("input[type=checkbox][form=bulk]");
    if (boxes.length === 0) return;
    ev.preventDefault();
    var on = link.getAttribute("data-select") === "all";
    boxes.forEach(function (b) { b.checked = on; });
  });

  // Move focus to an error summary so screen reader and keyboard users land on it.
  var summary = document.querySelector("[data-focus]");
  if (summary) summary.focus();
})();
