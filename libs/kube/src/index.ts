export * from './webhook-configurations';
export * from './webhook-ca-bundle.writer';
export * from './ca-bundle-publisher';
export * from './client-node-webhook-configurations';
export * from './certificate-authority';
export * from './certificate-rotation';
