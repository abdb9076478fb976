import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { EncryptionService } from '../../../core/security/encryption.service';
import { KongDeploymentEntity } from '../entities/kong-deployment.entity';
import { DeploymentSecrets } from '../templates/plan-builder';
import { UseCase, UseCaseOptions } from '../templates/use-cases';

const aad = (deploymentId: string) => `kong_deployment:${deploymentId}`;
const token = (bytes = 32) => randomBytes(bytes).toString('base64url');

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
    return d.secretsCiphertext ? this.encryption.decryptJson<DeploymentSecrets>(d.secretsCiphertext, aad(d.id)) : {};
  }

  seal(deploymentId: string, secrets: DeploymentSecrets): string {
    return this.encryption.encryptJson(secrets, aad(deploymentId));
  }

  /**
   * Keeps the secrets the use case still needs and generates the missing ones. `fresh` lists
   * what was generated now (the caller shows it to the user once).
   */
  complete<U extends UseCase>(useCase: U, options: UseCaseOptions[U], current: DeploymentSecrets): { secrets: DeploymentSecrets; fresh: DeploymentSecrets } {
    const secrets: DeploymentSecrets = {};
    const fresh: DeploymentSecrets = {};
    if (useCase === 'protocol_bridge' || useCase === 'smart_aggregator') {
      secrets.gatewaySecret = current.gatewaySecret ?? (fresh.gatewaySecret = token());
    }
    if (useCase === 'federated_security') {
      const auth = (options as UseCaseOptions['federated_security']).auth;
      if (auth === 'oauth2') {
        secrets.oauth2 = current.oauth2 ?? (fresh.oauth2 = { clientId: `flowgate-${token(12)}`, clientSecret: token() });
      } else {
        secrets.apiKey = current.apiKey ?? (fresh.apiKey = token());
      }
    }
    return { secrets, fresh };
  }
}
