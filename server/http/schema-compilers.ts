import { AjvCompiler } from '@fastify/ajv-compiler';
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler';

/**
 * The route schemas are module constants, the same objects for every app this process builds, yet
 * Fastify compiles them again for each app: about a second of a server's start goes to Ajv and
 * fast-json-stringify. These two factories live for the whole process, so an app built after the first
 * (`db:rebuild`, the bench's servers, the test suites that start one server per file in one process)
 * reuses the compiled validators and serialisers instead of compiling them again.
 *
 * Validators: @fastify/ajv-compiler keeps one Ajv per set of shared schemas and options, and Ajv
 * caches what it compiled by schema object. Serialisers: fast-json-stringify has no cache of its own,
 * so each compiled function is kept here by the schema object it was built from, per set of options.
 */
export const buildValidator = AjvCompiler();

const serializers = new Map<string, WeakMap<object, unknown>>();
const selectSerializer = SerializerSelector();

export const buildSerializer: typeof selectSerializer = (externalSchemas, serializerOpts) => {
  const compile = selectSerializer(externalSchemas, serializerOpts);
  const key = JSON.stringify([externalSchemas, serializerOpts]);
  let compiled = serializers.get(key);
  if (!compiled) serializers.set(key, (compiled = new WeakMap()));
  const cache = compiled;
  return (route) => {
    const schema = route.schema as object;
    let serialize = cache.get(schema) as ReturnType<typeof compile> | undefined;
    if (!serialize) cache.set(schema, (serialize = compile(route)));
    return serialize;
  };
};
