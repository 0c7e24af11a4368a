// OpenRLHF's remote reward protocol, checked: the trainer POSTs {"query": [prompt + response], "prompts": [prompt],
// "labels": [label]} and reads "rewards" (newer versions also "scores" and "extra_logs"), one per query. Every
// mistake is a RewardRequestError with an HTTP status and the item it is about (`labels[3]`), so a trainer's log
// says which sample of which batch was wrong.

import { AppError } from "../errors.ts";

export const DEFAULT_MAX_BATCH = 1_024;
/** One completion larger than this is refused (MBPP-size completions are a few KB). */
export const MAX_QUERY_CHARS = 200_000;

/**
 * An AppError with a kind of its own, so that `instanceof` knows it across module copies (server/errors.ts): under
 * `o1c serve` the reward service is built outside Next's bundle, and the route that catches this error is inside it.
 */
export class RewardRequestError extends AppError {
  static override readonly kind: string = "RewardRequestError";

  constructor(
    readonly status: 400 | 404 | 413 | 422 | 503,
    message: string,
    readonly where?: string,
  ) {
    super(where ? `${where}: ${message}` : message);
  }
}

export interface RewardItem {
  prompt: string;
  /** The completion: query minus its prompt prefix. */
  response: string;
  /** dataset name / external id, e.g. "mbpp/11". */
  label: { dataset: string; externalId: string; text: string };
}

export function parseRewardRequest(bodyText: string, maxBatch = DEFAULT_MAX_BATCH): RewardItem[] {
  let body: unknown;
  try {
    body = JSON.parse(bodyText);
  } catch (error) {
    throw new RewardRequestError(400, `the body is not JSON (${(error as Error).message})`);
  }
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new RewardRequestError(400, "the body must be a JSON object {query, prompts, labels}");
  const { query, prompts, labels } = body as Record<string, unknown>;
  const queries = stringList(query, "query");
  if (queries.length === 0) throw new RewardRequestError(400, "is empty", "query");
  if (queries.length > maxBatch) throw new RewardRequestError(413, `${queries.length} items; at most ${maxBatch} per request (split the batch)`, "query");
  const promptList = stringList(prompts, "prompts");
  const labelList = stringList(labels, "labels");
  if (promptList.length !== queries.length) throw new RewardRequestError(400, `${promptList.length} items for ${queries.length} queries`, "prompts");
  if (labelList.length !== queries.length) throw new RewardRequestError(400, `${labelList.length} items for ${queries.length} queries`, "labels");
  return queries.map((q, i) => {
    if (q.length > MAX_QUERY_CHARS) throw new RewardRequestError(413, `${q.length} characters; at most ${MAX_QUERY_CHARS}`, `query[${i}]`);
    if (!q.startsWith(promptList[i]!)) throw new RewardRequestError(400, "does not start with prompts[" + i + "] (query must be the prompt followed by the response)", `query[${i}]`);
    return { prompt: promptList[i]!, response: q.slice(promptList[i]!.length), label: parseLabel(labelList[i]!, i) };
  });
}

function stringList(value: unknown, field: string): string[] {
  if (!Array.isArray(value)) throw new RewardRequestError(400, "must be a list of strings", field);
  value.forEach((item, i) => {
    if (typeof item !== "string") throw new RewardRequestError(400, `must be a string, got ${item === null ? "null" : typeof item}`, `${field}[${i}]`);
  });
  return value as string[];
}

/** "mbpp/11" → dataset "mbpp", external id "11"; the first "/" splits, so "humaneval/HumanEval/0" works too. */
export function parseLabel(text: string, index: number) {
  const slash = text.indexOf("/");
  if (slash <= 0 || slash === text.length - 1) throw new RewardRequestError(400, `'${text}' does not name a problem as dataset/id (e.g. mbpp/11)`, `labels[${index}]`);
  return { dataset: text.slice(0, slash), externalId: text.slice(slash + 1), text };
}
