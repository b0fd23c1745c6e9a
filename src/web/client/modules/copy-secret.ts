/**
 * `<button type="button" hidden data-module="copy-secret" data-target="id" data-copied="…" data-failed="…">`
 * next to a secret shown once: shows the button and copies the secret's text to the clipboard,
 * saying so in the element named by `data-status`. Without the script the secret stays selectable text.
 */
export function copySecret(button: HTMLElement): void {
  const secret = document.getElementById(button.dataset.target ?? "");
  const status = document.getElementById(button.dataset.status ?? "");
  if (!(button instanceof HTMLButtonElement) || !secret || !navigator.clipboard) return;
  button.hidden = false;
  button.addEventListener("click", async () => {
    let said = button.dataset.copied ?? "";
    try {
      await navigator.clipboard.writeText(secret.textContent ?? "");
    } catch {
      said = button.dataset.failed ?? "";
      window.getSelection()?.selectAllChildren(secret);
    }
    if (status) status.textContent = said;
  });
}
