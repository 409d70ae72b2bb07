#!/usr/bin/env node
// drizzle-port's npm entry point: finds the native binary of this platform's package
// (@drizzle-port/<platform>-<arch>, an optional dependency) and runs it with the same arguments,
// stdio, exit code and signals. No install script and no download: the package manager already
// put the right binary on disk, or left it out and we say why.
"use strict";

const { spawn } = require("child_process");
const { version } = require("../package.json");

const platform = `${process.platform}-${process.arch}`;
const exe = process.platform === "win32" ? "drizzle-port.exe" : "drizzle-port";
const pkg = `@drizzle-port/${platform}`;
// Kept in step with npm/platforms.json by npm/pack.sh (the list of packages we publish).
const PLATFORMS = "__PLATFORMS__".split(",");

function fail(message) {
  process.stderr.write(`drizzle-port: ${message}\n`);
  process.exit(1);
}

function locate() {
  const override = process.env.DRIZZLE_PORT_BINARY;
  if (override) return override;
  try {
    return require.resolve(`${pkg}/bin/${exe}`);
  } catch {
    // One line, because it is often read in a CI log: what is missing, the usual causes, the way out.
    if (!PLATFORMS.includes(platform)) {
      fail(
        `no prebuilt binary for ${platform} (published: ${PLATFORMS.join(", ")}); ` +
          `install from source with \`cargo install drizzle-port\` and set DRIZZLE_PORT_BINARY to it`,
      );
    }
    fail(
      `the binary for ${platform} is missing: ${pkg}@${version} is not installed ` +
        `(optional dependencies omitted with --omit=optional / --no-optional, or node_modules ` +
        `installed on another platform); reinstall drizzle-port on this machine, or ` +
        `\`cargo install drizzle-port\` and set DRIZZLE_PORT_BINARY`,
    );
  }
}

const binary = locate();
const child = spawn(binary, process.argv.slice(2), {
  stdio: "inherit",
  // Lets the binary word its hints for an npm install (and never suggest updating itself).
  env: { ...process.env, DRIZZLE_PORT_INSTALL: "npm" },
  windowsHide: true,
});

// A signal sent to this process alone (Prisma's SIGTERM after `generate`, a supervisor's stop)
// must reach the binary; terminal signals reach both through the process group anyway.
const forwarded = ["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"];
const relay = (signal) => {
  try {
    child.kill(signal);
  } catch {
    // the child is already gone
  }
};
for (const signal of forwarded) process.on(signal, relay);

child.on("error", (err) => {
  fail(`cannot run ${binary}: ${err.message}`);
});

child.on("exit", (code, signal) => {
  if (signal) {
    // Die of the same signal so the caller sees what the binary saw; 128+n where that is impossible.
    for (const s of forwarded) process.removeListener(s, relay);
    try {
      process.kill(process.pid, signal);
    } catch {
      // fall through
    }
    const n = require("os").constants.signals[signal] || 0;
    process.exit(128 + n);
  }
  process.exit(code === null ? 1 : code);
});
