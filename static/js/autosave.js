/* The proposal editor saves itself while the OPD types, so that a dropped connection or a
   closed tab loses a few seconds of writing, not an afternoon; and "Simpan draf" saves in
   place, files included, so a phone keeps its place on the page and the server does not send
   the whole editor again.

   <form data-autosave data-save-in-place data-t-saving=".." data-t-saved="..{time}.."
         data-t-saved-now="..{time}.." data-t-offline=".." data-t-failed="..">
     <div data-autosave-attachments>(the attachments and their file inputs)</div>
     <span data-autosave-status role="status"></span>
     <ul data-autosave-warnings hidden></ul>

   It posts the form to the form's own address with the header X-Kovablik-Autosave: 1 and the
   hidden "version" (an autosave leaves the files out); the server saves through the same
   services as a posted "Simpan draf" and answers JSON: the new version, the draft's warnings,
   and after an upload the files refused and the attachments' part of the page, put in place
   here. A tab whose version is stale is refused (another tab saved meanwhile): autosave then
   stops and says so, never overwriting. When the server refuses a save the button asked for,
   the form is posted as it would be without this script, so the server's page explains the
   refusal. */
(function () {
  "use strict";

  const form = document.querySelector("form[data-autosave]");
  if (!form) return;
  const status = form.querySelector("[data-autosave-status]");
  const warnings = form.querySelector("[data-autosave-warnings]");
  const attachments = form.querySelector("[data-autosave-attachments]");
  const version = form.querySelector("input[name=version]");
  const inPlace = form.hasAttribute("data-save-in-place");
  const DELAY_MS = 2000;
  const RETRY_MS = 5000;
  let timer = null;
  let inFlight = null;
  let dirty = false;
  let stopped = false;
  let pendingSubmit = null;
  let posting = false;
  let refused = []; // what the last upload refused, said until the next upload

  function say(text, isError) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("text-danger", Boolean(isError));
    status.classList.toggle("fw-semibold", Boolean(isError));
    status.classList.toggle("text-muted", !isError);
  }

  /* What the saved draft should still fix, after the files the last upload refused. */
  function warn(texts) {
    if (!warnings) return;
    function item(text, isError) {
      const line = document.createElement("li");
      line.textContent = text;
      if (isError) line.className = "text-danger fw-semibold";
      return line;
    }
    const items = refused
      .map(function (text) {
        return item(text, true);
      })
      .concat(
        (texts || []).map(function (text) {
          return item(text, false);
        })
      );
    warnings.replaceChildren(...items);
    warnings.hidden = items.length === 0;
  }

  /* After a save the person asked for, what the server said of an earlier post is out of
     date: the draft is saved, so the marks on its fields and the page's messages go. */
  function clearVerdicts() {
    form.querySelectorAll(".invalid-feedback, .alert-danger").forEach(function (element) {
      element.remove();
    });
    form.querySelectorAll(".is-invalid, [aria-invalid]").forEach(function (element) {
      element.classList.remove("is-invalid");
      element.removeAttribute("aria-invalid");
    });
    document.querySelectorAll("[data-page-message]").forEach(function (element) {
      element.remove();
    });
  }

  function payload(withFiles) {
    const data = new FormData(form);
    if (!withFiles) {
      form.querySelectorAll("input[type=file]").forEach(function (input) {
        data.delete(input.name);
      });
    }
    data.delete("action");
    return data;
  }

  function filesChosen() {
    return Array.from(form.querySelectorAll("input[type=file]")).some(function (input) {
      return input.files && input.files.length > 0;
    });
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  }

  function post(button) {
    // The server's own page says why it refused: post the form as if there were no script.
    stopped = true;
    posting = true;
    button.disabled = false;
    form.requestSubmit(button);
  }

  function finished() {
    inFlight = null;
    if (pendingSubmit) {
      const submitter = pendingSubmit;
      pendingSubmit = null;
      form.requestSubmit(submitter);
    } else if (dirty && !stopped) {
      schedule(DELAY_MS);
    }
  }

  /* button: the "Simpan draf" that asked for this save, or nothing for an autosave. */
  function save(button, keepalive) {
    window.clearTimeout(timer);
    const asked = button instanceof HTMLButtonElement;
    if (!asked && (stopped || !dirty)) return;
    if (inFlight) return;
    dirty = false;
    say(form.dataset.tSaving, false);
    if (asked) button.disabled = true;
    // The button's save carries the files chosen; an autosave never does.
    const withFiles = asked && filesChosen();
    inFlight = fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: payload(withFiles),
      headers: { "X-Kovablik-Autosave": "1" },
      credentials: "same-origin",
      keepalive: Boolean(keepalive),
    })
      .then(function (response) {
        const type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          // Not our answer (a refused form token, a server error page): stop, never loop.
          if (asked) return post(button);
          stopped = true;
          say(form.dataset.tFailed, true);
          return null;
        }
        return response.json().then(function (body) {
          if (response.ok && body.saved) {
            version.value = body.version;
            const said = asked ? form.dataset.tSavedNow : form.dataset.tSaved;
            say(said.replace("{time}", body.at), false);
            if (asked) clearVerdicts();
            if (withFiles) refused = body.refused || [];
            warn(body.warnings);
            if (withFiles && attachments && typeof body.attachments === "string") {
              // The server's own rendering of the part (escaped by its templates); the
              // chosen files are now stored or refused, so their inputs start empty.
              attachments.innerHTML = body.attachments;
            }
            return;
          }
          if (asked) return post(button);
          // Stale (another tab saved), closed, signed out: stop and let the person decide.
          stopped = response.status === 409 || response.status === 401 || response.status === 403;
          // A form the server refuses (400) waits for the next change rather than retrying.
          say(body.message, true);
        });
      })
      .catch(function () {
        dirty = true;
        say(form.dataset.tOffline, true);
        schedule(RETRY_MS);
      })
      .finally(function () {
        if (asked) button.disabled = false;
        finished();
      });
  }

  function changed(event) {
    if (event.target.type === "file") return;
    dirty = true;
    schedule(DELAY_MS);
  }

  form.addEventListener("input", changed);
  form.addEventListener("change", changed);
  form.addEventListener("submit", function (event) {
    window.clearTimeout(timer);
    if (posting) return;
    if (inFlight) {
      // Let the running save finish first, so the form posts the version it produced.
      event.preventDefault();
      pendingSubmit = event.submitter || null;
      return;
    }
    const button = event.submitter;
    if (inPlace && !stopped && button && button.value === "save") {
      event.preventDefault();
      save(button);
      return;
    }
    stopped = true;
  });
  window.addEventListener("pagehide", function () {
    if (dirty) save(null, true);
  });
})();
