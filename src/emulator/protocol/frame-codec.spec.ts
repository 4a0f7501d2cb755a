import {
  ConnectionMessage,
  MessageType,
  RawWebsocketMessage,
} from 'microsoft-cognitiveservices-speech-sdk/distrib/lib/src/common/Exports.js';
import { WebsocketMessageFormatter } from 'microsoft-cognitiveservices-speech-sdk/distrib/lib/src/common.speech/WebsocketMessageFormatter.js';
import {
  decodeBinaryFrame,
  decodeTextFrame,
  encodeBinaryFrame,
  encodeTextFrame,
  FrameDecodeError,
  serviceHeaders,
} from './frame-codec';

const REQUEST_ID = '0123456789ABCDEF0123456789ABCDEF';

describe('frame codec', () => {
  describe('text frames', () => {
    it('round-trips headers and body, lower-casing header names', () => {
      const text = encodeTextFrame(serviceHeaders('turn.start', REQUEST_ID, 'application/json'), '{"a":1}');
      expect(text).toMatch(
        /^X-RequestId: [0-9A-F]{32}\r\nPath: turn\.start\r\nX-Timestamp: .+\r\nContent-Type: application\/json\r\n\r\n\{"a":1\}$/,
      );
      const frame = decodeTextFrame(text);
      expect(frame).toMatchObject({
        kind: 'text',
        path: 'turn.start',
        requestId: REQUEST_ID,
        body: '{"a":1}',
      });
      expect(frame.headers['content-type']).toBe('application/json');
    });

    it('keeps a body that itself contains a blank line', () => {
      const frame = decodeTextFrame('Path: ssml\r\nX-RequestId: abc\r\n\r\n<speak>\r\n\r\nHi</speak>');
      expect(frame.body).toBe('<speak>\r\n\r\nHi</speak>');
    });

    it('accepts a message with headers only', () => {
      expect(decodeTextFrame('Path: telemetry\r\n').body).toBe('');
    });

    it('rejects a message without Path and a malformed header line', () => {
      expect(() => decodeTextFrame('X-RequestId: a\r\n\r\n{}')).toThrow(FrameDecodeError);
      expect(() => decodeTextFrame('no colon here\r\n\r\n{}')).toThrow(FrameDecodeError);
    });

    it('is what the SDK decodes', async () => {
      const text = encodeTextFrame(serviceHeaders('response', REQUEST_ID, 'application/json'), '{"x":true}');
      const msg = await new WebsocketMessageFormatter().toConnectionMessage(
        new RawWebsocketMessage(MessageType.Text, text),
      );
      expect(msg.headers['path']).toBe('response');
      expect(msg.headers['x-requestid']).toBe(REQUEST_ID);
      expect(msg.textBody).toBe('{"x":true}');
    });
  });

  describe('binary frames', () => {
    it('writes the header length as a big-endian int16 and round-trips the payload', () => {
      const payload = Buffer.from([1, 2, 3, 250]);
      const frame = encodeBinaryFrame(
        [...serviceHeaders('audio', REQUEST_ID), ['X-StreamId', 'S1']],
        payload,
      );
      const headerLength = frame.readInt16BE(0);
      expect(frame.length).toBe(2 + headerLength + payload.length);
      expect(frame.toString('latin1', 2, 2 + headerLength)).toContain('Path: audio\r\n');
      const decoded = decodeBinaryFrame(frame);
      expect(decoded).toMatchObject({ kind: 'binary', path: 'audio', requestId: REQUEST_ID });
      expect(decoded.headers['x-streamid']).toBe('S1');
      expect([...decoded.body]).toEqual([1, 2, 3, 250]);
    });

    it('decodes an empty payload (the end-of-stream frame)', () => {
      const frame = encodeBinaryFrame(serviceHeaders('audio', REQUEST_ID), new Uint8Array(0));
      expect(decodeBinaryFrame(frame).body.length).toBe(0);
    });

    it('decodes what the SDK encodes', async () => {
      const formatter = new WebsocketMessageFormatter();
      const raw = await formatter.fromConnectionMessage(
        new ConnectionMessage(MessageType.Binary, new Uint8Array([9, 8, 7]).buffer, {
          Path: 'audio',
          'X-RequestId': REQUEST_ID,
        }),
      );
      const decoded = decodeBinaryFrame(Buffer.from(raw.binaryContent));
      expect(decoded.path).toBe('audio');
      expect([...decoded.body]).toEqual([9, 8, 7]);
    });

    it('is what the SDK decodes', async () => {
      const frame = encodeBinaryFrame(
        [...serviceHeaders('audio', REQUEST_ID), ['X-StreamId', 'S1']],
        Buffer.from([5, 6]),
      );
      const ab = frame.buffer.slice(frame.byteOffset, frame.byteOffset + frame.length);
      const msg = await new WebsocketMessageFormatter().toConnectionMessage(
        new RawWebsocketMessage(MessageType.Binary, ab),
      );
      expect(msg.headers['x-streamid']).toBe('S1');
      expect([...new Uint8Array(msg.binaryBody)]).toEqual([5, 6]);
    });

    it('rejects a negative header length (the sign bit set), as a signed int16 reader sees it', () => {
      const frame = Buffer.from([0x80, 0x01, 0x41]);
      expect(() => decodeBinaryFrame(frame)).toThrow(/negative header length/);
    });

    it('rejects short and truncated messages', () => {
      expect(() => decodeBinaryFrame(Buffer.from([0]))).toThrow(FrameDecodeError);
      expect(() => decodeBinaryFrame(Buffer.from([0x00, 0x20, 0x41]))).toThrow(/exceeds the message/);
    });

    it('rejects a header block without Path', () => {
      const header = Buffer.from('X-RequestId: a\r\n', 'latin1');
      const frame = Buffer.concat([Buffer.from([0, header.length]), header]);
      expect(() => decodeBinaryFrame(frame)).toThrow(/Path/);
    });
  });
});
