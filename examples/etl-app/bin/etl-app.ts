#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { EtlStack } from '../lib/etl-stack.js';

const app = new App();
new EtlStack(app, 'StepshiftEtl', {
  // Synth stays offline: no account lookups. Deploy picks up the CLI's account and region.
  env: { account: process.env['CDK_DEFAULT_ACCOUNT'], region: process.env['CDK_DEFAULT_REGION'] },
});
app.synth();
