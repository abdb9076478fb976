import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { AppException } from '../../../core/errors/app-exception';
import { constantTimeEquals } from '../../../core/security/admin-token.guard';
import { EncryptionService } from '../../../core/security/encryption.service';
import { KongDeploymentEntity } from '../entities/kong-deployment.entity';
import { KongPattern, StoredOptions } from '../patterns';
import { DeploymentSecrets } from '../patterns/secrets';

const aad = (deploymentId: string) => `kong_deployment:${deploymentId}`;
const token = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** A deployment's stored secrets, opened (also used by the workflow cache, which has no DI access to this module). */
export function openDeploymentSecrets(
  encryption: EncryptionService,
  d: Pick<KongDeploymentEntity, 'id' | 'secretsCiphertext'>,
): DeploymentSecrets {
  return d.secretsCiphertext ? encryption.decryptJson<DeploymentSecrets>(d.secretsCiphertext, aad(d.id)) : {};
}

/**
 * The one check that a request came through a deployment's Kong route: the gateway secret
 * header Kong's request-transformer adds (after removing any the caller sent), compared in
 * constant time with every accepted value. The bridge and aggregate endpoints accept their
 * deployment's secret; the webhook of a workflow behind webhook-fronting patterns accepts the
 * secret of any of those deployments. 401 GATEWAY_SECRET_REQUIRED / GATEWAY_SECRET_INVALID.
 */
export function assertGatewaySecret(
  presented: string | string[] | undefined,
  accepted: readonly (string | undefined)[],
  message = 'This endpoint is reached through Kong only',
): void {
  if (typeof presented !== 'string' || !presented) throw AppException.unauthorized(message, 'GATEWAY_SECRET_REQUIRED');
  let ok = false;
  for (const expected of accepted) if (expected && constantTimeEquals(presented, expected)) ok = true;
  if (!ok) throw AppException.unauthorized(message, 'GATEWAY_SECRET_INVALID');
}

/**
 * A deployment's secrets (gateway secret, API key, OAuth2 client) are sealed with AES-256-GCM
 * bound to the deployment id. They are kept, encrypted, because DB-less Kong needs the whole
 * configuration (keys included) every time Flowgate reloads it; they are returned to the user
 * only once, when first generated, and never logged.
 */
@Injectable()
export class DeploymentSecretsService {
  constructor(private readonly encryption: EncryptionService) {}

  read(d: Pick<KongDeploymentEntity, 'id' | 'secretsCiphertext'>): DeploymentSecrets {
    return openDeploymentSecrets(this.encryption, d);
  }

  seal(deploymentId: string, secrets: DeploymentSecrets): string {
    return this.encryption.encryptJson(secrets, aad(deploymentId));
  }

  /**
   * Keeps the secrets the pattern still needs and generates the missing ones. `fresh` lists
   * what was generated now (the caller shows it to the user once).
   */
  complete(
    pattern: KongPattern,
    options: StoredOptions,
    current: DeploymentSecrets,
  ): { secrets: DeploymentSecrets; fresh: DeploymentSecrets } {
    // Every pattern's route proves itself with it: the bridge and aggregate endpoints, and the
    // webhook behind the webhook-fronting patterns.
    const gatewaySecret = current.gatewaySecret ?? token();
    const own = pattern.secrets(options, current, token);
    return {
      secrets: { gatewaySecret, ...own.secrets },
      fresh: { ...(current.gatewaySecret ? {} : { gatewaySecret }), ...own.fresh },
    };
  }
}
