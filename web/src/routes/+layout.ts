// A single-page app served by Fastify: everything renders in the browser, nothing is prerendered.
export const ssr = false;
export const prerender = false;
