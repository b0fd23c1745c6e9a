/** `<form data-module="confirm" data-confirm="Question?">`: asks before an action that cannot be undone. */
export function confirmSubmit(form: HTMLElement): void {
  if (!(form instanceof HTMLFormElement)) return;
  form.addEventListener("submit", (event) => {
    if (!window.confirm(form.dataset.confirm ?? "")) event.preventDefault();
  });
}
