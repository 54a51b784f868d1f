import { hostname } from 'node:os';
import { InMemoryEventStore } from '../../src/events/memory-store.js';
import { sequentialIds, steppingClock } from '../helpers/temp-home.js';
import { eventStoreContract } from './event-store.contract.js';

eventStoreContract('in-memory', () => ({
  store: new InMemoryEventStore({
    correlationId: 'corr-1',
    actor: 'operator',
    host: hostname(),
    jackinVersion: '0.1.0',
    clock: steppingClock(),
    ids: sequentialIds(),
  }),
}));
