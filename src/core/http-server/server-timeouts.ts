import type { ServerOptions } from 'node:http';
import type { AppConfig } from '../config/app-config';

type Timeouts = AppConfig['http']['timeouts'];

/**
 * Node's http.Server options for the API and the worker's probe server, so that a client that
 * sends its headers or body slowly (or opens connections and says nothing) cannot hold a
 * socket for ever:
 *
 * - `headersTimeout`: the whole header block must arrive within it (else 408 and close);
 * - `requestTimeout`: the whole request, body included (receiving only; a slow handler is not cut);
 * - `keepAliveTimeout`: an idle keep-alive connection is closed after it. It must be LONGER than
 *   the idle timeout of the proxy in front (Kong's upstream keepalive 60 s, load balancers'
 *   60 s): otherwise Node may close a connection at the moment the proxy reuses it, and the
 *   proxy answers that request with a 502;
 * - `connectionsCheckingInterval`: Node checks the two first only this often (default 30 s,
 *   which would let a 10 s headers timeout run to 40 s), so it follows the headers timeout.
 */
export function serverTimeoutOptions(t: Timeouts): ServerOptions {
  return {
    headersTimeout: t.headersMs,
    requestTimeout: t.requestMs,
    keepAliveTimeout: t.keepAliveMs,
    connectionsCheckingInterval: Math.min(1000, Math.max(25, Math.floor(t.headersMs / 4))),
  };
}
