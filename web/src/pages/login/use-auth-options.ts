import { api, call } from '../../api/client';
import { useApi } from '../../lib/use-api';

/** What this deployment's sign-in offers (dev mode, registration); unknown while loading or on error. */
export function useAuthOptions() {
  return useApi(() => call(api.GET('/api/auth/options')), []);
}
