// The provider the single-provider benchmarks measure (stages, the CPU profile, fan-out, the
// monitor) and the first row of every per-provider table: its balance is one request, with no
// envelope and no account fields of its own. The one place in the benchmarks that names a
// provider; every other provider comes from the facade's list (see providers.mjs).
export const subjectId = 'imaginepro';

// The provider of the serve benchmarks' synthetic accounts (stubbed balances, no requests): the
// /metrics size grows with the id's length on every per-account line, so it stays the one the
// serve results have always been measured with.
export const serveSubjectId = 'iqqz';
