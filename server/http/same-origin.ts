// Browsers attach cookies to cross-site requests, so a page on another site could otherwise POST to our API
// (tRPC mutations, uploads) from the researcher's browser. Refuse state-changing requests that a browser marks as
// cross-site, or whose Origin differs from the Host they were sent to. Non-browser clients (curl, the CLI) send
// neither header and are unaffected.
export function rejectCrossSite(req: Request): Response | null {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return null;
  const site = req.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") return forbidden(`cross-site request refused (Sec-Fetch-Site: ${site})`);
  const origin = req.headers.get("origin");
  const host = req.headers.get("host");
  if (origin && host && safeHost(origin) !== host) return forbidden(`cross-origin request refused (Origin ${origin} is not ${host})`);
  return null;
}

function safeHost(origin: string): string | null {
  try {
    return new URL(origin).host;
  } catch {
    return null;
  }
}

function forbidden(message: string): Response {
  return Response.json({ error: message }, { status: 403 });
}
