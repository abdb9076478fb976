import { ConnectorError } from '../../src/modules/connectors/connector.types';

/** Awaits a call that must fail with a ConnectorError and returns that error for inspection. */
export async function failure(p: Promise<unknown>): Promise<ConnectorError> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(ConnectorError);
    return e as ConnectorError;
  }
  throw new Error('expected the call to fail');
}
