// The .swcrc options for @swc/jest (decorator metadata is needed by NestJS).
const fs = require('node:fs');
const path = require('node:path');

module.exports = { ...JSON.parse(fs.readFileSync(path.join(__dirname, '../../.swcrc'), 'utf8')), swcrc: false };
