// The writing commands the crash suite kills, as data: the store each starts from, its arguments, its deterministic kill points, and what may differ between runs.

/** The store a command starts from: none, the synthetic demo, a synthetic backfill without embeddings, or one place added from the local providers. */
export type BaseName = 'empty' | 'synthetic' | 'backfilled' | 'places';

/** A deterministic moment: a line on the child's stderr, or an entry appearing in a folder of the store. */
export type KillPoint = { stderr: string } | { entry: string; in: string };

export interface CrashCommand {
  name: string;
  base: BaseName;
  /** Arguments after `airq` (the harness adds --store). `{slice}` and `{aqicn}` stand for the data files. */
  args: string[];
  /** When the re-run fails saying this (e.g. the place is already there), this command completes the work instead. */
  fallback?: { when: string; args: string[] };
  /** The command talks to Open-Meteo/aqicn/OpenAQ: the harness points it at its local stand-in. */
  providers?: boolean;
  /** AIRQ_TODAY for the command. */
  today?: string;
  points: KillPoint[];
  /** Groups whose content legitimately differs between two runs (e.g. traces), and columns such as wall-clock times. */
  skipGroups?: string[];
  skipColumns?: string[];
  /** Kills of the full run (the short run kills each command once). */
  kills: number;
}

/** Columns that record when a run happened, not what it computed. */
const RUN_TIMES = ['started_at', 'finished_at', 'created_at', 'trained_at', 'updated_at', 'duration_ms', 'run_id'];

/** The artifact-save moments: training makes its directory in the store's .tmp/, then the registry stages its copy there. */
const ARTIFACT_SAVE: KillPoint[] = [
  { entry: 'train-', in: '.tmp' },
  { entry: 'model-stage-', in: '.tmp' },
];

export const COMMANDS: readonly CrashCommand[] = [
  {
    name: 'import beijing',
    base: 'empty',
    args: ['import', 'beijing', '{slice}'],
    points: [{ stderr: '1/3 read' }, { stderr: '2/3 read' }, { stderr: 'wrote' }],
    kills: 20,
  },
  {
    name: 'import aqicn',
    base: 'empty',
    args: ['import', 'aqicn', '{aqicn}', '--location', 'hells-kitchen', '--name', "Hell's Kitchen", '--lat', '40.76', '--lon', '-73.99'],
    points: [],
    kills: 18,
  },
  { name: 'pipeline backfill', base: 'empty', args: ['pipeline', 'backfill', '--source', 'synthetic', '--today', '2024-06-30'], points: [], kills: 16 },
  { name: 'pipeline daily', base: 'synthetic', args: ['pipeline', 'daily', '--date', '2024-07-01'], points: [{ stderr: 'day_patterns' }], kills: 16 },
  {
    name: 'demo',
    base: 'empty',
    args: ['demo', '--source', 'synthetic', '--today', '2024-06-30'],
    points: [{ stderr: 'training the forecaster' }, ...ARTIFACT_SAVE],
    skipColumns: RUN_TIMES,
    kills: 10,
  },
  // From a store without a model: on the demo store `train` finds its model already registered and saves nothing.
  { name: 'train', base: 'backfilled', args: ['train'], points: [{ stderr: 'training on data' }, ...ARTIFACT_SAVE], skipColumns: RUN_TIMES, kills: 18 },
  { name: 'forecast', base: 'synthetic', args: ['forecast'], points: [], skipColumns: RUN_TIMES, kills: 14 },
  // No deterministic point of its own: it prints to stdout only, and a writer keeps no vectors/ folder in the store.
  { name: 'embed', base: 'backfilled', args: ['embed'], points: [], kills: 14 },
  {
    name: 'ask (trace saving)',
    base: 'synthetic',
    args: ['ask', 'Will the air be OK tomorrow in Synthetic City?'],
    points: [{ stderr: 'trace' }, { entry: '', in: 'spool' }],
    skipGroups: ['traces'],
    kills: 14,
  },
  {
    name: 'run',
    base: 'places',
    args: ['run'],
    providers: true,
    today: '2024-03-14',
    points: [],
    // pipeline_runs logs what each run itself did: after a kill the re-run writes only the rest, or (killed after its last
    // write, before its log row) nothing and no row. Its effects are compared in the other groups.
    skipGroups: ['pipeline_runs'],
    skipColumns: RUN_TIMES,
    kills: 10,
  },
  {
    name: 'places add',
    base: 'empty',
    args: ['places', 'add', 'Testville'],
    fallback: { when: 'already has a place', args: ['run'] },
    providers: true,
    today: '2024-03-10',
    points: [{ stderr: 'fetching a year of history' }, ...ARTIFACT_SAVE],
    skipColumns: RUN_TIMES,
    kills: 10,
  },
];
