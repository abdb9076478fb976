/** The few API calls the benchmarks make (real HTTP against a spawned Flowgate). */
export async function api<T = any>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  token?: string,
): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

export async function registerBenchTenant(base: string, tag: string): Promise<string> {
  const res = await api(base, 'POST', '/api/auth/register', {
    email: `${tag}-${Date.now()}-${Math.random().toString(36).slice(2)}@bench.test`,
    password: 'bench-password-1',
    tenantName: tag,
  });
  if (res.status !== 201) throw new Error(`register failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.accessToken as string;
}

export async function createBenchWorkflow(base: string, token: string, body: Record<string, unknown>): Promise<string> {
  const res = await api(base, 'POST', '/api/workflows', body, token);
  if (res.status !== 201) throw new Error(`create workflow failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** The two-step workflow the execution benchmarks run: a transform, then the http connector POSTing it to a local sink. */
export function sinkWorkflow(name: string, sinkUrl: string): Record<string, unknown> {
  return {
    name,
    trigger: { type: 'webhook' },
    steps: [
      { name: 'shape', type: 'transform', params: { orderId: '{{trigger.order.id}}', greeting: 'Hello {{trigger.user.name}}' } },
      {
        name: 'notify',
        connector: 'http',
        action: 'request',
        params: { method: 'POST', url: `${sinkUrl}/orders`, body: '{{steps.shape}}' },
      },
    ],
    settings: { retries: 2, backoff: { type: 'exponential', delayMs: 100 } },
  };
}
