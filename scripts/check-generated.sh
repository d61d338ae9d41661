#!/usr/bin/env bash
# Regenerates the code generated from specs/ (openapi-typescript types + Ajv validators) and fails if
# the result differs from what is committed: modified/deleted tracked files, or untracked files,
# under packages/*/src/generated and fixtures/*/src/generated (the third-party provider fixture).
# (openapi-typescript's own --check is unreliable with several specs, so it is not used.)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! npm run --silent generate; then
  echo "check-generated: 'npm run generate' failed." >&2
  exit 1
fi

# Explicit glob magic: a bare `packages/*/src/generated` pathspec does not match the files inside
# the directories for `git ls-files --others`.
pathspec=(':(glob)packages/*/src/generated/**' ':(glob)fixtures/*/src/generated/**')
status=0

changed="$(git diff --name-only -- "${pathspec[@]}")"
if ! git diff --quiet --exit-code -- "${pathspec[@]}"; then
  echo "check-generated: generated files are out of date (commit the regenerated files):" >&2
  printf '  %s\n' ${changed} >&2
  git --no-pager diff --stat -- "${pathspec[@]}" >&2
  status=1
fi

untracked="$(git ls-files --others --exclude-standard -- "${pathspec[@]}")"
if [ -n "${untracked}" ]; then
  echo "check-generated: untracked generated files (add and commit them):" >&2
  printf '  %s\n' ${untracked} >&2
  status=1
fi

if [ "${status}" -eq 0 ]; then
  echo "check-generated: generated files are up to date."
fi
exit "${status}"
