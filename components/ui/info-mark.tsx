/** Marks a label whose definition is in its tooltip (the `title` of the surrounding element). */
export function InfoMark() {
  return (
    <span aria-hidden className="ml-1 inline-flex h-3.5 w-3.5 items-center justify-center rounded-full border border-current align-middle text-[9px] font-semibold normal-case leading-none">
      i
    </span>
  );
}
