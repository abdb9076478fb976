import { Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Writable } from 'node:stream';
import { createBootstrapLogger, logSettingsFromEnv, NestPinoLogger } from '../bootstrap-logger';
import { createLogger, defaultLogFormat } from '../logger';

function capture() {
  const lines: any[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      cb();
    },
  });
  return { lines, stream };
}

@Injectable()
class BrokenService {
  constructor() {
    throw new Error('provider broke at start');
  }
}

@Module({ providers: [BrokenService] })
class BrokenModule {}

describe('bootstrap logger', () => {
  it('reads what it can from the environment and falls back on anything unusable', () => {
    expect(logSettingsFromEnv({ LOG_LEVEL: 'debug', ROLE: 'worker', LOG_FORMAT: 'pretty' })).toEqual({
      level: 'debug',
      role: 'worker',
      format: 'pretty',
    });
    expect(logSettingsFromEnv({ LOG_LEVEL: 'loud', ROLE: 'both', LOG_FORMAT: 'xml', NODE_ENV: 'production' })).toEqual({
      level: 'info',
      role: 'all',
      format: 'json',
    });
  });

  it('is pretty by default only in development on a terminal', () => {
    expect(defaultLogFormat('development', true)).toBe('pretty');
    expect(defaultLogFormat(undefined, true)).toBe('pretty');
    expect(defaultLogFormat('development', false)).toBe('json');
    expect(defaultLogFormat('production', true)).toBe('json');
    expect(defaultLogFormat('test', true)).toBe('json');
  });

  it('lets fatal lines through under LOG_LEVEL=silent, with the base fields and redaction', () => {
    const { lines, stream } = capture();
    const log = createBootstrapLogger({ level: 'silent', role: 'api', format: 'json' }, stream);
    log.warn('dropped');
    log.fatal({ password: 'hunter2-do-not-print' }, 'cannot start');
    expect(lines).toEqual([
      { level: 60, time: expect.any(Number), service: 'flowgate', role: 'api', password: '[redacted]', msg: 'cannot start' },
    ]);
  });

  it("turns Nest's own lines, a provider failing at start included, into JSON lines", async () => {
    const { lines, stream } = capture();
    const logger = new NestPinoLogger(createLogger({ level: 'info', role: 'worker', format: 'json' }, stream));
    await expect(NestFactory.createApplicationContext(BrokenModule, { logger, bufferLogs: true, abortOnError: false })).rejects.toThrow(
      'provider broke at start',
    );
    expect(lines.length).toBeGreaterThan(0);
    for (const l of lines)
      expect(l).toMatchObject({ level: expect.any(Number), time: expect.any(Number), service: 'flowgate', role: 'worker' });
    expect(lines.find((l) => l.level === 50)).toMatchObject({
      context: 'ExceptionHandler',
      err: { message: 'provider broke at start', stack: expect.stringContaining('BrokenService') },
    });
  });
});
