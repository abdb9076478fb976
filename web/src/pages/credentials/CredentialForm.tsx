import { useState, type FormEvent } from 'react';
import { api, call } from '../../api/client';
import { FormErrorBanner } from '../login/FormErrorBanner';
import { Field } from '../../components/Field';
import { SchemaForm, type JsonSchema } from '../../components/SchemaForm';
import { useAction } from '../../lib/use-api';
import { HostsEditor } from './HostsEditor';
import { credentialKinds, isGeneric, secretErrors, type Connector, type Credential } from './types';

/** The secrets as the API takes them: strings, empty ones left out (on edit: "keep"). */
function secretsOf(values: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) if (v !== undefined && v !== '') out[k] = String(v);
  return out;
}

function schemaOf(connector: Connector | undefined, kind: string): JsonSchema | undefined {
  const s = connector?.credentialSchemas[kind];
  return s ? (s as JsonSchema) : undefined;
}

/**
 * Creates a credential (no `editing`) or edits one: rename, replace the secrets (all empty keeps
 * them), change the hosts. Secrets live only in this form's state while it is open: never
 * prefilled (the API returns none), never stored; the form is unmounted after saving.
 */
export function CredentialForm({
  connectors,
  editing,
  initialConnector,
  onSaved,
  onCancel,
}: {
  connectors: Connector[];
  editing?: Credential;
  initialConnector?: string;
  onSaved: (c: Credential) => void;
  onCancel: () => void;
}) {
  const selectable = connectors.filter((c) => credentialKinds(c).length > 0);
  const [connectorKey, setConnectorKey] = useState(
    editing?.connectorKey ?? (selectable.some((c) => c.key === initialConnector) ? initialConnector! : (selectable[0]?.key ?? '')),
  );
  const connector = connectors.find((c) => c.key === connectorKey);
  const [authKind, setAuthKind] = useState(editing?.authKind ?? credentialKinds(connector)[0] ?? '');
  const [name, setName] = useState(editing?.name ?? '');
  const [secrets, setSecrets] = useState<Record<string, unknown>>({});
  const [hosts, setHosts] = useState<string[]>(editing?.allowedHosts ?? (isGeneric(connector) ? [''] : []));
  const generic = isGeneric(connector);
  const schema = schemaOf(connector, authKind);

  const save = useAction(async () => {
    const allowedHosts = hosts.map((h) => h.trim()).filter(Boolean);
    if (editing) {
      const newSecrets = secretsOf(secrets);
      const body = {
        name,
        ...(Object.keys(newSecrets).length ? { secrets: newSecrets } : {}),
        // Emptied on a provider connector: back to the provider's own hosts.
        allowedHosts: allowedHosts.length ? allowedHosts : generic ? [] : null,
      };
      return call(api.PUT('/api/credentials/{id}', { params: { path: { id: editing.id } }, body }));
    }
    const body = {
      name,
      connectorKey,
      authKind,
      secrets: secretsOf(secrets),
      ...(allowedHosts.length || generic ? { allowedHosts } : {}),
    };
    return call(api.POST('/api/credentials', { body }));
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const saved = await save.run();
    if (saved) onSaved(saved);
  };
  const errors = { ...save.error?.fieldErrors };
  // A taken name is a 409 without a field; it is about the Name field all the same.
  if (save.error?.code === 'CREDENTIAL_NAME_TAKEN') errors.name = 'Another connection has this name: choose another.';
  const formTitle = editing ? `Edit ${editing.name}` : 'New connection';

  return (
    <form className="card form stack" onSubmit={submit} aria-label={formTitle} noValidate>
      <h2>{formTitle}</h2>
      <FormErrorBanner error={save.error} shownOnFields={['name', 'connectorKey', 'authKind', 'secrets', 'allowedHosts']} />
      {!editing && (
        <div className="inline-fields">
          <Field label="Connector" error={errors.connectorKey} required>
            {(a) => (
              <select
                {...a}
                name="connectorKey"
                value={connectorKey}
                onChange={(e) => {
                  const next = connectors.find((c) => c.key === e.target.value);
                  setConnectorKey(e.target.value);
                  setAuthKind(credentialKinds(next)[0] ?? '');
                  setSecrets({});
                  setHosts(isGeneric(next) ? [''] : []);
                }}
              >
                {selectable.map((c) => (
                  <option key={c.key} value={c.key}>
                    {c.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Auth kind" error={errors.authKind} required>
            {(a) => (
              <select
                {...a}
                name="authKind"
                value={authKind}
                onChange={(e) => {
                  setAuthKind(e.target.value);
                  setSecrets({});
                }}
              >
                {credentialKinds(connector).map((k) => (
                  <option key={k} value={k}>
                    {k}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      )}
      <Field label="Name" hint="How workflows pick it; unique in your team." error={errors.name} required>
        {(a) => <input {...a} name="name" value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <fieldset className="stack">
        <legend>{editing ? 'Replace secrets' : 'Secrets'}</legend>
        <p className="field-hint">
          {editing
            ? 'Leave every field empty to keep the stored secrets; fill them all to replace them. Stored encrypted; never shown again.'
            : 'Stored encrypted; never shown again (only a masked hint).'}
        </p>
        {errors.secrets && <div className="field-error">{errors.secrets}</div>}
        {schema ? (
          <SchemaForm schema={schema} value={secrets} onChange={setSecrets} errors={secretErrors(errors)} secret disabled={save.busy} />
        ) : (
          <p className="muted small">Choose a connector and an auth kind.</p>
        )}
      </fieldset>
      <HostsEditor hosts={hosts} onChange={setHosts} required={generic} errors={errors} />
      <div className="row">
        <button type="submit" className="btn" disabled={save.busy}>
          {save.busy ? 'Saving…' : editing ? 'Save changes' : 'Create connection'}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
