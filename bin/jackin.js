#!/usr/bin/env node
import { main } from '../dist/bundle/jackin.js';

process.exitCode = await main(process.argv);
