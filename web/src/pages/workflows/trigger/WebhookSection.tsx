import { useState } from 'react';
import { api, apiBaseUrl, call } from '../../../api/client';
import { CopyButton } from '../../../components/CopyButton';
import { ErrorBanner } from '../../../components/ErrorBanner';
import { Field } from '../../../components/Field';
import { useAction } from '../../../lib/use-api';
import { useSession } from '../../../session/SessionContext';
import { SecretDialog } from './SecretDialog';
import type { Workflow } from './TriggerPanel';

/** The webhook's URL, its signing secret (generate / remove) and an example call. */
export function WebhookSection({
  workflow,
  onWorkflowChange,
  disabled,
}: {
  workflow: Workflow | undefined;
  onWorkflowChange?: (w: Workflow) => void;
  disabled?: boolean;
}) {
  const { can } = useSession();
  const [secret, setSecret] = useState<{ value: string; format: string }>();

  const generate = useAction(async (w: Workflow) =>
    call(api.POST('/api/workflows/{id}/webhook-secret', { params: { path: { id: w.id } } })),
  );
  const remove = useAction(async (w: Workflow) => {
    await call(api.DELETE('/api/workflows/{id}/webhook-secret', { params: { path: { id: w.id } } }));
    return true;
  });

  if (!workflow) {
    return <p className="muted">Save to get the webhook URL.</p>;
  }
  // The API's own origin: this one, unless the console is served apart from the API (flowgate-api-base).
  const url = `${apiBaseUrl || location.origin}${workflow.webhookPath}`;
  const signed = workflow.hasWebhookSecret;
  const canWrite = can('workflows.write') && !disabled;
  const curl = [
    `curl -X POST '${url}' \\`,
    `  -H 'Content-Type: application/json' \\`,
    ...(signed ? [`  -H "X-Flowgate-Signature: t=$T,v1=$SIG" \\`] : []),
    `  -d '{"hello":"world"}'`,
  ].join('\n');

  return (
    <div className="stack">
      <Field
        label="Webhook URL"
        hint={workflow.trigger.type === 'webhook' ? undefined : 'Save with the webhook trigger for calls to this URL to start runs.'}
      >
        {(a) => (
          <div className="row">
            <input {...a} className="mono wf-webhook-url" readOnly value={url} onFocus={(e) => e.currentTarget.select()} />
            <CopyButton value={url} label="Copy URL" />
          </div>
        )}
      </Field>

      <div className="stack">
        <p>
          {signed ? (
            <>
              <span className="badge badge-success">Signed</span> Signed with X-Flowgate-Signature: unsigned calls are refused.
            </>
          ) : (
            <>
              <span className="badge badge-neutral">Unsigned</span> Anyone with the URL can start a run. A signing secret makes Flowgate
              check each call&apos;s X-Flowgate-Signature.
            </>
          )}
        </p>
        {canWrite && (
          <div className="row">
            <button
              type="button"
              className="btn btn-secondary"
              disabled={generate.busy || remove.busy}
              onClick={async () => {
                const res = await generate.run(workflow);
                if (!res) return;
                setSecret({ value: res.webhookSecret, format: res.signatureFormat });
                onWorkflowChange?.({ ...workflow, hasWebhookSecret: true });
              }}
            >
              {generate.busy ? 'Generating…' : 'Generate signing secret'}
            </button>
            {signed && (
              <button
                type="button"
                className="btn btn-ghost"
                disabled={generate.busy || remove.busy}
                onClick={async () => {
                  if (await remove.run(workflow)) onWorkflowChange?.({ ...workflow, hasWebhookSecret: false });
                }}
              >
                {remove.busy ? 'Removing…' : 'Remove secret'}
              </button>
            )}
          </div>
        )}
        {signed && canWrite && <p className="muted small">Generating a new secret stops the current one at once.</p>}
        <ErrorBanner error={generate.error ?? remove.error} />
      </div>

      <figure className="stack wf-example">
        <figcaption className="small">Example call</figcaption>
        <pre className="mono small wf-curl" tabIndex={0} aria-label="Example curl call">
          {curl}
        </pre>
      </figure>

      <SecretDialog secret={secret?.value} signatureFormat={secret?.format} onDone={() => setSecret(undefined)} />
    </div>
  );
}
