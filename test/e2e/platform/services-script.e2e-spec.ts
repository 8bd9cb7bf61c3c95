import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * scripts/services.sh on a machine without PostgreSQL, Redis or Docker: the commands it calls are
 * stand-ins on PATH that write what they were asked to a log and keep a little state in files
 * (what is installed, what runs), so that each branch of the script can be followed without
 * touching this machine's services.
 */
describe('npm start / npm test: getting PostgreSQL and Redis on a bare machine', () => {
  const repo = join(__dirname, '..', '..', '..');
  let dir: string;
  let bin: string;
  let etc: string;
  /** The machine's own commands the script needs, and no others (not its PostgreSQL, Redis or Docker). */
  let sys: string;

  const stub = (name: string, body: string) => {
    const path = join(bin, name);
    writeFileSync(path, `#!/usr/bin/env bash\necho "${name} $*" >> "$STATE/log"\n${body}\n`);
    chmodSync(path, 0o755);
  };
  const run = (uid: number, extra: Record<string, string> = {}) =>
    spawnSync('bash', [join(repo, 'scripts', 'services.sh')], {
      env: { PATH: `${bin}:${sys}`, STATE: dir, PG_ETC: etc, FAKE_UID: String(uid), HOME: dir, ...extra },
      encoding: 'utf8',
    });
  const log = () => (existsSync(join(dir, 'log')) ? readFileSync(join(dir, 'log'), 'utf8') : '');

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'porchlight-services-'));
    bin = join(dir, 'bin');
    etc = join(dir, 'etc-postgresql');
    sys = join(dir, 'sys');
    mkdirSync(bin);
    mkdirSync(sys);
    for (const tool of [
      'bash',
      'env',
      'ls',
      'sort',
      'tail',
      'sed',
      'grep',
      'seq',
      'sleep',
      'mkdir',
      'cat',
      'touch',
      'chmod',
      'printf',
      'dirname',
    ]) {
      const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
      if (found.startsWith('/')) symlinkSync(found, join(sys, tool));
    }
    // The check answers 0 once both run, 2 while either does not.
    stub('node', `[ -f "$STATE/pg-running" ] && [ -f "$STATE/redis-running" ] && exit 0; exit 2`);
    stub('id', `[ "$1" = -u ] && echo "$FAKE_UID"`);
    stub('sudo', `exit 1`);
    stub('docker', `exit 1`);
    stub(
      'apt-get',
      `for p in "$@"; do
         case "$p" in
           postgresql) mkdir -p "$PG_ETC/15/main"; echo "local all postgres peer" > "$PG_ETC/15/main/pg_hba.conf" ;;
           redis-server) printf '#!/usr/bin/env bash\\necho "redis-server $*" >> "$STATE/log"\\ntouch "$STATE/redis-running"\\n' > "${dir}/bin/redis-server"; chmod +x "${dir}/bin/redis-server" ;;
         esac
       done`,
    );
    stub('pg_ctlcluster', `[ "$2" = 15 ] && [ "$4" = start ] && touch "$STATE/pg-running"; exit 0`);
    stub('pg_isready', `[ -f "$STATE/pg-running" ]`);
    stub('redis-cli', `[ -f "$STATE/redis-running" ]`);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('installs and starts PostgreSQL with PostGIS and Redis as root with apt, then lets the default URL in over loopback', () => {
    const res = run(0);
    expect(res.status).toBe(0);
    const calls = log();
    expect(calls).toMatch(/apt-get install -y -qq postgresql postgresql-common redis-server/);
    expect(calls).toMatch(/apt-get install -y -qq postgresql-15-postgis-3/);
    expect(calls).toMatch(/pg_ctlcluster --skip-systemctl-redirect 15 main start/);
    expect(calls).toMatch(/redis-server --daemonize yes --bind 127\.0\.0\.1/);
    const hba = readFileSync(join(etc, '15', 'main', 'pg_hba.conf'), 'utf8');
    expect(hba.split('\n').slice(0, 3)).toEqual([
      '# porchlight: local trust',
      'host all postgres 127.0.0.1/32 trust',
      'host all postgres ::1/128 trust',
    ]);
  });

  it('starts what is installed but stopped, and installs nothing', () => {
    mkdirSync(join(etc, '15', 'main'), { recursive: true });
    writeFileSync(join(etc, '15', 'main', 'pg_hba.conf'), '');
    stub('redis-server', `touch "$STATE/redis-running"`);
    const res = run(0);
    expect(res.status).toBe(0);
    expect(log()).not.toMatch(/apt-get/);
    expect(log()).toMatch(/pg_ctlcluster --skip-systemctl-redirect 15 main start/);
    expect(log()).toMatch(/redis-server --daemonize yes/);
  });

  it('without root or sudo, installs nothing and says what to install', () => {
    const res = run(1000);
    expect(res.status).toBe(1);
    expect(log()).not.toMatch(/apt-get|pg_ctlcluster/);
    expect(res.stderr).toContain('sudo apt-get install postgresql postgresql-15-postgis-3 redis-server');
  });
});
