import type { Child } from "hono/jsx";
import type { FieldProblem } from "../../core/errors";
import { CSRF_FIELD } from "../csrf";
import type { I18n } from "../i18n";

/** Problems of a submitted form, by field name, rendered in the reader's language. */
export type FieldErrors = Record<string, string>;

export function fieldErrors(i: I18n, problems: FieldProblem[] | undefined): FieldErrors {
  const out: FieldErrors = {};
  for (const p of problems ?? []) if (p.pointer && !out[p.pointer]) out[p.pointer] = i.text(p.detail);
  return out;
}

/**
 * A form that posts to this site with its CSRF token. Every dashboard form is one of these, so
 * none can forget the token.
 */
export function Form(props: {
  action: string;
  csrf: string;
  children: Child;
  class?: string;
  confirm?: string;
  id?: string;
  "aria-labelledby"?: string;
  /** "multipart/form-data" for forms that carry a file. */
  enctype?: "multipart/form-data";
}) {
  return (
    <form
      method="post"
      action={props.action}
      enctype={props.enctype}
      class={props.class}
      id={props.id}
      aria-labelledby={props["aria-labelledby"]}
      data-module={props.confirm ? "confirm" : undefined}
      data-confirm={props.confirm}
    >
      <input type="hidden" name={CSRF_FIELD} value={props.csrf} />
      {props.children}
    </form>
  );
}

interface FieldProps {
  name: string;
  label: string;
  type?: "text" | "email" | "password" | "search" | "url";
  value?: string;
  error?: string;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  inputmode?: "text" | "numeric" | "email";
  maxlength?: number;
  /** Adds the "show password" switch (visible only when the script runs). */
  reveal?: { label: string };
}

/** A labelled input with its hint and error tied to it for screen readers. */
export function Field(props: FieldProps) {
  const id = `f-${props.name}`;
  const described = [props.hint ? `${id}-hint` : "", props.error ? `${id}-error` : ""].filter(Boolean).join(" ");
  return (
    <div class={props.error ? "field field-invalid" : "field"}>
      <label for={id}>{props.label}</label>
      {props.hint && (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      )}
      {props.error && (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      )}
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        value={props.type === "password" ? undefined : props.value}
        required={props.required}
        autocomplete={props.autocomplete}
        inputmode={props.inputmode}
        maxlength={props.maxlength}
        aria-invalid={props.error ? "true" : undefined}
        aria-describedby={described || undefined}
      />
      {props.reveal && (
        <label class="reveal" hidden>
          <input type="checkbox" data-module="show-password" data-target={id} /> {props.reveal.label}
        </label>
      )}
    </div>
  );
}

/** A list of what is wrong at the top of a form, each item linking to its field. */
export function ErrorSummary(props: { i: I18n; errors: FieldErrors; labels: Record<string, string>; message?: string }) {
  const entries = Object.entries(props.errors);
  if (entries.length === 0 && !props.message) return null;
  return (
    <div class="error-summary" role="alert" tabindex={-1}>
      {props.message && <p>{props.message}</p>}
      {entries.length > 0 && (
        <>
          <p>{props.i.t("form.errorsTitle")}</p>
          <ul>
            {entries.map(([name, error]) => (
              <li>
                <a href={`#f-${name}`}>{props.labels[name] ? `${props.labels[name]}: ${error}` : error}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function SubmitButton(props: { children: Child; class?: string; "aria-label"?: string }) {
  return (
    <button type="submit" class={props.class ?? "button"} aria-label={props["aria-label"]}>
      {props.children}
    </button>
  );
}
