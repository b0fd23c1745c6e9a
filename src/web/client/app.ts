/**
 * The dashboard's one script. Pages work without it (every action is a plain form); it only adds
 * comfort. An element opts in with `data-module="name"`; each module is a function that receives
 * the element. To add one, write `modules/<name>.ts` and list it below.
 */
import { confirmSubmit } from "./modules/confirm";
import { jobProgress } from "./modules/job-progress";
import { showPassword } from "./modules/show-password";

const MODULES: Record<string, (element: HTMLElement) => void> = {
  confirm: confirmSubmit,
  "show-password": showPassword,
  "job-progress": jobProgress,
};

for (const element of document.querySelectorAll<HTMLElement>("[data-module]")) {
  for (const name of (element.dataset.module ?? "").split(/\s+/)) {
    if (name) MODULES[name]?.(element);
  }
}
