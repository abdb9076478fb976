import { Injectable, Logger } from '@nestjs/common';
import { KongAdminClient } from '../admin/kong-admin.client';
import {
  KongAcl,
  KongConsumer,
  KongEntity,
  KongKeyAuth,
  KongOAuth2Credential,
  KongPlugin,
  KongRoute,
  KongService,
} from '../admin/kong-admin.types';
import { KongEntityRecord } from '../entities/kong-deployment.entity';
import { KongPlan, PlanConsumer, pluginEntity, routeEntity } from '../patterns/kong-plan';
import { tenantConsumerName } from '../patterns/plan-kit';

/** Collections holding what a deployment made, children first (the order they are deleted in). */
const TAGGED_COLLECTIONS = ['/plugins', '/key-auths', '/acls', '/oauth2', '/routes', '/services'] as const;

/**
 * Applies a deployment's plan through the Admin API (Kong with a database). Everything is an
 * upsert by name or a find-then-PUT, so applying twice leaves Kong exactly as once; plugins
 * and credentials the plan no longer has (e.g. auth switched from key-auth to oauth2) go away.
 */
@Injectable()
export class DbModeApplier {
  private readonly logger = new Logger(DbModeApplier.name);

  constructor(private readonly kong: KongAdminClient) {}

  async apply(plan: KongPlan, deploymentTag: string): Promise<KongEntityRecord> {
    const record: KongEntityRecord = { services: [], routes: [], plugins: [], credentials: [] };
    const secrets = plan.secrets;
    for (const s of plan.services) {
      const service = await this.kong.upsert<KongService>(
        'services',
        s.name,
        {
          name: s.name,
          url: s.url,
          tags: s.tags,
          ...(s.read_timeout ? { read_timeout: s.read_timeout } : {}),
          ...(s.retries !== undefined ? { retries: s.retries } : {}),
        },
        secrets,
      );
      record.services.push({ name: s.name, id: service.id });
      for (const r of s.routes) {
        const route = await this.kong.upsert<KongRoute>('routes', r.name, { ...routeEntity(r), service: { id: service.id } }, secrets);
        record.routes.push({ name: r.name, id: route.id, paths: r.paths, methods: r.methods });
        const scope = { kind: 'routes' as const, nameOrId: r.name, id: route.id };
        for (const p of r.plugins) {
          const plugin = await this.kong.upsertPlugin(scope, pluginEntity(p), secrets);
          record.plugins.push({ name: p.name, id: plugin.id, on: `route ${r.name}` });
        }
        // Plugins this deployment made earlier that the plan no longer wants.
        const wanted = new Set(r.plugins.map((p) => p.name));
        const onRoute = await this.kong.listAll<KongPlugin>(`/routes/${encodeURIComponent(r.name)}/plugins`);
        for (const stale of onRoute.filter((p) => !wanted.has(p.name) && (p.tags ?? []).includes(deploymentTag))) {
          await this.kong.deleteById('/plugins', stale.id);
        }
      }
    }
    if (plan.consumer) await this.applyConsumer(plan.consumer, deploymentTag, record, secrets);
    return record;
  }

  private async applyConsumer(c: PlanConsumer, deploymentTag: string, record: KongEntityRecord, secrets: string[]): Promise<void> {
    const consumer = await this.kong.upsert<KongConsumer>('consumers', c.username, {
      username: c.username,
      custom_id: c.custom_id,
      tags: c.tags,
    });
    record.consumer = { username: c.username, id: consumer.id };
    const base = `/consumers/${encodeURIComponent(c.username)}`;

    const keys = (await this.kong.listAll<KongKeyAuth>(`${base}/key-auth`)).filter((k) => (k.tags ?? []).includes(deploymentTag));
    for (const k of keys.filter((k) => !c.keyAuth || k.key !== c.keyAuth.key)) await this.kong.deleteById(`${base}/key-auth`, k.id);
    if (c.keyAuth) {
      const kept = keys.find((k) => k.key === c.keyAuth!.key);
      const created =
        kept ??
        (
          await this.kong.request<KongKeyAuth>('POST', `${base}/key-auth`, {
            body: { key: c.keyAuth.key, tags: c.keyAuth.tags },
            what: 'the API key credential',
            secrets,
          })
        ).body;
      record.credentials.push({ kind: 'key-auth', id: created.id });
    }

    const acls = (await this.kong.listAll<KongAcl>(`${base}/acls`)).filter((a) => (a.tags ?? []).includes(deploymentTag));
    for (const a of acls.filter((a) => a.group !== c.acl.group)) await this.kong.deleteById(`${base}/acls`, a.id);
    const acl =
      acls.find((a) => a.group === c.acl.group) ??
      (await this.kong.request<KongAcl>('POST', `${base}/acls`, { body: { group: c.acl.group, tags: c.acl.tags }, what: 'the ACL group' }))
        .body;
    record.credentials.push({ kind: 'acl', id: acl.id });

    const apps = (await this.kong.listAll<KongOAuth2Credential>(`${base}/oauth2`)).filter((o) => (o.tags ?? []).includes(deploymentTag));
    for (const o of apps.filter((o) => !c.oauth2 || o.client_id !== c.oauth2.client_id)) await this.kong.deleteById(`${base}/oauth2`, o.id);
    if (c.oauth2) {
      const o = c.oauth2;
      const app =
        apps.find((a) => a.client_id === o.client_id) ??
        (
          await this.kong.request<KongOAuth2Credential>('POST', `${base}/oauth2`, {
            body: {
              name: o.name,
              client_id: o.client_id,
              client_secret: o.client_secret,
              ...(o.redirect_uris ? { redirect_uris: o.redirect_uris } : {}),
              tags: o.tags,
            },
            what: 'the OAuth2 application',
            secrets,
          })
        ).body;
      record.credentials.push({ kind: 'oauth2', id: app.id });
    }
  }

  /**
   * Removes everything carrying the deployment's tag (children first), then the tenant's
   * consumer when no other deployment of the tenant still uses it.
   */
  async remove(deploymentTag: string, tenantId: string, consumerStillUsed: boolean): Promise<number> {
    let removed = 0;
    for (const collection of TAGGED_COLLECTIONS) {
      const entities = await this.kong.listByTags<KongEntity>(collection, ['flowgate', deploymentTag]);
      for (const e of entities) {
        await this.kong.deleteById(collection, e.id);
        removed++;
      }
    }
    if (!consumerStillUsed) {
      const username = tenantConsumerName(tenantId);
      const found = await this.kong.request<KongConsumer>('GET', `/consumers/${encodeURIComponent(username)}`, {
        what: `consumer ${username}`,
        accept: [404],
      });
      if (found.status === 200 && (found.body.tags ?? []).includes('flowgate')) {
        await this.kong.deleteById('/consumers', found.body.id);
        removed++;
      }
    }
    this.logger.log(`Removed ${removed} Kong entities tagged ${deploymentTag}`);
    return removed;
  }
}
