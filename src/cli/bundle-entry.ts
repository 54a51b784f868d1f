// The bundled CLI's entry (scripts/bundle.js, ADR 0027). In the bundle every module is evaluated at
// start, in import order, and zod decides at a schema's construction whether to compile its parser:
// importing the zod setup first makes it apply to every schema the CLI builds.
import '../kernel/zod-setup.js';

export { main } from './main.js';
