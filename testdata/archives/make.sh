#!/bin/sh
# Makes the container fixtures of sampleset's and the CLI's tests from
# testdata/leak.csv (itself made by internal/cmd/gendata): the same records
# compressed and archived the ways leaks arrive. Needs Debian's zip, tar,
# gzip, bzip2, xz-utils, zstd and 7zip packages. Reproducible: fixed
# timestamps and sorted names.
set -eu
cd "$(dirname "$0")"
out=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export TZ=UTC
stamp=202001010000

cp ../leak.csv "$tmp/leak.csv"
touch -t $stamp "$tmp/leak.csv"
cd "$tmp"

# Compressed files.
gzip -9 -n -c leak.csv >"$out/leak.csv.gz"
bzip2 -9 -c leak.csv >"$out/leak.csv.bz2"
xz -9 -c leak.csv >"$out/leak.csv.xz"
zstd -q -19 -c leak.csv >"$out/leak.csv.zst"

# Archives of one file.
rm -f "$out/leak.zip" "$out/leak.7z"
zip -q -X -9 "$out/leak.zip" leak.csv
7zz a -bd -bso0 -mtm=off -mtc=off -mta=off "$out/leak.7z" leak.csv
tar --sort=name --mtime=@1577836800 --owner=0 --group=0 --numeric-owner -cf leak.tar leak.csv
gzip -9 -n -c leak.tar >"$out/leak.tar.gz"
zstd -q -19 -c leak.tar >"$out/leak.tar.zst"
xz -9 -c leak.tar >"$out/leak.tar.xz"

# Two halves in folders, with what an archive of a leak also holds: a
# readme, operating-system metadata and a picture (both passed over).
mkdir -p parts/a parts/b parts/__MACOSX
head -n 1001 leak.csv >parts/a/first.csv
{ head -n 1 leak.csv; tail -n +1002 leak.csv; } >parts/b/second.csv
printf '\211PNG\r\n\032\n\0\0\0\rIHDR\0\0\0\1\0\0\0\1\10\6\0\0\0\37\25\304\211\0\0\0\0IEND\256B`\202' >parts/a/logo.png
printf 'Mac OS X resource fork\0\0\0' >parts/__MACOSX/._first.csv
find parts -exec touch -t $stamp {} +
rm -f "$out/parts.zip"
(cd parts && zip -q -X -r "$out/parts.zip" a b __MACOSX)

# Nested: the halves as a zip inside a zip, and a tar.gz inside a zip.
rm -f inner.zip "$out/nested.zip"
(cd parts && zip -q -X -r ../inner.zip a/first.csv)
(cd parts && tar --sort=name --mtime=@1577836800 --owner=0 --group=0 --numeric-owner -czf ../second.tar.gz b/second.csv)
touch -t $stamp inner.zip second.tar.gz
zip -q -X -0 "$out/nested.zip" inner.zip second.tar.gz

# Too deep: a zip inside a zip inside a zip.
rm -f deep.zip mid.zip "$out/deep.zip"
zip -q -X mid.zip inner.zip
touch -t $stamp mid.zip
zip -q -X "$out/deep.zip" mid.zip

# Too many entries: a 7z of 100,000 empty files.
mkdir many
(cd many && seq -w 1 100000 | xargs touch -t $stamp)
rm -f "$out/many.7z"
(cd many && 7zz a -bd -bso0 -mtm=off -mtc=off -mta=off "$out/many.7z" . >/dev/null)
