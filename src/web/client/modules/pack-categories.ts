/**
 * `<select data-module="pack-categories" data-target="f-category">` on the start-validation form:
 * the category list offers only the chosen rule pack's categories (each pack's are an
 * `<optgroup data-pack="id">`). Without the script every group is listed and the server checks.
 */
export function packCategories(select: HTMLElement): void {
  const target = document.getElementById(select.dataset.target ?? "");
  if (!(select instanceof HTMLSelectElement) || !(target instanceof HTMLSelectElement)) return;
  const sync = () => {
    for (const group of target.querySelectorAll("optgroup")) {
      const other = group.dataset.pack !== select.value;
      group.hidden = other;
      group.disabled = other;
    }
    if (target.selectedOptions[0]?.disabled) target.value = "";
  };
  select.addEventListener("change", sync);
  sync();
}
