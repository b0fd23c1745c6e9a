import { setLocale } from "../../services/profile";
import type { Web } from "../context";
import { writeCookie } from "../cookies";
import { formValues } from "../forms";
import { isLocale } from "../i18n";

/** Same-site paths only: the switch returns to the page it was pressed on, never elsewhere. */
function samePagePath(value: string | undefined): string {
  return value && /^\/(?![/\\])[^\s]*$/.test(value) ? value : "/";
}

/**
 * `POST /language`: the header's language switch. Remembered in a cookie (before sign-in) and on
 * the account (after), so it follows the seller to other browsers.
 */
export function mountLanguage(web: Web) {
  web.post("/language", async (c) => {
    const values = await formValues(c);
    if (isLocale(values.locale)) {
      writeCookie(c, "vt_lang", values.locale, 365 * 24 * 3600);
      const session = c.get("session");
      if (session) await setLocale(c.env, session.account.id, values.locale);
    }
    return c.redirect(samePagePath(values.next), 303);
  });
}
