// Progressive enhancement for a meeting's PDFs (templates/publishing/_meeting_documents.html):
// while any is building, fetch the fragment again every few seconds and put it in place, until
// none is. Without this file the page says how to check, and works the same.
const INTERVAL_MS = 3000;
const GIVE_UP_AFTER = 200; // ten minutes: the build's own time limit

function watch(container, attempts = 0) {
  if (container.dataset.building !== "true" || attempts >= GIVE_UP_AFTER) return;
  window.setTimeout(async () => {
    let response;
    try {
      response = await fetch(container.dataset.pollUrl, {
        credentials: "same-origin",
        headers: { Accept: "text/html" },
      });
    } catch {
      watch(container, attempts + 1); // offline for a moment: try again later
      return;
    }
    if (!response.ok) return; // signed out, or the meeting gone: leave the page as it is
    const template = document.createElement("template");
    template.innerHTML = (await response.text()).trim();
    const fresh = template.content.querySelector("[data-document-status]");
    if (!fresh) return;
    // The container stays (it is the live region that announces the change); its content moves.
    container.innerHTML = fresh.innerHTML;
    container.dataset.building = fresh.dataset.building || "false";
    watch(container, attempts + 1);
  }, INTERVAL_MS);
}

document.querySelectorAll("[data-document-status]").forEach((container) => watch(container));
