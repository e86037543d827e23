/** agentwire wire protocol: types, limits, endpoint paths, decoders and encoders. */
export * from './types.ts';
export * from './errors.ts';
export * from './limits.ts';
export * from './paths.ts';
export * from './decode.ts';
export * from './encode.ts';
