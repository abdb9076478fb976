/**
 * What a caller of the outbound HTTP client sends and gets back. Core owns these because the
 * client implements them; the connector contract re-exports them for connectors.
 */
export interface OutboundRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD';
  url: string;
  headers?: Record<string, string>;
  query?: Record<string, string | number | boolean | undefined>;
  /** Object → JSON; string/Buffer sent as-is (set content-type yourself). */
  body?: unknown;
  /**
   * What the step's credential adds (auth headers, an API key in the query). The client sends it
   * only while the request stays at the origin it started at: a redirect to another origin
   * drops all of it. Never put credential material in `headers` or `query`.
   */
  credential?: { headers?: Record<string, string>; query?: Record<string, string> };
  /** Per-call timeout; defaults to OUTBOUND_TIMEOUT_MS. The step timeout (invoker) bounds the whole action anyway. */
  timeoutMs?: number;
}

export interface OutboundResponse {
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON when the response is JSON, else text. */
  body: unknown;
  /** Raw text (size-capped). */
  text: string;
  durationMs: number;
}

/**
 * The one outbound HTTP client (src/core/http): timeouts, response size cap, SSRF guard after
 * DNS resolution (OUTBOUND_ALLOW_HOSTS opens chosen hosts). It does not throw on non-2xx:
 * connectors map statuses to ConnectorError themselves.
 */
export interface OutboundHttp {
  request(req: OutboundRequest): Promise<OutboundResponse>;
}
