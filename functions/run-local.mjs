// The README's run command (npm start): everything needed to use the service locally, and nothing left behind on Ctrl+C.
// 1. installs Azurite from the repository's own package.json and package-lock.json if it is missing;
// 2. starts Azurite on its standard ports (data kept in .azurite/), or reuses one already listening there;
// 3. starts the function app standalone on http://localhost:7071; on first start it loads the Hangzhou demo catalog;
// 4. prints the pages' addresses, a working example request and what it returned.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const azuriteScript = path.join(root, 'node_modules', 'azurite', 'dist', 'src', 'azurite.js');
const storagePorts = [10000, 10001, 10002];
const appUrl = 'http://localhost:7071';
const children = [];

const log = (message) => console.log(`[run] ${message}`);

function portInUse(port) {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}

async function waitFor(check, what, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${what} did not come up within ${seconds} s`);
}

function start(command, args, options) {
  // Own process group, so that stopping takes the whole tree (dotnet run starts the app as a child).
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', detached: true, ...options });
  children.push(child);
  child.on('exit', (code, signal) => {
    if (!stopping) {
      log(`${command} exited (${signal ?? code}); stopping everything.`);
      stop(1);
    }
  });
  return child;
}

let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children.reverse()) {
    try { process.kill(-child.pid, 'SIGTERM'); } catch { /* already gone */ }
  }
  setTimeout(() => process.exit(code), 1500).unref();
}
process.on('SIGINT', () => { log('stopping…'); stop(0); });
process.on('SIGTERM', () => stop(0));

async function main() {
  if (!existsSync(azuriteScript)) {
    log('installing Azurite from package-lock.json (npm ci)…');
    const npm = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' });
    if (npm.status !== 0) throw new Error('npm ci failed');
  }

  const busy = await Promise.all(storagePorts.map(portInUse));
  if (busy.every(Boolean)) {
    log('storage ports 10000–10002 already answer: using the Azurite that is running there.');
  } else if (busy.some(Boolean)) {
    throw new Error(`some of the storage ports ${storagePorts.join(', ')} are taken by something else; free them first`);
  } else {
    const location = path.join(root, '.azurite');
    mkdirSync(location, { recursive: true });
    log(`starting Azurite (data in ${location})…`);
    start(process.execPath, [azuriteScript, '--silent', '--disableTelemetry', '--location', location,
      '--blobHost', '127.0.0.1', '--queueHost', '127.0.0.1', '--tableHost', '127.0.0.1']);
    await waitFor(async () => (await Promise.all(storagePorts.map(portInUse))).every(Boolean), 'Azurite', 30);
  }

  // The key that signs match ids and access tokens: made once per machine, kept with the local data, never committed.
  const keyFile = path.join(root, '.azurite', 'signing-key');
  mkdirSync(path.dirname(keyFile), { recursive: true });
  if (!existsSync(keyFile)) writeFileSync(keyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  const signingKey = readFileSync(keyFile, 'utf8').trim();

  // Bureau API keys for trying the bureau endpoints locally (the city bureau and 西湖区): made once per machine, kept
  // with the local data; the app is given only their SHA-256, as in Azure.
  const bureauKeysFile = path.join(root, '.azurite', 'bureau-keys.json');
  if (!existsSync(bureauKeysFile)) {
    const keys = { hangzhou: randomBytes(32).toString('base64'), xihu: randomBytes(32).toString('base64') };
    writeFileSync(bureauKeysFile, JSON.stringify(keys, null, 2), { mode: 0o600 });
  }
  const bureauKeys = JSON.parse(readFileSync(bureauKeysFile, 'utf8'));
  const bureauKeyHashes = Object.fromEntries(Object.entries(bureauKeys)
    .map(([bureau, key]) => [`Bureaus__KeyHashes__${bureau}`, createHash('sha256').update(key).digest('hex')]));

  if (await portInUse(7071)) throw new Error('port 7071 is taken; stop whatever listens there first');
  log('building and starting the function app (standalone)…');
  start('dotnet', ['run', '--project', path.join('functions', 'ServerlessInnovation.Functions'), '--configuration', 'Release', '--no-launch-profile'], {
    env: {
      ...process.env,
      DOTNET_ENVIRONMENT: 'Development',
      ASPNETCORE_ENVIRONMENT: 'Development',
      Storage: 'UseDevelopmentStorage=true',
      Catalog__SeedDemoCatalogWhenEmpty: 'true',
      Applications__SigningKey: signingKey,
      // The bureau pages upload straight to Azurite: let these origins through its CORS (in Azure, Bicep sets CORS).
      Documents__BrowserUploadOrigins__0: 'http://localhost:7071',
      Documents__BrowserUploadOrigins__1: 'http://127.0.0.1:7071',
      ...bureauKeyHashes,
    },
  });
  await waitFor(async () => {
    try { return (await fetch(`${appUrl}/api/health`)).ok; } catch { return false; }
  }, 'The function app', 300);

  const example = {
    stage: 'yellow', registeredOn: '2026-03-01', industry: 'ai', teamSize: 6, rdStaffSharePercent: 50,
    lastYearRdExpenseCny: 300000, space: { areaM2: 120 }, wantedServices: ['seed-fund', 'mentoring'],
    preferredDistricts: ['xihu'], top: 3,
  };
  const response = await fetch(`${appUrl}/api/matches`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(example),
  });
  const result = await response.json();
  console.log(`
一键入孵 is running: ${appUrl}  (Ctrl+C stops the app and the Azurite it started)

Pages:
  startups      ${appUrl}/
  bureau staff  ${appUrl}/bureau/   sign in with 西湖区's key ${bureauKeys.xihu}
                                    (or the city bureau's: ${bureauKeys.hangzhou})

Try it:
  curl -s ${appUrl}/api/matches -H 'Content-Type: application/json' \\
    -d '${JSON.stringify(example)}'

It answered ${response.status}: ${result.eligible} of ${result.considered} carriers fit; the best:`);
  for (const match of result.matches ?? []) {
    console.log(`  ${match.rank}. ${match.carrier.name} (${match.carrier.district.name.zh}) ${match.score} — ${match.reasons.map((r) => r.zh).join('；')}`);
  }
  console.log(`
Also: ${appUrl}/api/carriers?district=xihu&type=incubator   ${appUrl}/api/health

Bureau endpoints, as 西湖区科学技术局 (local keys for xihu and the city bureau hangzhou: ${path.relative(root, bureauKeysFile)}):
  curl -s -o 载体名录模板.xlsx ${appUrl}/api/bureau/templates/catalog.xlsx -H 'X-Bureau-Key: ${bureauKeys.xihu}'
  curl -s '${appUrl}/api/bureau/documents?kind=catalog&fileName=名录.xlsx' -H 'X-Bureau-Key: ${bureauKeys.xihu}' \\
    -H 'Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' --data-binary @名录.xlsx
  curl -s ${appUrl}/api/bureau/documents -H 'X-Bureau-Key: ${bureauKeys.xihu}'
`);
}

main().catch((error) => {
  console.error(`[run] ${error.message}`);
  stop(1);
});
