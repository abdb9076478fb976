import { deriveAllowedHosts } from '../derive-allowed-hosts';

describe('deriveAllowedHosts (migration 1763730000000)', () => {
  const id = 'c1';
  const http = (url: unknown, credentialId: string | null = id) => ({
    type: 'connector',
    connector: 'http',
    credentialId,
    params: { url },
  });

  it('takes the host of each literal URL of the steps that use the credential', () => {
    const steps = [
      http('https://API.one.example/v1/{{trigger.id}}?q={{trigger.q}}'),
      http('http://127.0.0.1:9000/x'),
      http('https://api.one.example/other'),
      http('https://not-mine.example/', 'c2'),
      { type: 'transform', params: { url: 'https://transform.example/' } },
    ];
    expect(deriveAllowedHosts(id, steps)).toEqual(['127.0.0.1:9000', 'api.one.example']);
  });

  it('cannot derive templated schemes or hosts, nor non-URLs', () => {
    const steps = [
      http('{{trigger.url}}'),
      http('https://{{trigger.host}}/x'),
      http('https://api.{{trigger.env}}.example/'),
      http(42),
      http(undefined),
    ];
    expect(deriveAllowedHosts(id, steps)).toEqual([]);
  });

  it('sends a relative SOAP path to the configured base URL', () => {
    const soap = (url?: string) => ({ type: 'connector', connector: 'soap', credentialId: id, params: url === undefined ? {} : { url } });
    expect(deriveAllowedHosts(id, [soap('/service.asmx'), soap()], { soap: 'https://soap.example:8443/base' })).toEqual([
      'soap.example:8443',
    ]);
    expect(deriveAllowedHosts(id, [soap('/service.asmx')], {})).toEqual([]);
  });
});
