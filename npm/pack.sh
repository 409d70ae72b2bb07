#!/bin/sh
# npm/pack.sh DEST — writes the npm tarballs of drizzle-port into DEST:
#   drizzle-port-<version>.tgz                 the main package (the Node shim, no install script)
#   drizzle-port-<platform>-<version>.tgz      @drizzle-port/<platform>, the native binary
#
# By default it builds `cargo build --release` and packs it for this machine's platform, and the
# main package lists only that platform in optionalDependencies, so both tarballs install offline
# (`npm install --offline DEST/*.tgz`). Settings (environment):
#   DRIZZLE_PORT_PACK_BINARY=path   pack this binary instead of building one (tests pack the debug
#                                   build they already have; the release workflow its cross build)
#   DRIZZLE_PORT_PACK_PLATFORM=id   Node platform id of that binary (default: this machine's,
#                                   `node -p 'process.platform+"-"+process.arch'`)
#   DRIZZLE_PORT_PACK_ONLY=main|platform   write only one of the two tarballs
#   DRIZZLE_PORT_PACK_ALL=1         list every platform of npm/platforms.json in the main package
#                                   (what is published; installing it then needs the registry)
#   DRIZZLE_PORT_PACK_STRIP=0       keep debug symbols (stripped by default when `strip` exists)
set -eu

[ $# -eq 1 ] || { echo "usage: npm/pack.sh DEST" >&2; exit 1; }
here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
mkdir -p "$1"
dest=$(cd "$1" && pwd)

# The npm version is the crate's version: the shim's messages and bug reports rely on them agreeing.
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1)
[ -n "$version" ] || { echo "pack.sh: no version in Cargo.toml" >&2; exit 1; }
platform=${DRIZZLE_PORT_PACK_PLATFORM:-$(node -p 'process.platform + "-" + process.arch')}
only=${DRIZZLE_PORT_PACK_ONLY:-}

stage=$(mktemp -d "${TMPDIR:-/tmp}/drizzle-port-pack.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# package.json files come from npm/platforms.json and the committed template, stamped with the version.
VERSION=$version PLATFORM=$platform STAGE=$stage HERE=$here ALL=${DRIZZLE_PORT_PACK_ALL:-0} node -e '
  const fs = require("fs"), path = require("path");
  const { VERSION, PLATFORM, STAGE, HERE, ALL } = process.env;
  const { platforms } = JSON.parse(fs.readFileSync(path.join(HERE, "platforms.json"), "utf8"));
  const entry = platforms.find((p) => p.platform === PLATFORM);
  if (!entry) { console.error(`pack.sh: ${PLATFORM} is not in npm/platforms.json`); process.exit(1); }
  const main = JSON.parse(fs.readFileSync(path.join(HERE, "drizzle-port", "package.json"), "utf8"));
  main.version = VERSION;
  const listed = ALL === "1" ? platforms : [entry];
  // Exact versions: the shim and the binary are released together, never mixed.
  main.optionalDependencies = Object.fromEntries(listed.map((p) => [`@drizzle-port/${p.platform}`, VERSION]));
  fs.mkdirSync(path.join(STAGE, "main", "bin"), { recursive: true });
  fs.writeFileSync(path.join(STAGE, "main", "package.json"), JSON.stringify(main, null, 2) + "\n");
  const shim = fs.readFileSync(path.join(HERE, "drizzle-port", "bin", "drizzle-port.cjs"), "utf8")
    .replace("__PLATFORMS__", platforms.map((p) => p.platform).join(","));
  fs.writeFileSync(path.join(STAGE, "main", "bin", "drizzle-port.cjs"), shim, { mode: 0o755 });
  const plat = {
    name: `@drizzle-port/${entry.platform}`,
    version: VERSION,
    description: `The ${entry.platform} binary of drizzle-port (${entry.target}); install drizzle-port instead.`,
    license: main.license,
    os: [entry.os],
    cpu: [entry.cpu],
    files: [`bin/${entry.exe}`],
    preferUnplugged: true,
    publishConfig: { access: "public", provenance: true },
  };
  fs.mkdirSync(path.join(STAGE, "platform", "bin"), { recursive: true });
  fs.writeFileSync(path.join(STAGE, "platform", "package.json"), JSON.stringify(plat, null, 2) + "\n");
  fs.writeFileSync(path.join(STAGE, "exe"), entry.exe);
'
cp "$root/README.md" "$stage/main/README.md"

# Built (or checked) only after the package files, so a wrong platform id fails at once.
if [ "$only" != main ]; then
  binary=${DRIZZLE_PORT_PACK_BINARY:-}
  if [ -z "$binary" ]; then
    (cd "$root" && cargo build --release --locked --bin drizzle-port >&2)
    binary="$root/target/release/drizzle-port"
    [ -f "$binary" ] || binary="$binary.exe"
  fi
  [ -f "$binary" ] || { echo "pack.sh: binary $binary not found" >&2; exit 1; }
fi


if [ "$only" != main ]; then
  exe=$(cat "$stage/exe")
  cp "$binary" "$stage/platform/bin/$exe"
  chmod 0755 "$stage/platform/bin/$exe"
  # Symbols are for profiling (profile.release keeps them); users download a quarter of the size.
  if [ "${DRIZZLE_PORT_PACK_STRIP:-1}" != 0 ] && command -v strip >/dev/null 2>&1 && [ "$exe" = drizzle-port ]; then
    strip "$stage/platform/bin/$exe" 2>/dev/null || true
  fi
  (cd "$stage/platform" && npm pack --silent --pack-destination "$dest" >/dev/null)
  echo "$dest/drizzle-port-$platform-$version.tgz"
fi
if [ "$only" != platform ]; then
  (cd "$stage/main" && npm pack --silent --pack-destination "$dest" >/dev/null)
  echo "$dest/drizzle-port-$version.tgz"
fi
