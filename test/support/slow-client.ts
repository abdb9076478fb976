import { connect } from 'node:net';

export interface TrickleResult {
  /** Bytes written before the server closed the connection (or all of them). */
  sent: number;
  total: number;
  /** The server closed the connection before the client had sent everything. */
  cutOff: boolean;
  /** Whatever the server wrote back (e.g. a 408), possibly nothing. */
  answer: string;
}

/**
 * A slow-loris client on a raw TCP socket: writes `text` one byte every `gapMs` and reports
 * whether the server hung up before the last byte (the first `sendAtOnce` bytes go together). No timing is asserted, only the order of
 * events: cut off before finishing, or not.
 */
export function trickle(baseUrl: string, text: string, gapMs: number, sendAtOnce = 0): Promise<TrickleResult> {
  const { hostname, port } = new URL(baseUrl);
  const bytes = Buffer.from(text);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    let answer = '';
    let sent = 0;
    let closed = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = () => {
      clearTimeout(timer);
      resolve({ sent, total: bytes.length, cutOff: closed && sent < bytes.length, answer });
      socket.destroy();
    };
    socket.on('data', (d) => (answer += d.toString('latin1')));
    socket.on('error', () => undefined); // a reset is a way of being cut off; 'close' follows
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.once('connect', () => {
      const next = () => {
        if (closed) return;
        if (sent === bytes.length) return finish();
        const size = sent === 0 && sendAtOnce > 0 ? sendAtOnce : 1;
        socket.write(bytes.subarray(sent, sent + size));
        sent += size;
        timer = setTimeout(next, gapMs);
      };
      next();
    });
  });
}
