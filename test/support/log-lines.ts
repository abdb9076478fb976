/** One pino line as Flowgate writes it. */
export interface LogLine {
  level: number;
  time: number;
  service: string;
  role: string;
  msg: string;
  [key: string]: any;
}

export const LEVEL = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60 } as const;

/**
 * Parses every captured line; throws naming the first one that is not a Flowgate JSON line
 * (pino's level and time, service "flowgate", a role, a message).
 */
export function parseLogLines(lines: string[]): LogLine[] {
  return lines.map((line) => {
    let j: LogLine;
    try {
      j = JSON.parse(line);
    } catch {
      throw new Error(`not a JSON log line: ${line.slice(0, 300)}`);
    }
    const ok =
      typeof j.level === 'number' &&
      typeof j.time === 'number' &&
      j.service === 'flowgate' &&
      ['all', 'api', 'worker'].includes(j.role) &&
      typeof j.msg === 'string';
    if (!ok) throw new Error(`log line without level, time, service, role or msg: ${line.slice(0, 300)}`);
    return j;
  });
}

/** A chunked stream's text as lines (no empty ones). */
export function splitLines(text: string): string[] {
  return text.split('\n').filter((l) => l.trim() !== '');
}
