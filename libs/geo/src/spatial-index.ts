/* eslint-disable @typescript-eslint/no-require-imports */
import type FlatbushClass from 'flatbush';
import type KDBushClass from 'kdbush';

/**
 * kdbush and flatbush ship as ES modules only. Node 20 `require`s them as a namespace whose
 * `default` is the class but without `__esModule`, so TypeScript's default-import interop
 * would hand back the namespace; jest (which compiles them to CommonJS) hands back a module
 * with `__esModule`. Taking `.default` when it is there works in both.
 */
function esmDefault<T>(mod: { default?: T } | T): T {
  return mod && typeof mod === 'object' && 'default' in mod && mod.default ? mod.default : (mod as T);
}

export const KDBush = esmDefault<typeof KDBushClass>(require('kdbush') as { default?: typeof KDBushClass });
export const Flatbush = esmDefault<typeof FlatbushClass>(require('flatbush') as { default?: typeof FlatbushClass });
export type KDBush = KDBushClass;
export type Flatbush = FlatbushClass;
