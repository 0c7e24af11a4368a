// Who judged: a free-text name the browser remembers. "" means anonymous (the schema's default).
import { ValidationError } from "../errors.ts";

export const MAX_ANNOTATOR_LENGTH = 100;
export const MAX_NOTE_LENGTH = 2_000;

export function normalizeAnnotator(raw: string | undefined, where = "annotator"): string {
  const name = (raw ?? "").trim();
  if (name.length > MAX_ANNOTATOR_LENGTH) throw new ValidationError(`is ${name.length} characters; at most ${MAX_ANNOTATOR_LENGTH}`, where);
  // A name is shown in tables and written into export provenance: no line breaks or other control characters.
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new ValidationError("must not contain control characters (line breaks, tabs)", where);
  return name;
}

/** A trimmed note, null when empty. */
export function normalizeNote(raw: string | null | undefined, where = "note"): string | null {
  const note = (raw ?? "").trim();
  if (note.length > MAX_NOTE_LENGTH) throw new ValidationError(`is ${note.length} characters; at most ${MAX_NOTE_LENGTH}`, where);
  return note === "" ? null : note;
}
