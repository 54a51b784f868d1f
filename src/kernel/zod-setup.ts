import { z } from 'zod';

// zod 4 compiles each object schema's parser with `new Function` the first time it parses (a few ms
// per schema). A jackin process parses most of its schemas once or a handful of times (config,
// manifest, the events it appends), so the interpreter costs less overall; steady-state parses
// measure the same within noise (2-4 µs each). zod reads the setting when a schema is built, so the
// bundled CLI's entry (src/cli/bundle-entry.ts) imports this module before anything else.
z.config({ jitless: true });
