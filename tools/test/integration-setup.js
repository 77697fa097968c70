// Integration tests start real servers and wait on them: a minute per test and hook by default.
jest.setTimeout(60_000);
