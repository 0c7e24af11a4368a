// Responses to this machine go uncompressed. Next gzips every page, RSC payload and script chunk on each request (it
// keeps no compressed copies): over loopback the bytes cost nothing, while the gzip cost the server ~35 ms of CPU per
// load of a 10,000-node tree page (its HTML with the tree, and twelve script chunks: ~20 ms of it for the chunks),
// on the cores the browser rendering that page shares with it. Clients on other machines
// (O1C_TOKEN, non-loopback binding) still get gzip. A reverse proxy on this machine gets plain responses and
// compresses for its own clients, as proxies do.
import type { IncomingMessage } from "node:http";
import { isLoopbackHost } from "./access.ts";

/** True for a connection from this machine (a socket's remote address): a loopback host, or IPv4 loopback written as
 * IPv6 (::ffff:127.0.0.1). */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (!address) return false;
  return isLoopbackHost(address.startsWith("::ffff:") ? address.slice(7) : address);
}

/** Drops `Accept-Encoding` from a loopback request, so Next answers it uncompressed. */
export function skipCompressionOnLoopback(req: IncomingMessage): void {
  if (isLoopbackAddress(req.socket.remoteAddress)) delete req.headers["accept-encoding"];
}
