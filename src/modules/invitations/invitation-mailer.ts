import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { createTransport } from 'nodemailer';
import type Mail from 'nodemailer/lib/mailer';
import { APP_CONFIG, AppConfig } from '../../core/config/app-config';
import type { Delivery } from './dto/invitation.dto';

export interface InvitationEmail {
  to: string;
  tenantName: string;
  role: string;
  inviteUrl: string;
  expiresAt: Date;
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);

/** A tenant name on one line (it goes into the subject). */
const oneLine = (s: string) => s.replace(/[\r\n\t]+/g, ' ').trim();

/**
 * Sends invitation emails through nodemailer when SMTP is configured (SMTP_URL or SMTP_HOST),
 * and does nothing otherwise. A send is bounded: nodemailer's connect, greeting and socket
 * timeouts are SMTP_TIMEOUT_MS each, and the whole send gives up after twice that. Failures are
 * logged by their SMTP code only: never the password, the message or the link in it.
 */
@Injectable()
export class InvitationMailer implements OnModuleDestroy {
  private readonly logger = new Logger(InvitationMailer.name);
  private readonly transport?: Mail;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    const smtp = config.mail.smtp;
    if (!smtp) return;
    this.transport = createTransport({
      host: smtp.host,
      port: smtp.port,
      secure: smtp.secure,
      auth: smtp.user ? { user: smtp.user, pass: smtp.password ?? '' } : undefined,
      connectionTimeout: smtp.timeoutMs,
      greetingTimeout: smtp.timeoutMs,
      socketTimeout: smtp.timeoutMs,
      // No transcript logging: it would carry the AUTH exchange and the token-bearing link.
      logger: false,
      debug: false,
    });
  }

  get configured(): boolean {
    return this.transport !== undefined;
  }

  async send(email: InvitationEmail): Promise<Delivery> {
    if (!this.transport) return 'not_configured';
    const tenant = oneLine(email.tenantName);
    const expires = email.expiresAt.toISOString();
    const text = [
      `You are invited to join ${tenant} on Flowgate as ${email.role}.`,
      '',
      `Accept the invitation: ${email.inviteUrl}`,
      '',
      `The link works once and until ${expires}. If you did not expect it, ignore this email.`,
    ].join('\n');
    const html =
      `<p>You are invited to join <strong>${escapeHtml(tenant)}</strong> on Flowgate as ${escapeHtml(email.role)}.</p>` +
      `<p><a href="${escapeHtml(email.inviteUrl)}">Accept the invitation</a></p>` +
      `<p>The link works once and until ${escapeHtml(expires)}. If you did not expect it, ignore this email.</p>`;
    const limitMs = this.config.mail.smtp!.timeoutMs * 2;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.transport.sendMail({
          from: this.config.mail.from,
          to: email.to,
          subject: `Invitation to join ${tenant} on Flowgate`,
          text,
          html,
        }),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(Object.assign(new Error('SMTP send timed out'), { code: 'ETIMEDOUT' })), limitMs);
        }),
      ]);
      return 'sent';
    } catch (e) {
      const err = e as { code?: unknown; responseCode?: unknown; command?: unknown };
      this.logger.warn(
        {
          smtpCode: typeof err.code === 'string' ? err.code : undefined,
          responseCode: typeof err.responseCode === 'number' ? err.responseCode : undefined,
          // The verb only (`AUTH PLAIN`, `RCPT TO`): nodemailer never puts credentials there, and anything else is dropped.
          command: typeof err.command === 'string' && /^[A-Z][A-Z -]{0,30}$/.test(err.command) ? err.command : undefined,
        },
        'invitation email not sent',
      );
      return 'failed';
    } finally {
      clearTimeout(timer);
    }
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
