/* The client's rating form, and the outbox that keeps every answer until the server has it.
 *
 * Each line is a role="slider" that the client taps or drags (pointer events: touch, pen and
 * mouse alike) or moves with the keyboard. An unmarked line has no value at all, never 0, and the
 * send button works only when every line is marked.
 *
 * An answer goes into the outbox (localStorage, keyed by its submission key) before it is sent,
 * and leaves it only when the server has stored it or refused it for good. So a dropped
 * connection, a closed tab or a reload loses nothing: the outbox is sent again on every page
 * load, when the browser comes back online, and every 20 seconds while something waits. The
 * server stores a submission key once, so sending twice is harmless.
 *
 * On the tablet a service worker (/nettbrett/sw.js) keeps the tablet's pages, so a reload
 * without network still shows the form, the thank-you and the way to hand the tablet back.
 * "Read aloud" reads the form with the device's voice for the page's language, where the
 * browser can speak.
 */
(function () {
  "use strict";

  var OUTBOX_KEY = "feedback.outbox.v1";
  var RETRY_MS = 20000;
  var ONLINE_RETRY_MS = [1000, 4000];
  var REFUSED = [400, 409, 410];

  /* ---- The outbox ---- */

  function readOutbox() {
    try {
      var box = JSON.parse(window.localStorage.getItem(OUTBOX_KEY) || "{}");
      return box && typeof box === "object" ? box : {};
    } catch (error) {
      return {};
    }
  }

  function writeOutbox(box) {
    try {
      window.localStorage.setItem(OUTBOX_KEY, JSON.stringify(box));
      return true;
    } catch (error) {
      return false;
    }
  }

  function keep(entry) {
    var box = readOutbox();
    box[entry.payload.submission_key] = entry;
    return writeOutbox(box);
  }

  function drop(key) {
    var box = readOutbox();
    delete box[key];
    writeOutbox(box);
  }

  function pending() {
    var box = readOutbox();
    return Object.keys(box).map(function (key) { return box[key]; });
  }

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (input) { return input.value; }
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  /* Send one answer. Resolves to {state: "stored" | "refused" | "retry", status, body}.
     Anything but a JSON answer from our endpoint (a login page, a proxy error, no network)
     means "try again later". */
  function send(entry) {
    return window.fetch(entry.url, {
      method: "POST",
      credentials: "same-origin",
      redirect: "manual",
      headers: {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "X-CSRFToken": csrfToken()
      },
      body: JSON.stringify(entry.payload)
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      if (type.indexOf("application/json") !== 0) {
        return {state: "retry", status: response.status, body: {}};
      }
      return response.json().then(function (body) {
        var state = "retry";
        if (response.ok) {
          state = "stored";
        } else if (REFUSED.indexOf(response.status) >= 0) {
          state = "refused";
        }
        return {state: state, status: response.status, body: body || {}};
      });
    }).catch(function () {
      return {state: "retry", status: 0, body: {}};
    });
  }

  var flushing = null;

  /* Send everything in the outbox, one at a time. Resolves to [{entry, result}]. */
  function flush() {
    if (flushing) { return flushing; }
    flushing = pending().reduce(function (chain, entry) {
      return chain.then(function (results) {
        return send(entry).then(function (result) {
          if (result.state !== "retry") { drop(entry.payload.submission_key); }
          results.push({entry: entry, result: result});
          return results;
        });
      });
    }, Promise.resolve([])).then(function (results) {
      flushing = null;
      return results;
    });
    return flushing;
  }

  /* The browser says "online" as soon as the device has a network, which may be a moment
     before the server can be reached (and before the tablet's service worker has it): try at
     once and again shortly after, then every 20 seconds. */
  function retryWhilePending(run) {
    window.addEventListener("online", function () {
      run();
      ONLINE_RETRY_MS.forEach(function (delay) {
        window.setTimeout(function () {
          if (pending().length) { run(); }
        }, delay);
      });
    });
    window.setInterval(function () {
      if (pending().length) { run(); }
    }, RETRY_MS);
  }

  /* ---- The rating form ---- */

  function setupForm(form) {
    var data = form.dataset;
    var lines = Array.prototype.slice.call(form.querySelectorAll("[role=slider]"));
    var submit = form.querySelector("[data-submit]");
    var hint = form.querySelector("[data-hint]");
    var status = form.querySelector("[data-status]");
    var max = parseFloat(data.max) || 10;
    var decimals = parseInt(data.decimals, 10);
    if (isNaN(decimals)) { decimals = 1; }
    var factor = Math.pow(10, decimals);
    var values = {};
    var locked = false;
    var handover = form.elements.namedItem("handover");

    function marked(line) {
      return Object.prototype.hasOwnProperty.call(values, line.dataset.item);
    }

    function complete() {
      return lines.every(marked);
    }

    function refresh() {
      submit.disabled = locked || !complete();
      hint.hidden = complete();
    }

    function say(message, kind) {
      status.hidden = !message;
      status.textContent = message || "";
      status.className = "notice" + (kind ? " notice-" + kind : "");
    }

    function lock(on) {
      locked = on;
      lines.forEach(function (line) { line.setAttribute("aria-disabled", on ? "true" : "false"); });
      refresh();
    }

    function setValue(line, value) {
      var mark = line.querySelector(".mark");
      var input = form.elements.namedItem(line.dataset.field);
      if (value === null || isNaN(value)) {
        delete values[line.dataset.item];
        line.removeAttribute("aria-valuenow");
        line.setAttribute("aria-valuetext", data.unmarkedText);
        mark.hidden = true;
        input.value = "";
      } else {
        value = Math.round(Math.min(max, Math.max(0, value)) * factor) / factor;
        values[line.dataset.item] = value;
        var shown = value.toFixed(decimals);
        line.setAttribute("aria-valuenow", shown);
        line.setAttribute(
          "aria-valuetext", data.valueText.replace("{value}", shown.replace(".", data.decimalMark))
        );
        mark.hidden = false;
        mark.style.left = (value / max * 100) + "%";
        input.value = shown;
      }
      refresh();
    }

    function valueAt(line, clientX) {
      var rect = line.querySelector(".track").getBoundingClientRect();
      return rect.width > 0 ? (clientX - rect.left) / rect.width * max : null;
    }

    lines.forEach(function (line) {
      var active = null;
      var before = null;

      line.addEventListener("pointerdown", function (event) {
        if (locked || (event.pointerType === "mouse" && event.button !== 0)) { return; }
        active = event.pointerId;
        before = marked(line) ? values[line.dataset.item] : null;
        try { line.setPointerCapture(event.pointerId); } catch (error) { /* not capturable */ }
        setValue(line, valueAt(line, event.clientX));
        if (event.pointerType === "mouse") {
          event.preventDefault();
          line.focus({preventScroll: true});
        }
      });
      line.addEventListener("pointermove", function (event) {
        if (event.pointerId === active) { setValue(line, valueAt(line, event.clientX)); }
      });
      line.addEventListener("pointerup", function (event) {
        if (event.pointerId === active) { active = null; }
      });
      line.addEventListener("pointercancel", function (event) {
        /* The browser took the touch for scrolling the page: that was not a mark. */
        if (event.pointerId !== active) { return; }
        active = null;
        setValue(line, before);
      });
      line.addEventListener("keydown", function (event) {
        if (locked) { return; }
        var has = marked(line);
        var value = has ? values[line.dataset.item] : max / 2;
        var step = 1 / factor;
        var next = null;
        switch (event.key) {
          case "ArrowRight": case "ArrowUp": next = has ? value + step : value; break;
          case "ArrowLeft": case "ArrowDown": next = has ? value - step : value; break;
          case "PageUp": next = has ? value + 1 : value; break;
          case "PageDown": next = has ? value - 1 : value; break;
          case "Home": next = 0; break;
          case "End": next = max; break;
          default: return;
        }
        event.preventDefault();
        setValue(line, next);
      });
    });

    function mine(entry) {
      return entry.url === data.submitUrl &&
        (!handover || entry.payload.handover === handover.value);
    }

    function settle(results) {
      var done = results.filter(function (item) { return mine(item.entry); });
      done.forEach(function (item) {
        if (item.result.state === "stored") {
          window.location.assign(item.result.body.next);
        } else if (item.result.state === "refused" && item.result.body.next) {
          /* A form that can no longer be answered, with a next page to go on to (a group
             meeting's outcome form once its time is out): go on rather than be stuck. */
          window.location.assign(item.result.body.next);
        } else if (item.result.state === "refused") {
          lock(item.result.status === 400 ? false : true);
          say(item.result.body.message || data.unsavedText, "error");
        }
      });
    }

    function resend() {
      flush().then(settle);
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (locked || !complete()) { return; }
      var items = {};
      lines.forEach(function (line) {
        items[line.dataset.item] = values[line.dataset.item].toFixed(decimals);
      });
      var entry = {
        url: data.submitUrl,
        savedAt: new Date().toISOString(),
        payload: {
          submission_key: form.elements.namedItem("submission_key").value,
          instrument: form.elements.namedItem("instrument").value,
          handover: handover ? handover.value : "",
          items: items
        }
      };
      var kept = keep(entry);
      lock(true);
      say(data.sendingText);
      send(entry).then(function (result) {
        if (result.state !== "retry") { drop(entry.payload.submission_key); }
        if (result.state === "retry" && kept) {
          /* Only a request that never reached the server is the network's fault. */
          say(result.status === 0 ? data.savedText : data.keptText);
          return;
        }
        if (result.state === "retry") {
          lock(false);
          say(data.unsavedText, "error");
          return;
        }
        settle([{entry: entry, result: result}]);
      });
    });

    /* An answer to this form may be waiting from before a reload. */
    if (pending().some(mine)) {
      lock(true);
      say(data.savedText);
    }
    resend();
    retryWhilePending(resend);
    refresh();
  }

  /* ---- Read aloud ---- */

  function voiceFor(language) {
    var voices = window.speechSynthesis.getVoices();
    var norwegian = ["nb", "nn", "no"];
    var wanted = norwegian.indexOf(language) >= 0 ? [language].concat(norwegian) : [language];
    for (var i = 0; i < wanted.length; i += 1) {
      for (var j = 0; j < voices.length; j += 1) {
        if (voices[j].lang.toLowerCase().split(/[-_]/)[0] === wanted[i]) { return voices[j]; }
      }
    }
    return null;
  }

  function setupReadAloud(form, button) {
    if (!window.speechSynthesis || !window.SpeechSynthesisUtterance) { return; }
    var synth = window.speechSynthesis;
    var language = (document.documentElement.lang || "nb").toLowerCase();
    var tags = {nb: "nb-NO", nn: "nn-NO", en: "en-GB"};
    var label = button.querySelector("[data-read-label]");
    var readText = label.textContent;
    var reading = false;

    function stopped() {
      reading = false;
      label.textContent = readText;
      button.setAttribute("aria-pressed", "false");
    }

    function sentences() {
      var texts = [];
      form.querySelectorAll("[data-read]").forEach(function (part) {
        if (part.hasAttribute("data-read-ends")) {
          texts.push(button.dataset.endsText
            .replace("{low}", part.querySelector(".end-low").textContent.trim())
            .replace("{high}", part.querySelector(".end-high").textContent.trim()));
        } else {
          texts.push(part.textContent.trim());
        }
      });
      return texts.filter(function (text) { return text; });
    }

    /* A device without a voice for the page's language would read it in a foreign accent. */
    function offerIfSpoken() {
      var voices = synth.getVoices();
      button.hidden = voices.length > 0 && !voiceFor(language);
    }

    button.addEventListener("click", function () {
      if (reading) {
        synth.cancel();
        stopped();
        return;
      }
      synth.cancel();
      var voice = voiceFor(language);
      var parts = sentences();
      parts.forEach(function (text, index) {
        var utterance = new window.SpeechSynthesisUtterance(text);
        utterance.lang = voice ? voice.lang : (tags[language] || language);
        if (voice) { utterance.voice = voice; }
        utterance.rate = 0.9;
        if (index === parts.length - 1) {
          utterance.onend = stopped;
          utterance.onerror = stopped;
        }
        synth.speak(utterance);
      });
      reading = parts.length > 0;
      if (reading) {
        label.textContent = button.dataset.stopText;
        button.setAttribute("aria-pressed", "true");
      }
    });
    offerIfSpoken();
    if (typeof synth.addEventListener === "function") {
      synth.addEventListener("voiceschanged", offerIfSpoken);
    }
  }

  /* ---- The tablet's pages offline ---- */

  function registerWorker() {
    var url = document.body.dataset.tabletWorker;
    if (!url || !("serviceWorker" in navigator)) { return; }
    navigator.serviceWorker.register(url).catch(function () { /* works online all the same */ });
  }

  /* The helper's PIN needs the server: say so instead of the browser's error page. */
  function needNetwork(root) {
    var status = root.querySelector("[data-status]");
    var text = root.dataset.offlineText;
    if (!status || !text) { return; }
    function refuse(event) {
      if (navigator.onLine !== false) { return; }
      event.preventDefault();
      status.hidden = false;
      status.className = "notice notice-error";
      status.textContent = text;
    }
    root.querySelectorAll("form").forEach(function (form) {
      form.addEventListener("submit", refuse);
    });
    root.querySelectorAll("a[data-needs-network]").forEach(function (link) {
      link.addEventListener("click", refuse);
    });
  }

  /* ---- The helper's client page: answers waiting on this device ---- */

  function setupStatus(box) {
    var data = box.dataset;

    function show(count) {
      box.hidden = false;
      box.textContent = data.waitingText + " " + count;
    }

    function run() {
      if (!pending().length) { return; }
      show(pending().length);
      flush().then(function (results) {
        var left = pending().length;
        var arrived = results.some(function (item) { return item.result.state === "stored"; });
        var refused = results.filter(function (item) { return item.result.state === "refused"; });
        if (left) {
          show(left);
          return;
        }
        box.textContent = "";
        if (arrived) {
          box.appendChild(document.createTextNode(data.arrivedText + " "));
          var link = document.createElement("a");
          link.href = window.location.href;
          link.textContent = data.reloadText;
          box.appendChild(link);
        }
        refused.forEach(function (item) {
          box.appendChild(document.createTextNode(" " + (item.result.body.message || "")));
        });
        box.hidden = !arrived && !refused.length;
      });
    }

    run();
    retryWhilePending(run);
  }

  /* The tablet is back in the helper's hands: the pages kept for it offline go. */
  function forgetTabletPages() {
    if (window.caches && window.isSecureContext) {
      window.caches.delete("tablet-pages").catch(function () { /* nothing kept */ });
    }
  }

  function start() {
    var form = document.querySelector("[data-rating-form]");
    var box = document.querySelector("[data-outbox-status]");
    var outboxPage = document.querySelector("[data-outbox-page]");
    var readAloud = document.querySelector("[data-read-aloud]");
    registerWorker();
    if (form) {
      setupForm(form);
      if (readAloud) { setupReadAloud(form, readAloud); }
    } else if (box) {
      forgetTabletPages();
      setupStatus(box);
    } else if (outboxPage) {
      needNetwork(outboxPage);
      flush();
      retryWhilePending(flush);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
