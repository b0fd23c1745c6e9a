import { config } from "../../config";
import { constantTimeEqual } from "../../core/crypto/constant-time";
import { bytesToBase64 } from "../../core/crypto/base64";
import { formatP95, formatRate, type KpiWindow } from "../../core/kpis/report";
import { text } from "../../core/text";
import { readKpis } from "../../services/kpis";
import { Form, SubmitButton } from "../components/form";
import type { Web, WebContext } from "../context";
import { clearCookie, readCookie, writeCookie } from "../cookies";
import { notFoundPage } from "../errors";
import { formValues } from "../forms";
import { renderPage } from "../render";

/** How long the operator stays signed in on one browser. */
const OPERATOR_SESSION_SECONDS = 3600;

const encoder = new TextEncoder();

/** `expiry.mac`: the MAC is keyed by the token itself, so rotating OPERATOR_TOKEN signs every browser out. */
async function operatorCookieValue(token: string, expiresAt: number): Promise<string> {
  const key = await crypto.subtle.importKey("raw", encoder.encode(token), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(`vitrine-operator:${expiresAt}`)));
  return `${expiresAt}.${bytesToBase64(mac).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}`;
}

async function operatorSignedIn(c: WebContext, token: string): Promise<boolean> {
  const cookie = readCookie(c, "vt_operator");
  const expiresAt = Number(cookie?.split(".")[0]);
  if (!cookie || !Number.isSafeInteger(expiresAt) || expiresAt <= Date.now()) return false;
  return constantTimeEqual(cookie, await operatorCookieValue(token, expiresAt));
}

const T = {
  title: text("Operator: KPIs", "Operador: KPIs"),
  signInTitle: text("Operator sign-in", "Entrada do operador"),
  signInHelp: text(
    "Paste the deployment's OPERATOR_TOKEN. You stay signed in on this browser for one hour.",
    "Cole o OPERATOR_TOKEN da implantação. Você fica conectado neste navegador por uma hora.",
  ),
  token: text("Operator token", "Token do operador"),
  signIn: text("Sign in", "Entrar"),
  signOut: text("Sign out", "Sair"),
  wrongToken: text("That is not this deployment's operator token.", "Esse não é o token de operador desta implantação."),
  last24: text("Last 24 hours", "Últimas 24 horas"),
  last7: text("Last 7 days", "Últimos 7 dias"),
  jobs: text("Job success rate", "Taxa de sucesso dos jobs"),
  jobCounts: text("completed / failed / cancelled", "concluídos / falhos / cancelados"),
  firstAttempt: text("Webhooks delivered at the first attempt", "Webhooks entregues na primeira tentativa"),
  eventual: text("Webhooks eventually delivered", "Webhooks entregues ao final"),
  route: text("Route", "Rota"),
  requests: text("Requests", "Requisições"),
  errors: text("5xx", "5xx"),
  p95: text("p95 latency", "Latência p95"),
  noRequests: text("No requests in this window.", "Nenhuma requisição neste período."),
  note: text(
    "Counted per UTC hour in D1 (the current hour included). p95 is the upper bound of the histogram bucket that holds it. Job success rate leaves cancelled jobs out.",
    "Contado por hora UTC no D1 (a hora atual incluída). A p95 é o limite superior da faixa do histograma que a contém. A taxa de sucesso dos jobs não inclui jobs cancelados.",
  ),
};

