// A versioned prompt template. A tree records the template id it was grown with; changing a template's wording means a
// new file and a new version, never an edit of a released one, so old trees stay reproducible.

export interface PromptTemplate {
  /** "<name>@<version>", e.g. "pseudocode@1". */
  id: string;
  system: string | null;
  /** Must contain {{question}}. */
  user: string;
}
