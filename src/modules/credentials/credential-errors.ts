import { AppException } from '../../core/errors/app-exception';

/** Errors about a step's credential, as 400s on its `credentialId` field (save time) and invoker failures (run time). */
export const CredentialErrors = {
  notFound(rawId: string) {
    const id = String(rawId).slice(0, 64);
    const message = `credential ${id} not found`;
    return AppException.badRequest('CREDENTIAL_NOT_FOUND', `Credential ${id} not found`, [{ field: 'credentialId', message }]);
  },
  wrongConnector(name: string, has: string, wanted: string) {
    const message = `credential "${name}" is for connector ${has}, not ${wanted}`;
    return AppException.badRequest('CREDENTIAL_CONNECTOR_MISMATCH', capitalize(message), [{ field: 'credentialId', message }]);
  },
  kindNotAccepted(name: string, kind: string, connectorName: string, accepted: string[]) {
    const message = `credential "${name}" is of kind ${kind}, which ${connectorName} does not accept (accepts: ${accepted.join(', ')})`;
    return AppException.badRequest('CREDENTIAL_KIND_NOT_ACCEPTED', capitalize(message), [{ field: 'credentialId', message }]);
  },
  /** The credential may go nowhere yet (a generic credential whose hosts were never named). */
  hostsRequired(name: string, id: string, reason: string) {
    return new AppException(409, 'CREDENTIAL_HOSTS_REQUIRED', `Credential "${name}" (${id}) cannot be used: ${reason}`, [
      { field: 'credentialId', message: reason, credentialId: id, credentialName: name },
    ]);
  },
  /** DELETE without `force` of a credential that workflow steps still use: names those workflows. */
  inUse(name: string, workflows: Array<{ id: string; name: string }>, more: boolean) {
    const names = workflows.map((w) => `"${w.name}"`).join(', ') + (more ? ' and more' : '');
    return new AppException(
      409,
      'CREDENTIAL_IN_USE',
      `Credential "${name}" is used by ${workflows.length === 1 && !more ? 'workflow' : 'workflows'} ${names}: change their steps first, or delete with ?force=true (their runs then fail at that step with CREDENTIAL_NOT_FOUND)`,
      workflows.map((w) => ({ field: 'workflows', message: w.name, workflowId: w.id })),
    );
  },
  unknownConnector(key: string) {
    return AppException.badRequest('UNKNOWN_CONNECTOR', `Unknown connector "${key}"`, [
      { field: 'connector', message: `unknown connector "${key}"` },
    ]);
  },
  unreadable(name: string, cause: string) {
    const reason = /unknown key/i.test(cause)
      ? 'it was sealed with an encryption key that is not configured (add it to ENCRYPTION_OLD_KEYS)'
      : 'the stored data is damaged or belongs to another row';
    return new AppException(500, 'CREDENTIAL_UNREADABLE', `Credential "${name}" cannot be decrypted: ${reason}`);
  },
};

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