function WindowSection(props: { c: WebContext; window: KpiWindow }) {
  const i = props.c.get("i18n");
  const w = props.window;
  const heading = `kpi-${w.hours}`;
  return (
    <section class="panel" aria-labelledby={heading}>
      <h2 id={heading}>{i.text(w.hours === 24 ? T.last24 : T.last7)}</h2>
      <dl class="kpis">
        <dt>{i.text(T.jobs)}</dt>
        <dd>
          {formatRate(w.jobs.successRate)} ({i.text(T.jobCounts)}: {w.jobs.completed} / {w.jobs.failed} / {w.jobs.cancelled})
        </dd>
        <dt>{i.text(T.firstAttempt)}</dt>
        <dd>
          {formatRate(w.webhooks.firstAttemptRate)} ({w.webhooks.firstAttemptSucceeded} / {w.webhooks.firstAttempts})
        </dd>
        <dt>{i.text(T.eventual)}</dt>
        <dd>
          {formatRate(w.webhooks.eventualRate)} ({w.webhooks.delivered} / {w.webhooks.outcomes})
        </dd>
      </dl>
      {w.routes.length === 0 ? (
        <p>{i.text(T.noRequests)}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">{i.text(T.route)}</th>
              <th scope="col">{i.text(T.requests)}</th>
              <th scope="col">{i.text(T.errors)}</th>
              <th scope="col">{i.text(T.p95)}</th>
            </tr>
          </thead>
          <tbody>
            {w.routes.map((r) => (
              <tr>
                <th scope="row">
                  <code>{r.route}</code>
                </th>
                <td>{r.requests}</td>
                <td>{r.errors}</td>
                <td>{formatP95(r.p95Ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function signInPage(c: WebContext, status: 200 | 401, message?: string) {
  const i = c.get("i18n");
  return renderPage(c, {
    title: i.text(T.signInTitle),
    status,
    notice: "",
    body: (
      <section class="panel narrow">
        <h1>{i.text(T.signInTitle)}</h1>
        {message && (
          <p class="notice error" role="alert">
            {message}
          </p>
        )}
        <p>{i.text(T.signInHelp)}</p>
        <Form action="/operator/sign-in" csrf={c.get("csrfToken")} class="stack">
          <label for="operator-token">{i.text(T.token)}</label>
          <input id="operator-token" name="token" type="password" required autocomplete="off" maxlength={512} />
          <SubmitButton>{i.text(T.signIn)}</SubmitButton>
        </Form>
      </section>
    ),
  });
}

/**
 * `/operator`: the deployment's KPIs for whoever holds OPERATOR_TOKEN. While the secret is unset
 * every operator path is the dashboard's 404, and a seller's session opens nothing here: the
 * operator signs in with the token, which sets a separate one-hour cookie.
 */
export function mountOperator(web: Web) {
  web.get("/operator", async (c) => {
    const token = config(c.env).operatorToken;
    if (!token) return notFoundPage(c);
    if (!(await operatorSignedIn(c, token))) return signInPage(c, 200);
    const i = c.get("i18n");
    const windows = await readKpis(c.env);
    const res = await renderPage(c, {
      title: i.text(T.title),
      notice: "",
      body: (
        <>
          <section class="panel">
            <h1>{i.text(T.title)}</h1>
            <p>{i.text(T.note)}</p>
            <Form action="/operator/sign-out" csrf={c.get("csrfToken")} class="inline-form">
              <button type="submit" class="link-button">
                {i.text(T.signOut)}
              </button>
            </Form>
          </section>
          {windows.map((w) => (
            <WindowSection c={c} window={w} />
          ))}
        </>
      ),
    });
    res.headers.set("Cache-Control", "no-store");
    return res;
  });

  web.post("/operator/sign-in", async (c) => {
    const token = config(c.env).operatorToken;
    if (!token) return notFoundPage(c);
    const presented = (await formValues(c)).token ?? "";
    if (!constantTimeEqual(presented, token)) {
      console.log(JSON.stringify({ level: "warn", msg: "operator.sign_in_refused", request_id: c.get("requestId") }));
      return signInPage(c, 401, c.get("i18n").text(T.wrongToken));
    }
    const expiresAt = Date.now() + OPERATOR_SESSION_SECONDS * 1000;
    writeCookie(c, "vt_operator", await operatorCookieValue(token, expiresAt), OPERATOR_SESSION_SECONDS);
    return c.redirect("/operator", 303);
  });

  web.post("/operator/sign-out", async (c) => {
    if (!config(c.env).operatorToken) return notFoundPage(c);
    clearCookie(c, "vt_operator");
    return c.redirect("/operator", 303);
  });
}
