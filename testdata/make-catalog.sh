#!/bin/sh
# Makes the reference catalog testdata/catalog/*.lps: one signature for each
# fixture source listed in testdata/sources.tsv, indexed with the leakprov
# CLI. SOURCE_DATE_EPOCH pins the build time recorded in the signatures, so
# the files are reproducible.
#
#   sh testdata/make-catalog.sh            # from anywhere in the repository
#   LEAKPROV=/path/to/leakprov sh testdata/make-catalog.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
: "${SOURCE_DATE_EPOCH:=1735689600}" # 2025-01-01T00:00:00Z
export SOURCE_DATE_EPOCH

if [ -z "${LEAKPROV:-}" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	LEAKPROV="$tmp/leakprov"
	go build -o "$LEAKPROV" ./cmd/leakprov
fi

mkdir -p testdata/catalog
tab=$(printf '\t')
tail -n +2 testdata/sources.tsv | while IFS="$tab" read -r name snapshot region file; do
	echo "index $name ($region, $snapshot): testdata/$file" >&2
	"$LEAKPROV" index --force --name "$name" --snapshot "$snapshot" --region "$region" \
		-o "testdata/catalog/$name.lps" "testdata/$file"
done
