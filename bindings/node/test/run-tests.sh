#!/bin/sh
# Runs the Node binding's tests for meson test. Exit status 77 (skipped)
# when node or the koffi package is missing: scripts/deps --test installs
# koffi with `npm ci` when node is there.
cd "$(dirname "$0")/.." || exit 1
if ! command -v node >/dev/null 2>&1; then
	echo "node not found: Node binding tests skipped"
	exit 77
fi
if [ ! -d node_modules/koffi ]; then
	echo "bindings/node/node_modules/koffi is missing (run 'npm ci' in bindings/node): tests skipped"
	exit 77
fi
exec node --expose-gc --test test/rulebook.test.js test/linan.test.js test/batch.test.js test/packed.test.js test/details.test.js test/declarations.test.js test/coverage.test.js test/transfer.test.js test/lists.test.js test/loading.test.js
