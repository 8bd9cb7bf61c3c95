export * from './types';
export { cutTurfs, MIN_DOORS_PER_TURF, MAX_DOORS_PER_TURF } from './cut-turfs';
