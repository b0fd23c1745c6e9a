/**
 * `<div data-module="upload">` inside the upload form. Adds dropping a file on the form, and sends
 * files over the form's cap in parts through `/app/upload/multipart` (the API's multipart upload):
 * a progress bar, each failed part retried with back-off (1, 2, 4, 8 s), and resume — the upload's
 * id is kept in localStorage per file (name, size, date), so choosing the same file again after a
 * reload asks the server which parts it has and sends only the others. Smaller files go through
 * the plain form, as they do without the script.
 */
const PREFIX = "vt-upload:";
const RETRY_DELAYS_S = [1, 2, 4, 8];

interface UploadState {
  upload_id: string;
  part_size: number;
  status: string;
  parts: { part_number: number; size: number }[];
}

class UploadStopped extends Error {}

function fill(template: string, vars: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

function put(url: string, body: Blob, token: string, onProgress: (loaded: number) => void): Promise<{ status: number; text: string }> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open("PUT", url);
    xhr.setRequestHeader("X-CSRF-Token", token);
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onload = () => resolve({ status: xhr.status, text: xhr.responseText });
    xhr.onerror = () => resolve({ status: 0, text: "" });
    xhr.send(body);
  });
}

const wait = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));
const retriable = (status: number) => status === 0 || status === 408 || status === 429 || status >= 500;

/** The server's message from a JSON answer; anything else (a proxy's page, an empty body) says nothing useful. */
function errorOf(text: string, fallback: string): string {
  try {
    const message = (JSON.parse(text) as { error?: unknown }).error;
    return typeof message === "string" ? message : fallback;
  } catch {
    return fallback;
  }
}

/** The file name in a resume key `vt-upload:<name>:<size>:<date>` (names may hold colons). */
function nameInKey(key: string): string {
  const rest = key.slice(PREFIX.length);
  return rest.slice(0, rest.lastIndexOf(":", rest.lastIndexOf(":") - 1));
}

export function upload(root: HTMLElement): void {
  const form = root.closest("form");
  const input = root.querySelector<HTMLInputElement>('input[type="file"]');
  const token = form?.querySelector<HTMLInputElement>('input[name="_csrf"]')?.value;
  if (!form || !input || !token) return;
  const data = root.dataset;
  const maxFormBytes = Number(data.maxFormBytes);
  const box = root.querySelector<HTMLElement>(".upload-progress")!;
  const bar = box.querySelector("progress")!;
  const status = box.querySelector<HTMLElement>(".upload-status")!;
  const errorLine = root.querySelector<HTMLElement>(".upload-error")!;
  const submit = form.querySelector<HTMLButtonElement>('button[type="submit"]');
  const megabytes = new Intl.NumberFormat(data.locale, { maximumFractionDigits: 1 });
  const size = (bytes: number) => `${megabytes.format(bytes / 1024 / 1024)} MB`;

  const unfinished = Object.keys(localStorage).find((key) => key.startsWith(PREFIX));
  const unfinishedLine = root.querySelector<HTMLElement>(".upload-unfinished")!;
  if (unfinished) {
    unfinishedLine.textContent = fill(data.msgUnfinished ?? "", { name: nameInKey(unfinished) });
    unfinishedLine.hidden = false;
  }

  async function request(method: string, url: string, body?: unknown): Promise<Response> {
    return fetch(url, {
      method,
      headers: body === undefined ? { "X-CSRF-Token": token! } : { "X-CSRF-Token": token!, "Content-Type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async function resumeOrStart(file: File, key: string): Promise<UploadState> {
    const saved = localStorage.getItem(key);
    if (saved) {
      const res = await fetch(`/app/upload/multipart/${encodeURIComponent(saved)}`).catch(() => null);
      if (res?.ok) {
        const found = (await res.json()) as UploadState;
        if (found.status === "open") return found;
      }
      localStorage.removeItem(key);
    }
    const res = await request("POST", "/app/upload/multipart", { name: file.name, size: file.size });
    if (!res.ok) throw new UploadStopped(errorOf(await res.text(), data.msgNetwork ?? ""));
    const created = (await res.json()) as UploadState;
    localStorage.setItem(key, created.upload_id);
    return created;
  }

  async function sendInParts(file: File): Promise<void> {
    const key = `${PREFIX}${file.name}:${file.size}:${file.lastModified}`;
    const state = await resumeOrStart(file, key);
    const count = Math.max(1, Math.ceil(file.size / state.part_size));
    const partBlob = (n: number) => file.slice((n - 1) * state.part_size, Math.min(file.size, n * state.part_size));
    const have = new Set(state.parts.filter((p) => p.size === partBlob(p.part_number).size).map((p) => p.part_number));
    let sent = [...have].reduce((total, n) => total + partBlob(n).size, 0);
    const show = (extra: number) => {
      bar.value = Math.floor(((sent + extra) / file.size) * 100);
      status.textContent = fill(data.msgSending ?? "", { name: file.name, sent: size(sent + extra), total: size(file.size) });
    };
    if (have.size > 0) status.textContent = fill(data.msgResuming ?? "", { done: have.size, total: count });
    for (let n = 1; n <= count; n++) {
      if (have.has(n)) continue;
      const blob = partBlob(n);
      for (let attempt = 0; ; attempt++) {
        const res = await put(`/app/upload/multipart/${encodeURIComponent(state.upload_id)}/parts/${n}`, blob, token!, show);
        if (res.status >= 200 && res.status < 300) break;
        if (!retriable(res.status)) throw new UploadStopped(errorOf(res.text, data.msgNetwork ?? ""));
        if (attempt >= RETRY_DELAYS_S.length) throw new UploadStopped(data.msgNetwork ?? "");
        status.textContent = fill(data.msgRetrying ?? "", { part: n, seconds: RETRY_DELAYS_S[attempt] });
        await wait(RETRY_DELAYS_S[attempt]);
      }
      sent += blob.size;
      show(0);
    }
    status.textContent = data.msgCompleting ?? "";
    const res = await request("POST", `/app/upload/multipart/${encodeURIComponent(state.upload_id)}/complete`);
    const body = await res.text();
    // A completion that failed ended the upload on the server: the next try starts over.
    localStorage.removeItem(key);
    if (!res.ok) throw new UploadStopped(errorOf(body, data.msgNetwork ?? ""));
    window.location.assign((JSON.parse(body) as { location: string }).location);
  }

  async function start(file: File): Promise<void> {
    errorLine.hidden = true;
    unfinishedLine.hidden = true;
    box.hidden = false;
    bar.value = 0;
    if (submit) submit.disabled = true;
    try {
      await sendInParts(file);
    } catch (error) {
      const reason = error instanceof UploadStopped ? error.message : (data.msgNetwork ?? "");
      errorLine.textContent = fill(data.msgFailed ?? "", { reason });
      errorLine.hidden = false;
      if (submit) submit.disabled = false;
    }
  }

  form.addEventListener("submit", (event) => {
    const file = input.files?.[0];
    if (!file || file.size <= maxFormBytes) return;
    event.preventDefault();
    void start(file);
  });

  root.querySelector<HTMLElement>(".upload-drop-hint")!.hidden = false;
  root.addEventListener("dragover", (event) => {
    event.preventDefault();
    root.classList.add("upload-drop-active");
  });
  root.addEventListener("dragleave", () => root.classList.remove("upload-drop-active"));
  root.addEventListener("drop", (event) => {
    event.preventDefault();
    root.classList.remove("upload-drop-active");
    if (!event.dataTransfer?.files.length) return;
    input.files = event.dataTransfer.files;
    form.requestSubmit();
  });
}
