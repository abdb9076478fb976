import { Connector, ConnectorContext, ConnectorDescriptor } from '../../connector.types';
import { invalidParams, joinUrl } from '../shared/provider-call';
import { callSoapOperation } from './soap-client';
import { SoapVersion } from './soap-envelope';

const PROVIDER = 'SOAP';

/**
 * Calls one operation of a SOAP 1.1 or 1.2 service: the envelope is built from the step's JSON
 * params, the answer's Body comes back as JSON, a soap:Fault fails the step (not retried) with
 * its faultcode and faultstring. Optional HTTP basic auth from a `basic` credential.
 */
export class SoapConnector implements Connector {
  readonly descriptor: ConnectorDescriptor = {
    key: 'soap',
    name: 'SOAP',
    description: 'Call an operation of a SOAP 1.1 or 1.2 web service; the response envelope comes back as JSON.',
    auth: ['none', 'basic'],
    credentialSchema: {
      type: 'object',
      required: ['username', 'password'],
      additionalProperties: false,
      properties: { username: { type: 'string', minLength: 1 }, password: { type: 'string', minLength: 1 } },
    },
    baseUrlSetting: 'SOAP_BASE_URL',
    // No `hosts`: the endpoint comes from the step, so a credential names the hosts it may go to.
    docsUrl: 'https://www.w3.org/TR/soap12-part1/',
    actions: [
      {
        key: 'call',
        name: 'Call operation',
        description:
          'POSTs an envelope for `operation` in `namespace` to `url`. JSON params become elements (arrays repeat, "@x" keys are attributes, "#text" is text, null is xsi:nil). Output: { status, version, body, header? } with the Body as JSON.',
        readOnly: false,
        // Which operations change something is the service's secret: every call is assumed to.
        sideEffects: true,
        sampleOutput: { status: 200, version: '1.1', body: { GetWeatherResponse: { GetWeatherResult: 'Sunny, 21 C' } } },
        input: {
          type: 'object',
          required: ['operation', 'namespace'],
          additionalProperties: false,
          properties: {
            url: { type: 'string', minLength: 1, description: 'Service endpoint: an absolute http(s) URL, or a path under SOAP_BASE_URL' },
            operation: { type: 'string', pattern: '^[A-Za-z_][A-Za-z0-9._-]*$', description: 'Operation element name, e.g. GetWeather' },
            namespace: { type: 'string', minLength: 1, description: 'Target namespace from the WSDL, e.g. http://tempuri.org/' },
            soapVersion: { type: 'string', enum: ['1.1', '1.2'], default: '1.1' },
            soapAction: { type: 'string', description: 'Defaults to namespace + operation' },
            params: { type: 'object', description: 'Operation parameters as JSON' },
            headers: { type: 'object', description: 'SOAP header blocks as JSON' },
            elementFormDefault: { type: 'string', enum: ['qualified', 'unqualified'], default: 'qualified' },
          },
        },
      },
    ],
  };

  async execute(action: string, params: Record<string, unknown>, ctx: ConnectorContext): Promise<unknown> {
    if (action !== 'call') throw invalidParams(PROVIDER, `unknown action "${action}"`);
    const url = this.endpoint(params.url as string | undefined, ctx.baseUrl);
    const httpHeaders: Record<string, string> = {};
    if (ctx.credential && ctx.credential.authKind === 'basic') {
      const { username = '', password = '' } = ctx.credential.secrets;
      httpHeaders.authorization = `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
    }
    return callSoapOperation(
      ctx.http,
      {
        url,
        version: (params.soapVersion as SoapVersion | undefined) ?? '1.1',
        operation: String(params.operation),
        namespace: String(params.namespace),
        soapAction: params.soapAction as string | undefined,
        params: (params.params as Record<string, unknown> | undefined) ?? {},
        headers: params.headers as Record<string, unknown> | undefined,
        elementFormDefault: params.elementFormDefault as 'qualified' | 'unqualified' | undefined,
        credentialHeaders: httpHeaders,
      },
      PROVIDER,
    );
  }

  private endpoint(url: string | undefined, baseUrl: string | undefined): string {
    if (url && /^https?:\/\//i.test(url)) return url;
    if (!baseUrl)
      throw invalidParams(
        PROVIDER,
        url ? `url "${url}" is not an absolute http(s) URL and SOAP_BASE_URL is not set` : 'url is required (or set SOAP_BASE_URL)',
      );
    return url ? joinUrl(baseUrl, url) : baseUrl;
  }
}
