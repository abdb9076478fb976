import type { ApiError } from '../../api/errors';
import { ErrorBanner } from '../../components/ErrorBanner';

/**
 * A form's error: when the API named fields (a 400 whose problems each have a field), those
 * show under their fields, so the banner only points there instead of repeating them all.
 */
export function FormErrorBanner({ error, shownOnFields }: { error: ApiError | undefined; shownOnFields: string[] }) {
  if (!error) return null;
  const named = error.details.filter((d) => d.field);
  const allOnFields =
    error.status === 400 &&
    named.length > 0 &&
    named.length === error.details.length &&
    named.every((d) => shownOnFields.some((f) => d.field === f || d.field!.startsWith(`${f}.`)));
  if (allOnFields) {
    return (
      <div className="banner banner-error" role="alert">
        Some fields need a change: see the messages below them.
      </div>
    );
  }
  return <ErrorBanner error={error} />;
}
