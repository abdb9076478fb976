import { Navigate, Outlet, useLocation } from 'react-router';
import { useSession } from '../session/SessionContext';

/** Signed out (or the session ended with a 401): to the sign-in page, coming back here after. */
export function RequireSession() {
  const { signedIn } = useSession();
  const location = useLocation();
  if (!signedIn) {
    const next = location.pathname + location.search;
    return <Navigate to={`/login${next !== '/' ? `?next=${encodeURIComponent(next)}` : ''}`} replace />;
  }
  return <Outlet />;
}
