#!/usr/bin/env node
import { main } from '../dist/bundle/jackin.js';

// bin/jackin (the launcher) hands NODE_EXTRA_CA_CERTS over as JACKIN_DEFERRED_CA_CERTS, so that node
// starts without loading it: it is put back for the processes jackin starts (ADR 0031).
const deferred = process.env.JACKIN_DEFERRED_CA_CERTS;
if (deferred && !process.env.NODE_EXTRA_CA_CERTS) process.env.NODE_EXTRA_CA_CERTS = deferred;

process.exitCode = await main(process.argv);
