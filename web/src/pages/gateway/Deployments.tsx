import { useRef, useState } from 'react';
import { api, call } from '../../api/client';
import type { components } from '../../api/generated/schema';
import { ErrorBanner } from '../../components/ErrorBanner';
import { EmptyState, Loading } from '../../components/Loading';
import { StatusBadge } from '../../components/StatusBadge';
import { dateTime, relativeTime } from '../../lib/format';
import type { ApiState } from '../../lib/use-api';
import { useAction } from '../../lib/use-api';
import { PATTERNS } from './pattern-options';

type Deployment = components['schemas']['KongDeploymentDto'];
type Workflow = components['schemas']['WorkflowDto'];

const patternLabel = (u: string) => PATTERNS.find((p) => p.value === u)?.label ?? u;

/** The tenant's Kong deployments, each with Delete (confirmed: it removes what Kong serves). */
export function Deployments({ deployments, workflows }: { deployments: ApiState<Deployment[]>; workflows: Workflow[] }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [target, setTarget] = useState<Deployment>();
  const remove = useAction(async (d: Deployment) => {
    await call(api.DELETE('/api/kong/templates/{id}', { params: { path: { id: d.id } } }));
    dialog.current?.close();
    setTarget(undefined);
    await deployments.reload();
  });
  const workflowName = (id: string) => workflows.find((w) => w.id === id)?.name ?? id;
  const list = deployments.data;

  return (
    <section className="card stack" aria-labelledby="deployments-heading">
      <h2 id="deployments-heading">Deployments</h2>
      <ErrorBanner error={deployments.error} />
      {!list && deployments.loading && <Loading label="Loading deployments…" />}
      {list && list.length === 0 && <EmptyState title="No pattern applied yet." />}
      {list && list.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <caption className="sr-only">Kong deployments</caption>
            <thead>
              <tr>
                <th scope="col">Pattern</th>
                <th scope="col">Workflow</th>
                <th scope="col">Route</th>
                <th scope="col">Status</th>
                <th scope="col">Created</th>
                <th scope="col">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{patternLabel(d.use_case)}</th>
                  <td>{workflowName(d.workflow_id)}</td>
                  <td className="mono small">
                    {d.path}
                    {d.kong.routes.length > 0 && <div className="muted">{d.kong.routes.map((r) => r.name).join(', ')}</div>}
                  </td>
                  <td>
                    <StatusBadge status={d.status} />
                    {d.last_error && <div className="small">{d.last_error}</div>}
                  </td>
                  <td title={dateTime(d.created_at)}>{relativeTime(d.created_at)}</td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-ghost btn-sm"
                      aria-label={`Delete ${patternLabel(d.use_case)} on ${workflowName(d.workflow_id)}`}
                      onClick={() => {
                        remove.clearError();
                        setTarget(d);
                        dialog.current?.showModal();
                      }}
                    >
                      Delete
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <dialog ref={dialog} className="dialog" aria-labelledby="delete-deployment-heading">
        <h2 id="delete-deployment-heading">Delete this deployment?</h2>
        {target && (
          <p>
            Kong stops serving <span className="mono">{target.path}</span> ({patternLabel(target.use_case)} on{' '}
            {workflowName(target.workflow_id)}). The workflow itself stays.
          </p>
        )}
        <ErrorBanner error={remove.error} />
        <div className="row">
          <button
            type="button"
            className="btn btn-danger"
            disabled={remove.busy || !target}
            onClick={() => target && void remove.run(target)}
          >
            {remove.busy ? 'Deleting…' : 'Yes, delete'}
          </button>
          <button type="button" className="btn btn-secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
        </div>
      </dialog>
    </section>
  );
}
