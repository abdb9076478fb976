import { Inject, Injectable } from '@nestjs/common';
import { ChannelModel, connect } from 'amqplib';
import { APP_CONFIG, AppConfig } from '../../../core/config/app-config';
import { parseAllowList } from '../../../core/http/allow-list';
import { BlockedAddressError, SsrfGuard } from '../../../core/http/ssrf-guard';
import { BrokerAddress, describeBroker, parseBrokerUrl } from './amqp-credential';

/** Why a broker connection failed, in words safe to log and show (no user name or password). */
export class BrokerError extends Error {
  constructor(
    message: string,
    /** False when trying again cannot help without a change (refused login, blocked address, bad URL). */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'BrokerError';
  }
}

/** AMQP reply codes that mean "fix the credential or the broker", not "try later". */
const PERMANENT = /\b(403|530|ACCESS[-_]REFUSED|NOT[-_]ALLOWED)\b/;

/**
 * Opens AMQP connections to the broker a credential names, through the same outbound address
 * policy as HTTP calls: the SSRF guard judges the address the socket really uses (its DNS
 * lookup replaces the system's; IP literals are checked first), so a private, loopback or
 * metadata address is refused unless OUTBOUND_ALLOW_HOSTS allows it.
 */
@Injectable()
export class BrokerDialer {
  private readonly guard: SsrfGuard;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.guard = new SsrfGuard(parseAllowList(config.outbound.allowHosts));
  }

  /** The address of `url`, checked against the address policy when it is an IP literal. */
  address(url: string): BrokerAddress {
    const parsed = parseBrokerUrl(url);
    if ('problem' in parsed) throw new BrokerError(`The credential's broker URL ${parsed.problem}`, false);
    try {
      this.guard.assertLiteralAllowed(parsed.address.host);
    } catch (e) {
      throw this.toBrokerError(e, url);
    }
    return parsed.address;
  }

  /** `connectionName` shows in the broker's connection list (e.g. `flowgate workflow <id>`). */
  async connect(url: string, connectionName: string): Promise<ChannelModel> {
    this.address(url);
    try {
      return await connect(url, {
        lookup: this.guard.lookup,
        timeout: this.config.outbound.connectTimeoutMs,
        clientProperties: { connection_name: connectionName },
      });
    } catch (e) {
      throw this.toBrokerError(e, url);
    }
  }

  /** A failure in loggable words: the URL's user name and password never appear. */
  toBrokerError(e: unknown, url: string): BrokerError {
    if (e instanceof BrokerError) return e;
    const parsed = parseBrokerUrl(url);
    const where = 'address' in parsed ? describeBroker(parsed.address) : 'the broker';
    if (e instanceof BlockedAddressError) return new BrokerError(`${where}: ${e.message}`, false);
    const raw = e instanceof Error ? e.message : String(e);
    const message = scrub(raw, url);
    return new BrokerError(`${where}: ${message}`, !PERMANENT.test(message));
  }
}

function scrub(text: string, url: string): string {
  let out = text.split(url).join('[broker URL]');
  try {
    const u = new URL(url);
    for (const secret of [u.password, decodeURIComponent(u.password)]) if (secret.length >= 3) out = out.split(secret).join('[REDACTED]');
  } catch {
    // not a URL: nothing more to hide than the whole value
  }
  return out;
}
