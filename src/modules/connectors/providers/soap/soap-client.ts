/**
 * One SOAP operation over the shared outbound client: envelope out, JSON back, faults as
 * errors that carry `faultcode` and `faultstring`. Used by the `soap` connector and by the
 * Kong protocol bridge, so it depends on nothing but the OutboundHttp interface.
 */
import { ConnectorError, OutboundHttp } from '../../connector.types';
import { retryAfterSeconds } from '../shared/provider-call';
import {
  buildSoapEnvelope,
  defaultSoapAction,
  ParsedSoapEnvelope,
  parseSoapEnvelope,
  SoapBuildError,
  SoapEnvelopeInput,
  SoapFault,
  SoapParseError,
  soapRequestHeaders,
} from './soap-envelope';

export interface SoapCallInput extends SoapEnvelopeInput {
  /** The service endpoint (absolute URL). */
  url: string;
  /** Defaults to namespace + operation (the usual WSDL convention). */
  soapAction?: string;
  /** Headers the credential adds (Authorization): never logged or echoed, dropped if a redirect leaves the origin. */
  credentialHeaders?: Record<string, string>;
  timeoutMs?: number;
}

export interface SoapCallResult {
  status: number;
  version: ParsedSoapEnvelope['version'];
  /** The Body's content as JSON, e.g. `{ AddResponse: { AddResult: "3" } }`. */
  body: Record<string, unknown>;
  header?: Record<string, unknown>;
}

/** A `soap:Fault` answer. Never retried: the service understood the request and refused it. */
export class SoapFaultError extends ConnectorError {
  constructor(
    readonly fault: SoapFault,
    status: number,
    provider = 'SOAP',
  ) {
    const code = fault.subcode ? `${fault.faultcode} / ${fault.subcode}` : fault.faultcode;
    super(`${provider}: fault ${code || '(no faultcode)'} — ${fault.faultstring || '(no faultstring)'} (${status})`, {
      retryable: false,
      upstreamStatus: status,
      code: 'SOAP_FAULT',
      details: { ...fault },
    });
    this.name = 'SoapFaultError';
  }
}

export async function callSoapOperation(http: OutboundHttp, input: SoapCallInput, provider = 'SOAP'): Promise<SoapCallResult> {
  let envelope: string;
  let headers: Record<string, string>;
  try {
    envelope = buildSoapEnvelope(input);
    headers = soapRequestHeaders(input.version, input.soapAction ?? defaultSoapAction(input.namespace, input.operation));
  } catch (e) {
    if (e instanceof SoapBuildError)
      throw new ConnectorError(`${provider}: ${e.message}`, { retryable: false, code: 'INVALID_PARAMS', details: { field: e.field } });
    throw e;
  }

  const res = await http.request({
    method: 'POST',
    url: input.url,
    headers,
    credential: { headers: input.credentialHeaders },
    body: envelope,
    timeoutMs: input.timeoutMs,
  });

  let parsed: ParsedSoapEnvelope | undefined;
  let parseError: string | undefined;
  try {
    parsed = parseSoapEnvelope(res.text);
  } catch (e) {
    if (!(e instanceof SoapParseError)) throw e;
    parseError = e.message;
  }

  // A fault is the service's answer whatever the status (1.1 says 500, some services send 200).
  if (parsed?.fault) throw new SoapFaultError(parsed.fault, res.status, provider);
  if (res.status < 200 || res.status >= 300) {
    const reason = /^\s*</.test(res.text) || !res.text.trim() ? `HTTP ${res.status} from the SOAP service` : res.text.trim().slice(0, 200);
    throw ConnectorError.fromStatus(provider, res.status, reason, retryAfterSeconds(res.headers));
  }
  if (!parsed) {
    throw new ConnectorError(`${provider}: ${parseError} (${res.status})`, {
      retryable: false,
      upstreamStatus: res.status,
      code: 'SOAP_INVALID_RESPONSE',
    });
  }
  return { status: res.status, version: parsed.version, body: parsed.body, ...(parsed.header ? { header: parsed.header } : {}) };
}
