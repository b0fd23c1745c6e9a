/**
 * Starts the API reference (Scalar, loaded just before this script) on /docs. Problem `type` URIs
 * point at /docs#error-<code>, an anchor the error catalogue used to have on this page: those go on
 * to /docs/errors, which has them now, so every type URI an API client ever received still resolves.
 */
interface ScalarGlobal {
  createApiReference(selector: string | HTMLElement, configuration: Record<string, unknown>): unknown;
}

const ERROR_FRAGMENT = /^#error-[a-z0-9-]+$/;

/** True when the fragment was an error anchor and the catalogue is being opened instead. */
function forwardErrorAnchor(): boolean {
  if (!ERROR_FRAGMENT.test(location.hash)) return false;
  location.replace(`/docs/errors${location.hash}`);
  return true;
}

function start() {
  // Also when a link on this page changes only the fragment (the page is not loaded again then).
  window.addEventListener("hashchange", forwardErrorAnchor);
  if (forwardErrorAnchor()) return;
  const mount = document.getElementById("reference");
  const scalar = (window as unknown as { Scalar?: ScalarGlobal }).Scalar;
  if (!mount || !scalar) return;
  scalar.createApiReference(mount, {
    url: mount.dataset.openapi,
    // "Try it" sends requests to this origin, with the key the reader types under Authentication.
    servers: [{ url: location.origin, description: "This server" }],
    authentication: { preferredSecurityScheme: "bearerAuth" },
    persistAuth: false,
    defaultHttpClient: { targetKey: "shell", clientKey: "curl" },
    // Nothing leaves this origin: no web fonts from Scalar's CDN, no telemetry, no hosted agent.
    withDefaultFonts: false,
    telemetry: false,
    agent: { disabled: true },
    showDeveloperTools: "never",
    metaData: { title: "Vitrine API reference" },
  });
}

start();
