// duck_bench.mjs - the DuckDB side of `make bench` (issue 9): load a FOCUS
// CSV into a DuckDB database file, then run the monthly report's
// aggregations over it (totals, by service, account, region and charge
// category, daily cost), so cloudtally's ingest and report can be compared
// with a column store on the same file and machine. Needs the npm package
// @duckdb/node-api (tests/bench.sh installs it into a scratch folder when
// npm can reach the registry; without it the DuckDB rows are left out).
//
//   node duck_bench.mjs load FILE DB     -> prints "seconds"
//   node duck_bench.mjs report DB MONTH  -> prints "seconds"
import { DuckDBInstance } from '@duckdb/node-api';

const [mode, a, b] = process.argv.slice(2);

async function load(file, db) {
	const inst = await DuckDBInstance.create(db);
	const c = await inst.connect();
	const t0 = process.hrtime.bigint();
	await c.run(`CREATE OR REPLACE TABLE focus AS SELECT * FROM read_csv('${file.replace(/'/g, "''")}',
		header = true, nullstr = ['', 'NULL'], sample_size = -1)`);
	const t1 = process.hrtime.bigint();
	console.log((Number(t1 - t0) / 1e9).toFixed(3));
}

async function report(db, month) {
	const inst = await DuckDBInstance.create(db, { access_mode: 'READ_ONLY' });
	const c = await inst.connect();
	const m = month.replace(/'/g, "''");
	const where = `strftime(CAST(BillingPeriodStart AS TIMESTAMP), '%Y-%m') = '${m}'`;
	const queries = [
		`SELECT sum(BilledCost), sum(EffectiveCost), count(*) FROM focus WHERE ${where}`,
		`SELECT ServiceName, ServiceCategory, sum(BilledCost) b, sum(EffectiveCost) FROM focus WHERE ${where} GROUP BY 1, 2 ORDER BY b DESC`,
		`SELECT SubAccountId, max(SubAccountName), sum(BilledCost) b, sum(EffectiveCost) FROM focus WHERE ${where} GROUP BY 1 ORDER BY b DESC`,
		`SELECT RegionId, max(RegionName), sum(BilledCost) b FROM focus WHERE ${where} GROUP BY 1 ORDER BY b DESC`,
		`SELECT ChargeCategory, sum(BilledCost) b, sum(EffectiveCost) FROM focus WHERE ${where} GROUP BY 1 ORDER BY b DESC`,
		`SELECT CAST(ChargePeriodStart AS DATE) d, sum(BilledCost) FROM focus WHERE ${where} GROUP BY 1 ORDER BY 1`,
	];
	const t0 = process.hrtime.bigint();
	for (const q of queries)
		await c.runAndReadAll(q);
	const t1 = process.hrtime.bigint();
	console.log((Number(t1 - t0) / 1e9).toFixed(3));
}

if (mode === 'load')
	await load(a, b);
else if (mode === 'report')
	await report(a, b);
else {
	console.error('usage: duck_bench.mjs load FILE DB | report DB MONTH');
	process.exit(2);
}
