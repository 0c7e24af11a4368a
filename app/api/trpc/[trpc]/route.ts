import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { appRouter, createContext } from "@/server/api";
import { rejectCrossSite } from "@/server/http";

export const dynamic = "force-dynamic";

function handler(req: Request) {
  const refused = rejectCrossSite(req);
  if (refused) return refused;
  return fetchRequestHandler({ endpoint: "/api/trpc", req, router: appRouter, createContext });
}

export { handler as GET, handler as POST };
