/**
 * `<section data-module="job-progress" data-url="/app/jobs/<id>/progress">`: while a validation
 * runs, asks the dashboard for its progress every couple of seconds and updates the bar, the text
 * and the status; when it ends, reloads the page, which then shows the results. Without the script
 * the page has a plain "refresh" link.
 */
interface Progress {
  status: string;
  status_label: string;
  percent: number;
  text: string;
  finished: boolean;
}

const EVERY_MS = 1500;

export function jobProgress(section: HTMLElement): void {
  const url = section.dataset.url;
  if (!url) return;
  const bar = section.querySelector("progress");
  const text = section.querySelector<HTMLElement>("[data-progress-text]");
  const status = document.querySelector<HTMLElement>("[data-job-status]");
  section.querySelector<HTMLElement>("[data-progress-hint]")?.removeAttribute("hidden");
  let failures = 0;

  const poll = async () => {
    try {
      const res = await fetch(url, { headers: { accept: "application/json" }, credentials: "same-origin" });
      // Signed out or no longer there: stop; the refresh link still works.
      if (!res.ok || !res.headers.get("content-type")?.includes("application/json")) return;
      const progress = (await res.json()) as Progress;
      if (progress.finished) {
        window.location.reload();
        return;
      }
      if (bar) bar.value = progress.percent;
      if (text) text.textContent = progress.text;
      if (status) {
        status.textContent = progress.status_label;
        status.className = `job-status job-status-${progress.status}`;
      }
      failures = 0;
    } catch {
      if (++failures > 5) return;
    }
    window.setTimeout(poll, EVERY_MS);
  };
  window.setTimeout(poll, EVERY_MS);
}
