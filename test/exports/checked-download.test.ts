// A checked download link asks the export route `check=1` (answered without the file) before the browser downloads,
// never the download itself, and turns a refusal into the reason the page shows.
import { describe, expect, it, vi } from "vitest";
import { askServer, checkHref } from "../../components/ui/checked-download.tsx";

const HREF = "/api/experiments/e%201/export?format=dpo&source=human";

function answering(response: Response) {
  return vi.fn<typeof fetch>(async () => response);
}

describe("a checked download", () => {
  it("checks the same export with check=1", () => {
    expect(checkHref(HREF)).toBe("/api/experiments/e%201/export?format=dpo&source=human&check=1");
    expect(checkHref("/api/experiments/e1/export")).toBe("/api/experiments/e1/export?check=1");
  });

  it("asks only the check, once, and lets the download go on a 204", async () => {
    const fetchImpl = answering(new Response(null, { status: 204 }));
    expect(await askServer(HREF, fetchImpl)).toBeNull();
    expect(fetchImpl).toHaveBeenCalledTimes(1);
    expect(fetchImpl.mock.calls[0]![0]).toBe(checkHref(HREF));
  });

  it("gives the server's reason for a refusal", async () => {
    const refusal = new Response(JSON.stringify({ error: "experiment 'x' has no DPO records from human judgements" }), { status: 409 });
    expect(await askServer(HREF, answering(refusal))).toBe("experiment 'x' has no DPO records from human judgements");
  });

  it("says the server could not be reached", async () => {
    const fetchImpl = vi.fn<typeof fetch>(async () => {
      throw new TypeError("Failed to fetch");
    });
    expect(await askServer(HREF, fetchImpl)).toBe("the server could not be reached (Failed to fetch)");
  });
});
