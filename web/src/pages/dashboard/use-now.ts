import { useEffect, useState } from 'react';

/** The current time, refreshed every `everyMs`: keeps "Updated 20 s ago" true between polls. */
export function useNow(everyMs = 5_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
