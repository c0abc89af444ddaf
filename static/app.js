// Groundswell's only script. Every page works without it; it votes in place and looks for
// similar ideas while a title is typed.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  function csrfOf(form) {
    var f = form.querySelector("input[name=_csrf]");
    return f ? f.value : "";
  }

  // Vote in place: send the same form with Accept: application/json and redraw the box.
  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.classList || !form.classList.contains("vote__form")) return;
    var btn = ev.submitter;
    if (!btn || !window.fetch) return;
    ev.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    body.set("value", btn.value);
    fetch(form.action, {
      method: "POST", body: body, credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRF-Token": csrfOf(form) }
    }).then(function (res) {
      if (!res.ok) throw new Error("vote failed: " + res.status);
      return res.json();
    }).then(function (data) {
      var box = form.closest("[data-vote]");
      var up = form.querySelector(".vote__btn--up"), down = form.querySelector(".vote__btn--down");
      var noun = form.getAttribute("data-noun") || "idea";
      box.classList.toggle("vote--up", data.my_vote === "up");
      box.classList.toggle("vote--down", data.my_vote === "down");
      // The label names the button; aria-pressed carries whether it is on.
      up.setAttribute("aria-pressed", data.my_vote === "up");
      down.setAttribute("aria-pressed", data.my_vote === "down");
      up.value = data.my_vote === "up" ? "clear" : "up";
      down.value = data.my_vote === "down" ? "clear" : "down";
      up.title = data.my_vote === "up" ? "Press again to remove your up vote" : "Vote this " + noun + " up";
      down.title = data.my_vote === "down" ? "Press again to remove your down vote" : "Vote this " + noun + " down";
      var count = form.querySelector("[data-vote-count]");
      count.textContent = "";
      if (data.up === null || data.up === undefined) {
        var hidden = document.createElement("span");
        hidden.className = "vote__hidden";
        hidden.textContent = "Vote to see";
        count.appendChild(hidden);
      } else {
        var net = document.createElement("span");
        net.className = "vote__net";
        net.title = data.up + " up, " + data.down + " down";
        net.textContent = String(data.up - data.down);
        var sr = document.createElement("span");
        sr.className = "visually-hidden";
        sr.textContent = " net: " + data.up + " up, " + data.down + " down";
        count.appendChild(net);
        count.appendChild(sr);
      }
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

  // Move focus to an error summary so screen reader and keyboard users land on it.
  var summary = document.querySelector("[data-focus]");
  if (summary) summary.focus();
})();
