// The dataset picker of every launch form (new experiment, generate tests, self-play loop): each dataset with its
// problem count, so a range can be chosen against the dataset's size.
import { INPUT_CLASS, type FieldControlProps } from "../ui/form-field";

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
