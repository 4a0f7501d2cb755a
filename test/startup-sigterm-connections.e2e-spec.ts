import { connect, type Socket } from 'node:net';
import { wavHeader } from '../src/speech/wav-header';
import { isAlive, spawnBuiltService, waitForLine } from './support/process/built-service';
import { freePort } from './support/process/service-process';

const SHUTDOWN_TIMEOUT_S = 20;

/** A raw connection to the service; `trickle` sends `bytes` one byte per tick until stopped. */
function rawConnection(port: number): Socket {
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined); // the server closing it is the point
  return socket;
}

function trickle(socket: Socket, bytes: Buffer): NodeJS.Timeout {
  let at = 0;
  return setInterval(() => {
    if (at < bytes.length && !socket.destroyed) socket.write(bytes.subarray(at, ++at));
  }, 200);
}

describe('SIGTERM with half-sent requests (e2e, built service)', () => {
  it('closes trickled headers and trickled uploads after the drain and exits 0 within SHUTDOWN_TIMEOUT', async () => {
    const port = await freePort();
    const service = spawnBuiltService({
      PORT: String(port),
      LOG_LEVEL: 'info',
      VOICE_DRAIN_TIMEOUT: '1',
      SHUTDOWN_TIMEOUT: String(SHUTDOWN_TIMEOUT_S),
      // Long enough that only shutdown can end these requests.
      HTTP_BODY_IDLE: '120',
    });
    const timers: NodeJS.Timeout[] = [];
    const sockets: Socket[] = [];
    let serverPid: number | undefined;
    try {
      serverPid = (await waitForLine(service, (l) => l.context === 'Startup' && l.startup !== undefined)).pid;

      // 1. Headers, one byte at a time (Node's own header timeout is off once the server closes).
      const headers = rawConnection(port);
      sockets.push(headers);
      headers.write('GET /api/v1/voices HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      timers.push(trickle(headers, Buffer.from('X-Slow: ' + 'a'.repeat(500) + '\r\n\r\n')));

      // 2. An OpenAI form that sends its file first, then trickles the rest of it.
      const boundary = 'sigtermboundary';
      const form = rawConnection(port);
      sockets.push(form);
      form.write(
        `POST /v1/audio/transcriptions HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
          `Content-Type: multipart/form-data; boundary=${boundary}\r\nContent-Length: 1000000\r\n\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.wav"\r\n` +
          'Content-Type: audio/wav\r\n\r\n',
      );
      form.write(wavHeader(16_000));
      timers.push(trickle(form, Buffer.alloc(10_000)));

      // 3. A /api/v1/stt upload that trickles its audio into a recognizer.
      const stt = rawConnection(port);
      sockets.push(stt);
      stt.write(
        'POST /api/v1/stt HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: audio/wav\r\n' +
          'Transfer-Encoding: chunked\r\n\r\n',
      );
      const header = wavHeader(16_000);
      stt.write(`${header.length.toString(16)}\r\n`);
      stt.write(header);
      stt.write('\r\n');
      timers.push(setInterval(() => stt.destroyed || stt.write('2\r\n\0\0\r\n'), 200));
      // The recognizer is out of the pool: the upload is being recognized.
      for (;;) {
        const pools = (await fetch(`http://127.0.0.1:${port}/api/v1/pools`).then((r) => r.json())) as {
          pools: { stt: { inUse: number } };
        };
        if (pools.pools.stt.inUse >= 1) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }

      const signalled = Date.now();
      service.child.kill('SIGTERM');
      let bound: NodeJS.Timeout | undefined;
      const code = await Promise.race([
        service.exited,
        new Promise<'still running'>((resolve) => {
          bound = setTimeout(() => resolve('still running'), (SHUTDOWN_TIMEOUT_S + 10) * 1000);
        }),
      ]);
      clearTimeout(bound);
      // Exit 0: the clean path closed the connections; the hard deadline (exit 1) was not needed.
      expect(code).toBe(0);
      expect(Date.now() - signalled).toBeLessThan(SHUTDOWN_TIMEOUT_S * 1000);
      expect(sockets.every((socket) => socket.destroyed || socket.readableEnded)).toBe(true);
    } finally {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      service.child.kill('SIGKILL');
      if (serverPid !== undefined && isAlive(serverPid)) process.kill(serverPid, 'SIGKILL');
    }
  }, 120_000);
});
