// The import run's page follows the background task: it polls the run's progress
// and, when the task is done, swaps in the finished page's panel (the summary and
// the confirm form) without reloading the whole page.
"use strict";

(function () {
  const POLL_EVERY_MS = 1000;

  function panel() {
    return document.getElementById("import-run");
  }

  function show(root, progress) {
    root.querySelector(".import-status").textContent = progress.status_label;
    root.querySelector(".import-stage").textContent = progress.stage;
    const bar = root.querySelector(".import-bar progress");
    bar.value = progress.percent;
    bar.textContent = progress.percent + "%";
    root.querySelector(".import-percent").textContent = progress.percent + "%";
  }

  async function showFinished() {
    const response = await fetch(window.location.href, { credentials: "same-origin" });
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const finished = page.getElementById("import-run");
    if (response.ok && finished) {
      panel().replaceWith(document.adoptNode(finished));
    } else {
      window.location.reload();
    }
  }

  async function poll() {
    const root = panel();
    const url = root && root.dataset.progressUrl;
    if (!url) {
      return;
    }
    try {
      const response = await fetch(url, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (response.ok) {
        const progress = await response.json();
        if (progress.finished) {
          await showFinished();
          return;
        }
        show(root, progress);
      }
    } catch (error) {
      // A lost connection: the next poll tries again.
    }
    window.setTimeout(poll, POLL_EVERY_MS);
  }

  document.addEventListener("DOMContentLoaded", function () {
    window.setTimeout(poll, POLL_EVERY_MS);
  });
})();
