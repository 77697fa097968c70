#!/usr/bin/env bash
# Builds Bank-Vaults v1.33.1 (the reference of tools/bench/unseal) once, outside the repository,
# into $OPZERO_CACHE/bank-vaults/bin/bank-vaults. `go install` refuses the module (its go.mod
# has replace directives), so it is built in a writable copy of the downloaded module. About
# 9+ minutes on 2 cores the first time.
set -euo pipefail
dir=${OPZERO_CACHE:-$HOME/.cache/opzero}/bank-vaults
[ -x "$dir/bin/bank-vaults" ] && exit 0
mkdir -p "$dir" && cd "$dir"
go mod download -json github.com/bank-vaults/bank-vaults@v1.33.1 > dl.json
module=$(python3 -c 'import json;print(json.load(open("dl.json"))["Dir"])')
rm -rf src && cp -r "$module" src && chmod -R u+w src
cd src && GOFLAGS=-buildvcs=false go build -o ../bin/bank-vaults ./cmd/bank-vaults
