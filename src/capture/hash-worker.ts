/** Worker thread body for sha256FilesInBackground: hashes each path of workerData and posts the digests back. */
import { parentPort, workerData } from 'node:worker_threads';
import { sha256File } from './content-hash.js';

const digests = (workerData as string[]).map((path) => {
  try {
    return sha256File(path);
  } catch (err) {
    return `error:${(err as Error).message}`;
  }
});
parentPort!.postMessage(digests);
