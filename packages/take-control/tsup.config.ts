// One build for every client package: see tools/tsup-package.mjs.
export { default } from '../../tools/tsup-package.mjs';
