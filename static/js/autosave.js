/* The proposal editor saves itself while the OPD types, so that a dropped connection or a
   closed tab loses a few seconds of writing, not an afternoon.

   <form data-autosave data-t-saving=".." data-t-saved="..{time}.." data-t-offline=".."
         data-t-failed="..">
     <span data-autosave-status role="status"></span>

   It posts the form (without its files) to the form's own address with the header
   X-Kovablik-Autosave: 1 and the hidden "version"; the server saves through the same service as
   "Simpan draf" and answers JSON with the new version. A tab whose version is stale is refused
   (another tab saved meanwhile): autosave then stops and says so, never overwriting. */
(function () {
  "use strict";

  const form = document.querySelector("form[data-autosave]");
  if (!form) return;
  const status = form.querySelector("[data-autosave-status]");
  const version = form.querySelector("input[name=version]");
  const DELAY_MS = 2000;
  const RETRY_MS = 5000;
  let timer = null;
  let inFlight = null;
  let dirty = false;
  let stopped = false;
  let pendingSubmit = null;

  function say(text, isError) {
    if (!status) return;
    status.textContent = text;
    status.classList.toggle("text-danger", Boolean(isError));
    status.classList.toggle("fw-semibold", Boolean(isError));
    status.classList.toggle("text-muted", !isError);
  }

  function payload() {
    const data = new FormData(form);
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      data.delete(input.name);
    });
    data.delete("action");
    return data;
  }

  function schedule(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
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

  function save(keepalive) {
    window.clearTimeout(timer);
    if (stopped || !dirty) return;
    if (inFlight) return;
    dirty = false;
    say(form.dataset.tSaving, false);
    inFlight = fetch(form.getAttribute("action") || window.location.href, {
      method: "POST",
      body: payload(),
      headers: { "X-Kovablik-Autosave": "1" },
      credentials: "same-origin",
      keepalive: Boolean(keepalive),
    })
      .then(function (response) {
        const type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) {
          // Not our answer (a refused form token, a server error page): stop, never loop.
          stopped = true;
          say(form.dataset.tFailed, true);
          return null;
        }
        return response.json().then(function (body) {
          if (response.ok && body.saved) {
            version.value = body.version;
            say(form.dataset.tSaved.replace("{time}", body.at), false);
            return;
          }
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
      .finally(finished);
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
    if (inFlight) {
      // Let the running save finish first, so the form posts the version it produced.
      event.preventDefault();
      pendingSubmit = event.submitter || null;
      return;
    }
    stopped = true;
  });
  window.addEventListener("pagehide", function () {
    if (dirty) save(true);
  });
})();
