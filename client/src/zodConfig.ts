import { z } from 'zod';

// No eval-compiled fast paths: a strict CSP (no 'unsafe-eval') would report every probe.
// Imported first by main.ts, because object schemas read this when they are created.
z.config({ jitless: true });
