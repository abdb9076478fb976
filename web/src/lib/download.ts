/** A file name from a workflow name: letters, digits, dot, dash and underscore kept. */
export function exportFileName(name: string): string {
  const base =
    name
      .trim()
      .replace(/[^\w.-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'workflow';
  return `${base}.flowgate.json`;
}

/** Saves `value` as a JSON file through a Blob and an object URL (nothing leaves the browser). */
export function downloadJson(fileName: string, value: unknown): void {
  const blob = new Blob([JSON.stringify(value, null, 2) + '\n'], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  // The click has started the download; the URL is not needed once it has been read.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
