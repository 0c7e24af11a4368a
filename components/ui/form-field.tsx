// A labelled form control with its hint and its validation error, as every form of the dashboard lays them out. The
// label is a real <label for=…> and the hint and error describe the control (aria-describedby), so the control's
// accessible name is its label: screen readers announce it, and tests select fields by label.
import { cloneElement, isValidElement, useId, type ReactElement, type ReactNode } from "react";
import { InfoMark } from "./info-mark";

// aria-invalid is set by FormField on a field with an error: its border turns red, as the forms' "fix the highlighted fields" says.
export const INPUT_CLASS = "w-full rounded border border-slate-300 bg-white px-2 py-1 text-sm aria-invalid:border-red-500 aria-invalid:bg-red-50";

/** What ties a control to its FormField: put these on the <input>/<select>/<textarea> the label names. */
export interface FieldControlProps {
  id: string;
  "aria-describedby"?: string;
  "aria-invalid"?: true;
}

type FieldChildren = ReactElement<Partial<FieldControlProps>> | ((control: FieldControlProps) => ReactNode);

interface FormFieldProps {
  label: string;
  title?: string;
  hint?: string;
  error?: string;
  /**
   * The control: one element (an input, a select, a textarea, or a component that passes `id` and the aria props on
   * to one), which receives the control props; or a function of them, for a control inside other markup.
   */
  children: FieldChildren;
}

export function FormField({ label, title, hint, error, children }: FormFieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  const control: FieldControlProps = { id, "aria-describedby": describedBy, ...(error ? { "aria-invalid": true as const } : {}) };
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium text-slate-700" title={title}>
        {label}
        {title ? <InfoMark /> : null}
      </label>
      {typeof children === "function" ? children(control) : isValidElement(children) ? cloneElement(children, control) : children}
      <FieldNotes hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </div>
  );
}

/**
 * A set of controls under one caption (checkboxes each with its own label): a <fieldset> whose <legend> names the
 * group, laid out as a FormField.
 */
export function FormFieldGroup({ label, title, hint, error, children }: { label: string; title?: string; hint?: string; error?: string; children: ReactNode }) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset className="flex min-w-0 flex-col gap-1" aria-describedby={describedBy}>
      <legend className="mb-1 text-xs font-medium text-slate-700" title={title}>
        {label}
        {title ? <InfoMark /> : null}
      </legend>
      {children}
      <FieldNotes hint={hint} hintId={hintId} error={error} errorId={errorId} />
    </fieldset>
  );
}

function FieldNotes({ hint, hintId, error, errorId }: { hint?: string; hintId: string; error?: string; errorId: string }) {
  return (
    <>
      {hint ? (
        <span id={hintId} className="text-xs text-slate-500">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={errorId} className="text-xs font-medium text-rose-700" data-testid="field-error">
          {error}
        </span>
      ) : null}
    </>
  );
}
