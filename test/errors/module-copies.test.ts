// `o1c serve` (tsx) and Next's bundle each load their own copy of server/errors.ts, and objects made by one are
// handled by the other's code. A query string makes vite load a second copy of the module here, the same situation.
import { describe, expect, it } from "vitest";
import { AppError, ConflictError, NotFoundError, UpstreamError, ValidationError, errorCode } from "../../server/errors.ts";
import { RewardRequestError } from "../../server/reward/reward-request.ts";

type ErrorsModule = typeof import("../../server/errors.ts");
const otherCopy = async (): Promise<ErrorsModule> => (await import(/* @vite-ignore */ `${"../../server/errors.ts"}?other-copy`)) as ErrorsModule;

describe("domain errors from another copy of the errors module", () => {
  it("is a second copy, with classes of its own", async () => {
    const other = await otherCopy();
    expect(other.ValidationError).not.toBe(ValidationError);
  });

  it("are recognised by kind, and map to their own codes, not to a 500", async () => {
    const other = await otherCopy();
    const validation = new other.ValidationError("bad", "field x");
    expect(validation).toBeInstanceOf(ValidationError);
    expect(validation).toBeInstanceOf(AppError);
    expect(validation).not.toBeInstanceOf(NotFoundError);
    expect(errorCode(validation)).toBe("BAD_REQUEST");
    expect(errorCode(new other.NotFoundError("gone"))).toBe("NOT_FOUND");
    expect(errorCode(new other.ConflictError("busy"))).toBe("CONFLICT");
    expect(errorCode(new other.UpstreamError("down"))).toBe("BAD_GATEWAY");
    expect(new other.ConflictError("busy")).not.toBeInstanceOf(UpstreamError);
  });

  it("recognises a reward request error thrown by another copy of its module (the reward route's case)", async () => {
    type RewardRequestModule = typeof import("../../server/reward/reward-request.ts");
    const other = (await import(/* @vite-ignore */ `${"../../server/reward/reward-request.ts"}?other-copy`)) as RewardRequestModule;
    expect(other.RewardRequestError).not.toBe(RewardRequestError);
    expect(new other.RewardRequestError(422, "no problem 'x'", "labels[0]")).toBeInstanceOf(RewardRequestError);
    expect(new NotFoundError("gone")).not.toBeInstanceOf(RewardRequestError);
  });

  it("keeps instanceof strict for a subclass that declares no kind, and false for plain errors", async () => {
    const other = await otherCopy();
    class LocalConflict extends ConflictError {}
    expect(new other.ConflictError("x")).not.toBeInstanceOf(LocalConflict);
    expect(new LocalConflict("x")).toBeInstanceOf(ConflictError);
    expect(new Error("plain")).not.toBeInstanceOf(AppError);
    expect(null).not.toBeInstanceOf(AppError);
  });
});
