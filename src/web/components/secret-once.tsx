import type { I18n } from "../i18n";

/**
 * A secret the server will never show again (an API key, a webhook signing secret): plain,
 * selectable text, and a copy button the script reveals. The caller says what it is and why it
 * is shown once.
 */
export function SecretOnce(props: { i: I18n; id: string; title: string; lead: string; secret: string }) {
  const { i, id } = props;
  return (
    <section class="panel secret-once" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{props.title}</h2>
      <p>{props.lead}</p>
      <p class="secret-row">
        <code id={id} class="secret">
          {props.secret}
        </code>
        <button
          type="button"
          class="button secondary small"
          hidden
          data-module="copy-secret"
          data-target={id}
          data-status={`${id}-status`}
          data-copied={i.t("secret.copied")}
          data-failed={i.t("secret.copyFailed")}
        >
          {i.t("secret.copy")}
        </button>
      </p>
      <p id={`${id}-status`} class="hint" role="status"></p>
    </section>
  );
}
