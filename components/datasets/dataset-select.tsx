// The dataset picker of every launch form (new experiment, generate tests, self-play loop): each dataset with its
// problem count, so a range can be chosen against the dataset's size.
import { INPUT_CLASS, type FieldControlProps } from "../ui/form-field";
import { useStoredString } from "../ui/use-stored-state";

/** Browser storage key of the dataset last launched on, from any launch form. */
export const LAST_DATASET_KEY = "o1c.launch.dataset";

/**
 * A launch form's dataset: the one chosen in the form, else the one last launched on in this browser while it still
 * exists, else the first listed. Without the memory, a dataset imported later whose name sorts first (the list is by
 * name) would silently become the default, and a selection typed for the usual one be checked against it. Returns
 * `remember`, for the form to call with the dataset when a launch succeeds.
 */
export function useLaunchDataset(datasets: readonly DatasetOption[] | undefined, chosen: string): [dataset: string, remember: (name: string) => void] {
  const [last, setLast] = useStoredString(LAST_DATASET_KEY, "");
  const dataset = chosen || (datasets?.find((d) => d.name === last) ?? datasets?.[0])?.name || "";
  return [dataset, setLast];
}

export interface DatasetOption {
  id: string;
  name: string;
  problemCount: number;
}

/** `control`: the id and aria props of the FormField around it (it passes them in). */
export function DatasetSelect({
  datasets,
  value,
  onChange,
  testId,
  ...control
}: { datasets: readonly DatasetOption[] | undefined; value: string; onChange: (name: string) => void; testId: string } & Partial<FieldControlProps>) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} className={INPUT_CLASS} data-testid={testId} {...control}>
      {datasets?.map((d) => (
        <option key={d.id} value={d.name}>
          {d.name} ({d.problemCount} problems)
        </option>
      ))}
    </select>
  );
}
