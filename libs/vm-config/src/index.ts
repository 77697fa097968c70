export * from './fact-keys';
export * from './fact-writer';
export * from './fact-watch';
export * from './collector-run';
export * from './collector-acl-policy';
