// Who may talk to the server. Bound to loopback (the default) only this machine's users can connect. Listening on
// any other address requires an access token (O1C_TOKEN) on every request, given as `Authorization: Bearer …`, the
// `o1c_token` cookie, or once as `?token=…` (which sets the cookie and redirects to the same URL without it); a POST
// to the reward endpoint may carry `?token=…` itself (its RL clients send no header).
import { timingSafeEqual } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { ValidationError } from "../errors.ts";

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/** Where a POST may carry the token in its URL (app/api/reward/…). */
const REWARD_PATH_PREFIX = "/api/reward/";

export function isLoopbackHost(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith("127.");
}

/** Throws when the server would be reachable from other machines without a token. */
export function assertSafeBinding(host: string, token: string | undefined): void {
  if (!isLoopbackHost(host) && !token) {
    // A ValidationError naming the flag: the CLI prints it as a refusal (exit 1), not as an unexpected error.
    throw new ValidationError(
      `refusing to listen on ${host} without an access token: anyone who can reach this address could run code ` +
        `through experiments. Set O1C_TOKEN to a long random secret, or listen on 127.0.0.1.`,
      "--host",
    );
  }
}

/** Returns true when the request may proceed; otherwise it has already been answered. */
export function enforceToken(req: IncomingMessage, res: ServerResponse, token: string | undefined): boolean {
  if (!token) return true;
  const url = new URL(req.url ?? "/", "http://placeholder");
  const fromQuery = url.searchParams.get("token");
  // A page read with ?token= is redirected to set the cookie (the token leaves the address bar). A POST to the reward
  // endpoint comes from an RL engine that cannot send a header (OpenRLHF's --remote_rm_url posts with a content type
  // only): it is let through, the token taken out of the URL the app sees (a 303 would turn its POST into a GET).
  if (fromQuery !== null && req.method === "POST" && url.pathname.startsWith(REWARD_PATH_PREFIX) && sameSecret(fromQuery, token)) {
    url.searchParams.delete("token");
    req.url = url.pathname + url.search;
    return true;
  }
  if (fromQuery !== null && sameSecret(fromQuery, token)) {
    url.searchParams.delete("token");
    res.writeHead(303, {
      "set-cookie": `o1c_token=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
      location: url.pathname + url.search,
    });
    res.end();
    return false;
  }
  if (sameSecret(bearer(req) ?? cookie(req, "o1c_token") ?? "", token)) return true;
  res.writeHead(401, { "content-type": "text/plain; charset=utf-8" });
  res.end("O1-Coder Studio: access token required. Open this page with ?token=<O1C_TOKEN> once, or send Authorization: Bearer <token>.\n");
  return false;
}

function bearer(req: IncomingMessage): string | null {
  const header = req.headers.authorization;
  return header?.startsWith("Bearer ") ? header.slice(7) : null;
}

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return decodeURIComponent(value.join("="));
  }
  return null;
}

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
