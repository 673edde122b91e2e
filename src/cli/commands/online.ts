// `airq online status|sync`: which online store serves lookups, whether Redis holds each group's last commit, and bringing it up to date.
import { UsageError } from '../../core/errors.js';
import { noMorePositionals, parse } from '../args.js';
import { contextFrom, openForReading, withWriter, type CliContext } from '../context.js';
import { table } from '../output.js';

export async function onlineCommand(argv: readonly string[]): Promise<void> {
  const p = parse(argv, { json: { type: 'boolean' }, full: { type: 'boolean' } }, 'online');
  const ctx = contextFrom(p);
  const sub = p.positionals[0];
  if (sub !== 'status' && sub !== 'sync') {
    throw new UsageError(`online: ${sub === undefined ? 'say which' : `unknown subcommand "${sub}"; use`}: status, sync (see \`airq online --help\`)`);
  }
  noMorePositionals(p, 1, `online ${sub}`);
  if (p.values.full && sub !== 'sync') throw new UsageError('online status: --full belongs to `airq online sync`');
  if (ctx.online.kind === 'memory') {
    const words = 'the online store is in memory (AIRQ_ONLINE_STORE is unset or "memory"): each serving process loads its own tables from the store';
    if (p.values.json) return ctx.out.json({ kind: 'memory', groups: [] });
    if (sub === 'sync') throw new UsageError(`online sync: ${words}; there is no Redis to sync (set AIRQ_ONLINE_STORE=redis://HOST:PORT/DB)`);
    return ctx.out.line(words);
  }
  return sub === 'sync' ? sync(ctx, p.values.full === true, p.values.json === true) : status(ctx, p.values.json === true);
}

async function status(ctx: CliContext, json: boolean): Promise<void> {
  const store = await openForReading(ctx);
  try {
    const info = store.onlineStore;
    const ping = info.kind === 'redis' ? await info.ping() : undefined;
    const groups = (await store.onlineWatermarks()).map((g) => ({
      ...g,
      state:
        g.redis === undefined
          ? 'not synced'
          : g.redis === g.commit
            ? 'in step'
            : g.redis < g.commit
              ? `behind (commit ${g.redis} of ${g.commit})`
              : `ahead (commit ${g.redis}: another copy of the store, or a newer snapshot than this one)`,
    }));
    if (json) return ctx.out.json({ ...info, ping, groups });
    if (info.kind === 'redis')
      ctx.out.line(`online store: Redis at ${info.server} (store id ${info.namespace}), ${ping?.ok ? `answers in ${ping.ms.toFixed(2)} ms` : 'not answering'}`);
    ctx.out.line(table(groups.map((g) => ({ group: g.group, version: g.version, store_commit: g.commit, redis_commit: g.redis ?? '-', state: g.state }))));
    if (groups.some((g) => g.state !== 'in step'))
      ctx.out.line('`airq online sync` brings Redis up to date (any writing command does too, as it opens the store)');
  } finally {
    await store.close();
  }
}

async function sync(ctx: CliContext, full: boolean, json: boolean): Promise<void> {
  // Opening as the writer already syncs what is behind; a mistyped --store is an error, not a new empty store.
  await withWriter(ctx, { create: false }, async (store) => {
    const results = [...store.onlineSyncedAtOpen, ...(full ? await store.syncOnline({ full: true }) : [])];
    const marks = await store.onlineWatermarks();
    if (json) return ctx.out.json({ synced: results.filter((r) => r.mode !== 'none'), groups: marks });
    ctx.out.line(
      `Redis at ${store.onlineStore.kind === 'redis' ? store.onlineStore.server : '?'} holds the last commit of ${marks.length} online feature group(s)`,
    );
    ctx.out.line(table(marks.map((g) => ({ group: g.group, version: g.version, commit: g.commit, redis_commit: g.redis ?? '-' }))));
  });
}
