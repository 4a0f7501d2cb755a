import { expect } from '@jest/globals';
import type { Socket } from 'socket.io';
import type { SessionFleet } from '../fleet/sessions/session-fleet';
import type { RecognitionService } from '../recognition/recognition.service';
import type { SynthesisService } from '../synthesis/synthesis.service';
import { FakeClock } from '../../test/support/pools/fake-clock';
import { createAccess } from '../access/access.module';
import { VoiceMetrics } from './voice-metrics';
import { resolveVoiceSettings } from './voice-options';
import { VoiceSessions } from './voice-sessions';

/** The part of the synthesis service VoiceSessions uses: giving an ended session's synthesizer back. */
class SessionEndRecorder {
  readonly ended: string[] = [];
  endSession(sessionId: string): void {
    this.ended.push(sessionId);
  }
}

/** A socket as far as sessions see one: an id, a handshake, what it was sent, whether it was closed. */
class FakeSocket {
  readonly sent: Array<[string, unknown]> = [];
  closed = false;
  readonly handshake;

  constructor(
    readonly id: string,
    sessionId?: string,
  ) {
    this.handshake = {
      auth: sessionId === undefined ? {} : { sessionId },
      headers: {},
      address: '127.0.0.1',
    };
  }

  emit(event: string, payload: unknown): void {
    this.sent.push([event, payload]);
  }

  disconnect(): void {
    this.closed = true;
  }

  get asSocket(): Socket {
    return this as unknown as Socket; // VoiceSessions reads only the members above
  }
}

function setup() {
  const clock = new FakeClock();
  const synthesis = new SessionEndRecorder();
  const metrics = new VoiceMetrics();
  const heard: string[] = [];
  const fleet: SessionFleet = {
    adopts: () => false,
    watch: () => undefined,
    attached: (id, _principal, adopted) => heard.push(`attached ${id}${adopted ? ' (adopted)' : ''}`),
    detached: (id) => heard.push(`detached ${id}`),
    ended: (id) => heard.push(`ended ${id}`),
    leave: () => undefined,
  };
  const sessions = new VoiceSessions(
    resolveVoiceSettings({ corsOrigins: [], sessionResumeGraceMs: 15_000 }),
    metrics,
    synthesis as unknown as SynthesisService, // only endSession is used
    {} as RecognitionService, // sessions only hold it for their recognitions
    fleet,
    createAccess({
      apiKeys: [],
      requestsPerSecond: 20,
      requestBurst: 40,
      maxConcurrentPerKey: 8,
      maxSessionsPerKey: 8,
    }),
    undefined,
    clock,
  );
  const connect = (socket: FakeSocket, requested?: string, adopt = false) =>
    sessions.connect(socket.asSocket, { principal: 'loopback', requested, adopt }).connection.session;
  return { clock, synthesis, sessions, metrics, heard, connect };
}

async function counted(metrics: VoiceMetrics, name: string, label: string): Promise<Record<string, number>> {
  const metric = metrics.registry.getSingleMetric(name);
  if (metric === undefined) throw new Error(`no ${name}`);
  return Object.fromEntries((await metric.get()).values.map((v) => [String(v.labels[label]), v.value]));
}

describe('VoiceSessions', () => {
  it('ends a disconnected session after the grace on the injected clock, releasing its synthesizer', () => {
    const { clock, synthesis, sessions, connect, heard } = setup();
    const socket = new FakeSocket('c1');
    const session = connect(socket);
    sessions.disconnect(socket.asSocket);
    clock.advance(14_999);
    expect(sessions.size).toBe(1);
    clock.advance(1);
    expect(sessions.size).toBe(0);
    expect(synthesis.ended).toEqual([session.id]);
    expect(heard).toEqual([`attached ${session.id}`, `detached ${session.id}`, `ended ${session.id}`]);
  });

  it('resumes a session within the grace; a connection still holding it is displaced, told why and closed', async () => {
    const { sessions, connect, metrics } = setup();
    const first = new FakeSocket('c1');
    const session = connect(first);
    const second = new FakeSocket('c2');
    const { connection, resumed } = sessions.connect(second.asSocket, {
      principal: 'loopback',
      requested: session.id,
      adopt: false,
    });
    expect(resumed).toBe(true);
    expect(connection.session).toBe(session);
    expect(first.sent).toEqual([
      [
        'session.displaced',
        { code: 'SESSION_TAKEN_OVER', message: expect.stringMatching(/another connection/) },
      ],
    ]);
    expect(first.closed).toBe(true);
    // The displaced socket's disconnect does not start the grace: the session is held.
    sessions.disconnect(first.asSocket);
    expect(sessions.connectionOf(second.asSocket)).toBe(connection);
    expect(await counted(metrics, 'warmline_voice_requests_total', 'outcome')).toMatchObject({
      ok: 1,
      resumed: 1,
      displaced: 1,
    });
  });

  it('fleet mode: a session resumed on another replica ends here, and its connection is told and closed', () => {
    const { sessions, connect, synthesis, heard } = setup();
    const socket = new FakeSocket('c1');
    const session = connect(socket, 'from-elsewhere', true);
    expect(session.id).toBe('from-elsewhere');
    sessions.movedAway(session.id);
    expect(sessions.size).toBe(0);
    expect(synthesis.ended).toEqual([session.id]);
    expect(socket.sent).toEqual([
      [
        'session.displaced',
        { code: 'SESSION_TAKEN_OVER', message: expect.stringMatching(/another replica/) },
      ],
    ]);
    expect(heard).toEqual(['attached from-elsewhere (adopted)', 'ended from-elsewhere']);
  });

  it('counts how sessions end: grace ran out, moved to another replica, shutdown', async () => {
    const { clock, sessions, connect, metrics } = setup();
    expect(await counted(metrics, 'warmline_voice_sessions_ended_total', 'reason')).toEqual({
      expired: 0,
      moved: 0,
      shutdown: 0,
    });
    const gone = new FakeSocket('c1');
    connect(gone);
    const moving = connect(new FakeSocket('c2'));
    connect(new FakeSocket('c3'));
    sessions.disconnect(gone.asSocket);
    clock.advance(15_000);
    sessions.movedAway(moving.id);
    sessions.endAll();
    expect(await counted(metrics, 'warmline_voice_sessions_ended_total', 'reason')).toEqual({
      expired: 1,
      moved: 1,
      shutdown: 1,
    });
  });
});
