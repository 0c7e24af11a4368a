// The dataset picker of every launch form (new experiment, generate tests, self-play loop): each dataset with its
// problem count, so a range can be chosen against the dataset's size.
import { INPUT_CLASS } from "../ui/form-field";

export interface DatasetOption {
  id: string;
  name: string;
  problemCount: number;
}

export function DatasetSelect({ datasets, value, onChange, testId }: { datasets: readonly DatasetOption[] | undefined; value: string; onChange: (name: string) => void; testId: string }) {
  return (
    <select value={value} onChange={(e) => onChange(e.target.value)} className={INPUT_CLASS} data-testid={testId}>
      {datasets?.map((d) => (
        <option key={d.id} value={d.name}>
          {d.name} ({d.problemCount} problems)
        </option>
      ))}
    </select>
  );
}
