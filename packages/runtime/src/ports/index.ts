export * from './clock.js';
export * from './data-api-request-error.js';
export * from './logger.js';
export * from './statement-api.js';
export * from './task-callbacks.js';
export * from './tracking-store.js';
