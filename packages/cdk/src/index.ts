export * from './redshift-target.js';
export * from './sfn-redshift-tasker.js';
export * from './redshift-sql-task.js';
