/**
 * The dashboard's one script. Pages work without it (every action is a plain form); it only adds
 * comfort. An element opts in with `data-module="name"`; each module is a function that receives
 * the element. To add one, write `modules/<name>.ts` and list it below.
 */
import { confirmSubmit } from "./modules/confirm";
import { copySecret } from "./modules/copy-secret";
import { jobProgress } from "./modules/job-progress";
import { showPassword } from "./modules/show-password";
// Catalog upload
import { packCategories } from "./modules/pack-categories";
import { upload } from "./modules/upload";

const MODULES: Record<string, (element: HTMLElement) => void> = {
  confirm: confirmSubmit,
  "show-password": showPassword,
  // Catalog upload
  upload,
  "pack-categories": packCategories,
  "copy-secret": copySecret,
  "job-progress": jobProgress,
};

for (const element of document.querySelectorAll<HTMLElement>("[data-module]")) {
  for (const name of (element.dataset.module ?? "").split(/\s+/)) {
    if (name) MODULES[name]?.(element);
  }
}
