/** "3 highlights", "1 passage": the count words the import reports use. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** An import dialog's progress line while it works, and its error (an alert) when it failed. */
export function ImportStatus({ busy, error }: { busy: boolean; error: string | null | undefined }) {
  return (
    <>
      {busy && (
        <p role="status" className="import-progress">
          <progress aria-label="Importing" /> Importing…
        </p>
      )}
      {error && (
        <p role="alert" className="form-error">
          {error}
        </p>
      )}
    </>
  );
}
