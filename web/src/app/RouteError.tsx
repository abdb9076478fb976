import { isRouteErrorResponse, Link, useRouteError } from 'react-router';

/** A page that failed to load or render: what happened and a way on, never a blank screen. */
export function RouteError() {
  const error = useRouteError();
  const message = isRouteErrorResponse(error)
    ? `${error.status} ${error.statusText}`
    : error instanceof Error
      ? error.message
      : 'Something went wrong.';
  return (
    <main id="main" className="content narrow">
      <h1>This page could not be shown</h1>
      <p role="alert">{message}</p>
      <p>
        <Link to="/">Back to the dashboard</Link> or reload the page.
      </p>
    </main>
  );
}
