import { useEffect, type RefObject } from 'react';
import { useBlocker } from 'react-router';

/**
 * Unsaved edits are not lost by accident: closing or reloading the tab asks the browser's own
 * question, and leaving the page inside the console asks for confirmation. Reads a ref so that
 * a save followed at once by a navigation is not blocked.
 */
export function useUnsavedGuard(dirty: RefObject<boolean>) {
  useEffect(() => {
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      if (dirty.current) e.preventDefault();
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    return () => window.removeEventListener('beforeunload', onBeforeUnload);
  }, [dirty]);

  const blocker = useBlocker(
    ({ currentLocation, nextLocation }) => dirty.current === true && currentLocation.pathname !== nextLocation.pathname,
  );
  useEffect(() => {
    if (blocker.state !== 'blocked') return;
    if (window.confirm('You have unsaved changes to this workflow. Leave and lose them?')) blocker.proceed();
    else blocker.reset();
  }, [blocker]);
}
