import { Injectable } from '@nestjs/common';
import { Algorithm, hash, verify } from '@node-rs/argon2';

// A valid argon2id hash of a random string: verifying against it when the email is unknown
// makes "no such user" cost as much as "wrong password".
const DUMMY_HASH = '$argon2id$v=19$m=19456,t=2,p=1$54VH13TfwRTuXfWT9/c3aA$alUCQPUg2OicrxEQQKMDlzNT7HwGxz3Lu+XDsEAMehY';

@Injectable()
export class PasswordService {
  hash(password: string): Promise<string> {
    // OWASP's argon2id baseline: 19 MiB, 2 iterations, 1 lane.
    return hash(password, { algorithm: Algorithm.Argon2id, memoryCost: 19456, timeCost: 2, parallelism: 1 });
  }

  async verify(hashValue: string | undefined, password: string): Promise<boolean> {
    try {
      return await verify(hashValue ?? DUMMY_HASH, password);
    } catch {
      return false;
    }
  }
}
