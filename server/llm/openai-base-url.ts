// Users paste a server address in many forms ("http://gpu:8000", ".../v1/"); requests need ".../v1/<route>".
import { ValidationError } from "../errors.ts";

export type OpenAiRoute = "chat/completions" | "completions" | "models";

/** Adds the `/v1` prefix unless the path already ends with it, and drops trailing slashes. */
export function resolveApiBase(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw new ValidationError(`"${baseUrl}" is not a URL (expected e.g. http://localhost:8000/v1)`, "llm base URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new ValidationError(`"${baseUrl}" must start with http:// or https://`, "llm base URL");
  }
  const path = url.pathname.replace(/\/+$/, "");
  url.pathname = path.endsWith("/v1") ? path : `${path}/v1`;
  url.search = "";
  url.hash = "";
  return url;
}

export function routeUrl(apiBase: URL, route: OpenAiRoute): URL {
  return new URL(`${apiBase.pathname}/${route}`, apiBase);
}
