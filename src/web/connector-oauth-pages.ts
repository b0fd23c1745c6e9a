import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { Locale, Text } from "../core/text";
import type { CallbackContext } from "../services/connectors/oauth";

/**
 * The pages a seller sees between Mercado Livre and Vitrine: the confirmation ("this links your
 * store to account Y") and the outcome when linking fails. Plain HTML, escaped by the `html`
 * template, no scripts and no styles: the form posts back with the single-use state. (They move
 * into the dashboard's layout once the dashboard exists.)
 */

/** No framing (the confirm button cannot be clickjacked), no script, forms only to ourselves, no referrer (the code is in the URL). */
export const PAGE_HEADERS: Record<string, string> = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": "default-src 'none'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
  "x-frame-options": "DENY",
  "referrer-policy": "no-referrer",
  "cache-control": "no-store",
};

/** `seller@example.com` → `s•••@example.com`: enough to recognize one's own account, not to harvest it. */
export function maskEmail(email: string): string {
  const at = email.indexOf("@");
  if (at < 1) return "•••";
  return `${email[0]}•••${email.slice(at)}`;
}

function page(locale: Locale, title: string, body: HtmlEscapedString | Promise<HtmlEscapedString>) {
  return html`<!doctype html>
<html lang="${locale}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${title} · Vitrine</title></head>
<body><main><h1>${title}</h1>${body}</main></body>
</html>`;
}

const WORDS = {
  confirmTitle: { en: "Link your Mercado Livre store", "pt-BR": "Vincular sua loja do Mercado Livre" },
  confirmLead: {
    en: "You authorized Vitrine at Mercado Livre. Confirming links that store to this Vitrine account:",
    "pt-BR": "Você autorizou o Vitrine no Mercado Livre. Ao confirmar, essa loja fica vinculada a esta conta do Vitrine:",
  },
  account: { en: "Vitrine account", "pt-BR": "Conta do Vitrine" },
  connector: { en: "Connector", "pt-BR": "Conector" },
  warning: {
    en: "Only confirm if this is your account. If you did not start this, cancel: someone may be trying to reach your store through their account.",
    "pt-BR": "Só confirme se esta conta é sua. Se não foi você quem começou, cancele: alguém pode estar tentando acessar sua loja pela conta dele.",
  },
  confirm: { en: "Link my store to this account", "pt-BR": "Vincular minha loja a esta conta" },
  cancel: { en: "Cancel", "pt-BR": "Cancelar" },
  failedTitle: { en: "The store was not linked", "pt-BR": "A loja não foi vinculada" },
  nothing: { en: "Nothing was linked. You can close this page.", "pt-BR": "Nada foi vinculado. Você pode fechar esta página." },
  cancelledTitle: { en: "Cancelled", "pt-BR": "Cancelado" },
} satisfies Record<string, Text>;

/** What a connector type links, where it is not a Mercado Livre store. */
const TYPE_WORDS: Record<string, Partial<Record<keyof typeof WORDS, Text>>> = {
  shopee: {
    confirmTitle: { en: "Link your Shopee shop", "pt-BR": "Vincular sua loja da Shopee" },
    confirmLead: {
      en: "You authorized Vitrine at Shopee. Confirming links that shop to this Vitrine account:",
      "pt-BR": "Você autorizou o Vitrine na Shopee. Ao confirmar, essa loja fica vinculada a esta conta do Vitrine:",
    },
  },
  google_sheets: {
    confirmTitle: { en: "Link your Google spreadsheet", "pt-BR": "Vincular sua planilha do Google" },
    confirmLead: {
      en: "You authorized Vitrine at Google. Confirming links the spreadsheet of this connector to this Vitrine account:",
      "pt-BR": "Você autorizou o Vitrine no Google. Ao confirmar, a planilha deste conector fica vinculada a esta conta do Vitrine:",
    },
    confirm: { en: "Link my spreadsheet to this account", "pt-BR": "Vincular minha planilha a esta conta" },
  },
};

export function confirmationPage(locale: Locale, context: CallbackContext, code: string, action: string, shopId?: string) {
  const w = (key: keyof typeof WORDS) => (TYPE_WORDS[context.connector.type]?.[key] ?? WORDS[key])[locale];
  return page(
    locale,
    w("confirmTitle"),
    html`<p>${w("confirmLead")}</p>
<dl><dt>${w("account")}</dt><dd>${context.account.name} (${maskEmail(context.account.email)})</dd>
<dt>${w("connector")}</dt><dd>${context.connector.name} (${context.connector.id})</dd></dl>
<p><strong>${w("warning")}</strong></p>
<form method="post" action="${action}">
<input type="hidden" name="state" value="${context.state}">
<input type="hidden" name="code" value="${code}">
${shopId ? html`<input type="hidden" name="shop_id" value="${shopId}">` : ""}
<button type="submit" name="decision" value="confirm">${w("confirm")}</button>
<button type="submit" name="decision" value="cancel">${w("cancel")}</button>
</form>`,
  );
}

export function failurePage(locale: Locale, reason: Text) {
  return page(locale, WORDS.failedTitle[locale], html`<p>${reason[locale]}</p><p>${WORDS.nothing[locale]}</p>`);
}

export function cancelledPage(locale: Locale) {
  return page(locale, WORDS.cancelledTitle[locale], html`<p>${WORDS.nothing[locale]}</p>`);
}
