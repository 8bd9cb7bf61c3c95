/**
 * Work arrays kept from one call to the next. A tour of a few dozen stops takes microseconds, and
 * allocating and zeroing its temporary typed arrays afresh every time is a good part of that. Each
 * owner keeps its own arrays in module variables, grows them through these helpers and uses only
 * the first `size` entries; nothing returned to a caller may live in them.
 */
export function growF64(a: Float64Array, size: number): Float64Array {
  return a.length >= size ? a : new Float64Array(Math.max(size, 2 * a.length));
}

export function growI32(a: Int32Array, size: number): Int32Array {
  return a.length >= size ? a : new Int32Array(Math.max(size, 2 * a.length));
}

export function growU32(a: Uint32Array, size: number): Uint32Array {
  return a.length >= size ? a : new Uint32Array(Math.max(size, 2 * a.length));
}

export function growU8(a: Uint8Array, size: number): Uint8Array {
  return a.length >= size ? a : new Uint8Array(Math.max(size, 2 * a.length));
}
