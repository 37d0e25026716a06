// The wire protocol shared by server and client: types, rules, codes and codecs.
export * from './codes.ts';
export * from './messages.ts';
export * from './rules.ts';
export * from './result.ts';
export * from './codec.ts';
export * from './monitor.ts';
export * from './reactions.ts';
export * from './mentions.ts';
