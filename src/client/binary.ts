/**
 * Binary data as Socket.IO delivers it (a Buffer in Node, an ArrayBuffer in a browser) as a Uint8Array, without
 * copying: a Buffer already is one.
 */
export function toBytes(data: ArrayBuffer | ArrayBufferView): Uint8Array {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return new Uint8Array(data);
}
