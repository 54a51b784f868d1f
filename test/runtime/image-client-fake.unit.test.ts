import { FakeRuntime } from '../helpers/fake-runtime.js';
import { imageClientContract } from './image-client.contract.js';

imageClientContract('fake', () => new FakeRuntime());
