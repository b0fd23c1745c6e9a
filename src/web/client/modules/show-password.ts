/**
 * `<input type="checkbox" data-module="show-password" data-target="f-password">` inside a hidden
 * label: shows the switch, and switches the password field between hidden and visible text.
 */
export function showPassword(checkbox: HTMLElement): void {
  const target = document.getElementById(checkbox.dataset.target ?? "");
  if (!(checkbox instanceof HTMLInputElement) || !(target instanceof HTMLInputElement)) return;
  const label = checkbox.closest("label");
  if (label) label.hidden = false;
  checkbox.addEventListener("change", () => {
    target.type = checkbox.checked ? "text" : "password";
  });
}
